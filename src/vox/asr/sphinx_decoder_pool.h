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
    Lease(SphinxDecoderPool* pool, std::unique_ptr<SphinxDecoder> decoder, bool long_held = false)
        : pool_(pool), decoder_(std::move(decoder)), long_held_(long_held) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    SphinxDecoder& operator*() const { return *decoder_; }
    SphinxDecoder* operator->() const { return decoder_.get(); }

   private:
    SphinxDecoderPool* pool_;
    std::unique_ptr<SphinxDecoder> decoder_;
    bool long_held_;
  };

  // Waits until a decoder is free; kCancelled when cancel fires first.
  Result<Lease> acquire(const CancelToken& cancel);
  // A decoder held for a long time (a live turn, fed as it is spoken), or kBusy at once. Such
  // leases never take the last decoder that no long lease holds: acquire() is called from the
  // shared worker threads, and waiting there for decoders that only live turns hold — turns that
  // need those very workers to end — would stall every request. When none is spare, up to
  // kMaxExtra more decoders (~100 MB each) are made for live turns and kept.
  Result<Lease> acquire_long();
  static constexpr int kMaxExtra = 8;

  int size() const { return size_; }

 private:
  SphinxDecoderPool(SphinxSettings settings, int size, std::unique_ptr<SphinxDecoder> first);
  void create_rest();
  void give_back(std::unique_ptr<SphinxDecoder> decoder, bool long_held);

  const SphinxSettings settings_;
  const int size_;
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<SphinxDecoder>> free_;
  int long_held_ = 0;  // decoders out on acquire_long() leases
  int extra_ = 0;      // decoders made beyond size_ for long leases
  int creating_ = 0;   // ... and being made now
  bool stopping_ = false;
  std::thread creator_;
};

}  // namespace vox
