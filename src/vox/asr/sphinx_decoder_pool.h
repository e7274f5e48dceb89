// A fixed set of pocketsphinx decoders shared by the threads that call the recogniser.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "vox/asr/sphinx_decoder.h"

namespace vox {

class SphinxDecoderPool {
 public:
  // The first decoder is created here, so a model that fails to load fails now (and the caller
  // can report it); the other size-1 are created one at a time on a background thread, because
  // each takes a fraction of a second and ~100 MB and startup should stay quick.
  static Result<std::unique_ptr<SphinxDecoderPool>> create(const SphinxSettings& settings, int size);
  ~SphinxDecoderPool();  // stops the background creation and waits for it
  SphinxDecoderPool(const SphinxDecoderPool&) = delete;
  SphinxDecoderPool& operator=(const SphinxDecoderPool&) = delete;

  // A borrowed decoder; going out of scope hands it back.
  class Lease {
   public:
    Lease(SphinxDecoderPool* pool, std::unique_ptr<SphinxDecoder> decoder) : pool_(pool), decoder_(std::move(decoder)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    SphinxDecoder& operator*() const { return *decoder_; }
    SphinxDecoder* operator->() const { return decoder_.get(); }

   private:
    SphinxDecoderPool* pool_;
    std::unique_ptr<SphinxDecoder> decoder_;
  };

  // Waits until a decoder is free; kCancelled when cancel fires first.
  Result<Lease> acquire(const CancelToken& cancel);

  int size() const { return size_; }

 private:
  SphinxDecoderPool(SphinxSettings settings, int size, std::unique_ptr<SphinxDecoder> first);
  void create_rest();
  void give_back(std::unique_ptr<SphinxDecoder> decoder);

  const SphinxSettings settings_;
  const int size_;
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<SphinxDecoder>> free_;
  bool stopping_ = false;
  std::thread creator_;
};

}  // namespace vox
