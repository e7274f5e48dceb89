// A loaded resource (a neural model) that is freed after a stretch without use and loaded again on
// the next acquire(). Callers hold the shared_ptr acquire() gives them for the length of one call,
// so a release never pulls a model from under a running request: a model still held by a caller
// counts as in use. ttl 0 keeps the resource for the life of the object and starts no thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "vox/core/error.h"

namespace vox {

template <class T>
class IdleReleased {
 public:
  using Clock = std::chrono::steady_clock;
  using Loader = std::function<Result<std::unique_ptr<T>>()>;

  // on_release (optional) is told each time the resource is freed, e.g. to log it.
  IdleReleased(Loader load, std::unique_ptr<T> first, std::chrono::duration<double> ttl,
               std::function<void()> on_release = {})
      : load_(std::move(load)),
        on_release_(std::move(on_release)),
        ttl_(std::chrono::duration_cast<Clock::duration>(ttl)),
        value_(std::move(first)),
        last_use_(Clock::now()) {
    if (ttl_ > Clock::duration::zero()) reaper_ = std::thread([this] { reap(); });
  }
  ~IdleReleased() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (reaper_.joinable()) reaper_.join();
  }
  IdleReleased(const IdleReleased&) = delete;
  IdleReleased& operator=(const IdleReleased&) = delete;

  // The resource, loading it again if it was released. Concurrent callers share one load.
  Result<std::shared_ptr<T>> acquire() {
    std::lock_guard<std::mutex> lock(mu_);
    last_use_ = Clock::now();
    if (!value_) {
      auto loaded = load_();
      if (!loaded) return loaded.error();
      value_ = std::shared_ptr<T>(std::move(*loaded));
      ++loads_;
      cv_.notify_all();  // the reaper sleeps without a deadline while nothing is loaded
    }
    return value_;
  }

  // Frees the resource when nobody holds it and it has been unused for ttl as of `now`. The
  // reaper thread calls this; tests call it with a time of their choosing.
  bool release_if_idle(Clock::time_point now) {
    std::shared_ptr<T> dropped;  // destroyed after the lock is let go: freeing a model takes time
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!value_ || ttl_ <= Clock::duration::zero()) return false;
      if (value_.use_count() > 1) last_use_ = now;  // a caller still runs it
      if (now - last_use_ < ttl_) return false;
      dropped = std::move(value_);
    }
    dropped.reset();
    if (on_release_) on_release_();
    return true;
  }

  bool loaded() const {
    std::lock_guard<std::mutex> lock(mu_);
    return bool(value_);
  }
  int reloads() const {
    std::lock_guard<std::mutex> lock(mu_);
    return loads_;
  }

 private:
  void reap() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      if (!value_) {
        cv_.wait(lock);
        continue;
      }
      const auto due = last_use_ + ttl_;
      cv_.wait_until(lock, due);
      if (stop_) break;
      lock.unlock();
      release_if_idle(Clock::now());
      lock.lock();
    }
  }

  const Loader load_;
  const std::function<void()> on_release_;
  const Clock::duration ttl_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<T> value_;
  Clock::time_point last_use_;
  int loads_ = 0;
  bool stop_ = false;
  std::thread reaper_;
};

}  // namespace vox
