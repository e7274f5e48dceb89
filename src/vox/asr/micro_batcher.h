// Turns concurrent single-chunk recognize() calls into batched model runs. The pipeline calls a
// recogniser from several workers at once, one chunk each; a neural model is much cheaper per
// chunk when several go through one Run. Each caller queues its chunk and waits a short window;
// the first caller whose chunk nobody has claimed when the window ends (or when a full batch is
// waiting) runs its own chunk together with the waiting chunks nearest to it in length (so
// padding stays small) and hands every caller its result. No thread of its own: callers do the
// work, so there is nothing to shut down. Whatever happens in a run — an error, a short result
// list, an exception — every caller of the batch gets a result: a waiting caller never hangs.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "vox/core/error.h"

namespace vox::asr {

template <class Out>
class MicroBatcher {
 public:
  using Chunk = std::span<const float>;
  // Runs one batch; returns exactly one result per chunk, in order.
  using RunFn = std::function<std::vector<Result<Out>>(const std::vector<Chunk>&)>;

  MicroBatcher(int max_batch, std::chrono::milliseconds window, RunFn run)
      : max_batch_(std::max(1, max_batch)), window_(window), run_(std::move(run)) {}

  int max_batch() const { return max_batch_; }

  Result<Out> submit(Chunk chunk) {
    if (max_batch_ == 1) return std::move(run_safely({chunk}).front());
    Pending me{chunk, false, std::nullopt};
    std::unique_lock<std::mutex> lock(mu_);
    auto where = queue_.insert(queue_.end(), &me);
    cv_.notify_all();
    const auto deadline = std::chrono::steady_clock::now() + window_;
    while (!me.claimed && int(queue_.size()) < max_batch_ && std::chrono::steady_clock::now() < deadline)
      cv_.wait_until(lock, deadline);
    if (me.claimed) {
      cv_.wait(lock, [&] { return me.result.has_value(); });
      return std::move(*me.result);
    }
    std::vector<Pending*> batch = claim(where);
    lock.unlock();
    std::vector<Chunk> chunks;
    for (auto* p : batch) chunks.push_back(p->chunk);
    auto results = run_safely(chunks);
    lock.lock();
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->result.emplace(std::move(results[i]));
    cv_.notify_all();
    return std::move(*me.result);
  }

 private:
  // One result per chunk, always: a run that throws or returns too few fails the missing ones.
  std::vector<Result<Out>> run_safely(const std::vector<Chunk>& chunks) {
    std::vector<Result<Out>> results;
    try {
      results = run_(chunks);
    } catch (const std::exception& e) {
      return failed(chunks.size(), std::string("the batched model run failed: ") + e.what());
    } catch (...) {
      return failed(chunks.size(), "the batched model run failed");
    }
    results.resize(chunks.size(), Result<Out>(Error(ErrorCode::kInternal, "the batch lost a result")));
    return results;
  }

  static std::vector<Result<Out>> failed(std::size_t n, const std::string& why) {
    return std::vector<Result<Out>>(n, Result<Out>(Error(ErrorCode::kInternal, why)));
  }

  struct Pending {
    Chunk chunk;
    bool claimed = false;
    std::optional<Result<Out>> result;
  };

  // The caller's own chunk first, then the unclaimed chunks closest to it in length.
  std::vector<Pending*> claim(typename std::list<Pending*>::iterator mine) {
    std::vector<Pending*> batch{*mine};
    queue_.erase(mine);
    const auto len = long(batch[0]->chunk.size());
    std::vector<typename std::list<Pending*>::iterator> others;
    for (auto it = queue_.begin(); it != queue_.end(); ++it) others.push_back(it);
    std::stable_sort(others.begin(), others.end(), [&](auto a, auto b) {
      return std::labs(long((*a)->chunk.size()) - len) < std::labs(long((*b)->chunk.size()) - len);
    });
    for (auto it : others) {
      if (int(batch.size()) >= max_batch_) break;
      batch.push_back(*it);
      queue_.erase(it);
    }
    for (auto* p : batch) p->claimed = true;
    return batch;
  }

  const int max_batch_;
  const std::chrono::milliseconds window_;
  RunFn run_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::list<Pending*> queue_;  // chunks nobody has claimed yet
};

}  // namespace vox::asr
