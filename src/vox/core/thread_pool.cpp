#include "vox/core/thread_pool.h"

namespace vox {

ThreadPool::ThreadPool(int threads)
    : shared_(this, std::make_shared<GroupState>(GroupState{Priority::kInteractive, 0})) {
  if (threads < 1) threads = 1;
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

ThreadPool::Group ThreadPool::group(Priority priority, int max_running) {
  return Group(this, std::make_shared<GroupState>(GroupState{priority, max_running < 0 ? 0 : max_running}));
}

void ThreadPool::enqueue(const std::shared_ptr<GroupState>& group, std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    group->tasks.push_back(std::move(job));
    if (!group->queued) {
      group->queued = true;
      ready_[int(group->priority)].push_back(group);
    }
  }
  cv_.notify_one();
}

bool ThreadPool::next(std::function<void()>& job, std::shared_ptr<GroupState>& from) {
  for (auto& ring : ready_) {
    // One turn around the ring at most: a group at its cap keeps its place and is passed over.
    for (size_t turn = ring.size(); turn > 0; --turn) {
      std::shared_ptr<GroupState> g = std::move(ring.front());
      ring.pop_front();
      if (g->max_running > 0 && g->running >= g->max_running) {
        ring.push_back(std::move(g));
        continue;
      }
      job = std::move(g->tasks.front());
      g->tasks.pop_front();
      ++g->running;
      if (g->tasks.empty()) g->queued = false;
      else ring.push_back(g);  // to the back: the other groups go first
      from = std::move(g);
      return true;
    }
  }
  return false;
}

void ThreadPool::work() {
  for (;;) {
    std::function<void()> job;
    std::shared_ptr<GroupState> from;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return next(job, from) || stop_; });
      if (!job) return;  // stopping, and nothing left that may run
    }
    job();
    {
      std::lock_guard<std::mutex> lock(mu_);
      --from->running;
    }
    cv_.notify_all();  // a capped group may run again
  }
}

}  // namespace vox
