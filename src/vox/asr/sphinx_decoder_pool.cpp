#include "vox/asr/sphinx_decoder_pool.h"

#include <chrono>

namespace vox {

Result<std::unique_ptr<SphinxDecoderPool>> SphinxDecoderPool::create(const SphinxSettings& settings, int size) {
  if (size < 1) return Error(ErrorCode::kInvalidArgument, "the pocketsphinx pool needs at least one decoder");
  auto first = SphinxDecoder::create(settings);
  if (!first) return first.error();
  return std::unique_ptr<SphinxDecoderPool>(new SphinxDecoderPool(settings, size, std::move(*first)));
}

SphinxDecoderPool::SphinxDecoderPool(SphinxSettings settings, int size, std::unique_ptr<SphinxDecoder> first)
    : settings_(std::move(settings)), size_(size) {
  free_.push_back(std::move(first));
  if (size_ > 1) creator_ = std::thread([this] { create_rest(); });
}

SphinxDecoderPool::~SphinxDecoderPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  if (creator_.joinable()) creator_.join();
}

void SphinxDecoderPool::create_rest() {
  for (int i = 1; i < size_; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    // The first decoder loaded the same files, so a failure here is transient (memory): the pool
    // simply works with fewer decoders.
    auto decoder = SphinxDecoder::create(settings_);
    if (!decoder) return;
    give_back(std::move(*decoder), false);
  }
}

void SphinxDecoderPool::give_back(std::unique_ptr<SphinxDecoder> decoder, bool long_held) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(decoder));
    if (long_held) --long_held_;
  }
  available_.notify_one();
}

SphinxDecoderPool::Lease::~Lease() {
  if (decoder_) pool_->give_back(std::move(decoder_), long_held_);
}

Result<SphinxDecoderPool::Lease> SphinxDecoderPool::acquire(const CancelToken& cancel) {
  std::unique_lock<std::mutex> lock(mu_);
  // Cancellation has no notifier of its own, so waiting wakes up now and then to look at it.
  while (free_.empty()) {
    if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "speech recognition cancelled");
    available_.wait_for(lock, std::chrono::milliseconds(50));
  }
  auto decoder = std::move(free_.back());
  free_.pop_back();
  return Lease(this, std::move(decoder));
}

Result<SphinxDecoderPool::Lease> SphinxDecoderPool::acquire_long() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    // One decoder always stays out of long leases, so acquire()'s short work always finishes.
    if (!free_.empty() && long_held_ + 1 < size_ + extra_) {
      auto decoder = std::move(free_.back());
      free_.pop_back();
      ++long_held_;
      return Lease(this, std::move(decoder), true);
    }
    if (extra_ + creating_ >= kMaxExtra) return Error(ErrorCode::kBusy, "every spare pocketsphinx decoder is in use");
    ++creating_;
  }
  // A decoder more, for live turns: created outside the lock (a fraction of a second), kept after.
  auto made = SphinxDecoder::create(settings_);
  std::lock_guard<std::mutex> lock(mu_);
  --creating_;
  if (!made) return Error(ErrorCode::kBusy, "no pocketsphinx decoder could be made for a live turn: " + made.error().message);
  ++extra_;
  ++long_held_;
  return Lease(this, std::move(*made), true);
}

}  // namespace vox
