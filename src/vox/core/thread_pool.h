// The one pool of worker threads for engine work (engine work never runs on HTTP threads), and
// its scheduler: fair across requests, with priorities.
//
// Each request submits its work through a Group. Within a priority the pool takes turns between
// the groups that have work waiting (round robin), so a 960-chunk upload does not hold a 3-chunk
// request behind its whole queue: the short request's chunks start as soon as a worker frees up.
// Live sessions go before interactive requests, which go before batch jobs. A group may cap how
// many of its tasks run at once (a recogniser's parallelism()). Within a group tasks start in the
// order they were submitted. llama.cpp's server schedules its slots the same way.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace vox {

enum class Priority { kLive = 0, kInteractive = 1, kBatch = 2 };

class ThreadPool {
  struct GroupState;

 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // One request's share of the pool. Cheap; tasks already submitted still run after it is gone.
  class Group {
   public:
    template <class F>
    auto submit(F&& f) -> std::future<decltype(f())> {
      using R = decltype(f());
      auto task = std::make_shared<std::packaged_task<R()>>(std::forward<F>(f));
      auto fut = task->get_future();
      pool_->enqueue(state_, [task] { (*task)(); });
      return fut;
    }

   private:
    friend class ThreadPool;
    Group(ThreadPool* pool, std::shared_ptr<GroupState> state) : pool_(pool), state_(std::move(state)) {}
    ThreadPool* pool_;
    std::shared_ptr<GroupState> state_;
  };

  // max_running: how many of the group's tasks may run at once; 0 = as many as there are workers.
  Group group(Priority priority, int max_running = 0);

  // A task outside any request's group (interactive priority, one shared group).
  template <class F>
  auto submit(F&& f) -> std::future<decltype(f())> {
    return shared_.submit(std::forward<F>(f));
  }
  int size() const { return int(threads_.size()); }

 private:
  struct GroupState {
    Priority priority;
    int max_running;
    int running = 0;
    bool queued = false;  // in ready_[priority]
    std::deque<std::function<void()>> tasks;
  };

  void enqueue(const std::shared_ptr<GroupState>& group, std::function<void()> job);
  // The next task to run (and its group), round robin within the highest priority that has one
  // runnable; false when none may run now. Called with mu_ held.
  bool next(std::function<void()>& job, std::shared_ptr<GroupState>& from);
  void work();

  std::vector<std::thread> threads_;
  std::deque<std::shared_ptr<GroupState>> ready_[3];  // groups with tasks waiting, per priority
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  Group shared_;
};

}  // namespace vox
