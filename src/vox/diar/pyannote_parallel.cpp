#include "vox/diar/pyannote_parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace vox::diar {

Status parallel_for(std::size_t count, int threads, const CancelToken& cancel,
                    const std::function<Status(std::size_t)>& fn, const std::function<void(std::size_t)>& on_done) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  Status first_error;
  std::size_t completed = 0;
  auto worker = [&] {
    for (;;) {
      if (stop.load()) return;
      if (cancel.cancelled()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first_error.ok()) first_error = Error(ErrorCode::kCancelled, "diarization cancelled");
        stop = true;
        return;
      }
      const std::size_t i = next.fetch_add(1);
      if (i >= count) return;
      Status st = fn(i);
      std::lock_guard<std::mutex> lock(mu);
      if (!st.ok()) {
        if (first_error.ok()) first_error = st;
        stop = true;
        return;
      }
      ++completed;
      if (on_done) on_done(completed);
    }
  };
  const std::size_t n = std::min<std::size_t>(std::size_t(std::max(1, threads)), count);
  std::vector<std::thread> pool;
  try {
    for (std::size_t t = 1; t < n; ++t) pool.emplace_back(worker);
  } catch (const std::exception&) {
    // Could not start a thread (resource limits): the threads already running and this one
    // still finish the work.
  }
  worker();
  for (auto& th : pool) th.join();
  return first_error;
}

}  // namespace vox::diar
