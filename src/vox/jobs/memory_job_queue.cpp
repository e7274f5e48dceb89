// In-process JobQueue: a deque of waiting ids and a map of claims with their lease times.
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>

#include "vox/jobs/memory_jobs.h"

namespace vox::jobs {

namespace {

using Clock = std::chrono::steady_clock;

class MemoryJobQueue final : public JobQueue {
 public:
  explicit MemoryJobQueue(std::chrono::milliseconds lease) : lease_(lease) {}

  Status push(const std::string& job_id) override {
    {
      std::lock_guard lock(mu_);
      waiting_.push_back(job_id);
    }
    cv_.notify_one();
    return Status::Ok();
  }

  Result<std::optional<Claim>> pop(const std::string& worker, std::chrono::milliseconds wait) override {
    std::unique_lock lock(mu_);
    const auto deadline = Clock::now() + wait;
    const std::uint64_t generation = generation_;
    while (true) {
      if (auto c = take(worker)) return c;
      if (generation_ != generation) return std::optional<Claim>();
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout) return take(worker);
    }
  }

  Result<bool> renew(const Claim& claim, const std::string& worker) override {
    std::lock_guard lock(mu_);
    auto it = held_.find(claim.receipt);
    if (it == held_.end() || it->second.worker != worker) return false;
    it->second.renewed = Clock::now();
    return true;
  }

  Status ack(const Claim& claim) override {
    std::lock_guard lock(mu_);
    held_.erase(claim.receipt);
    return Status::Ok();
  }

  Status hand_back(const Claim& claim) override {
    {
      std::lock_guard lock(mu_);
      if (held_.erase(claim.receipt) == 0) return Status::Ok();  // already someone else's
      waiting_.push_front(claim.job_id);  // it was first in line once already
    }
    cv_.notify_one();
    return Status::Ok();
  }

  Status heartbeat(const std::string&, const std::string&) override { return Status::Ok(); }

  Result<QueueCounts> counts() override {
    std::lock_guard lock(mu_);
    return QueueCounts{static_cast<long long>(waiting_.size()), static_cast<long long>(held_.size())};
  }

  void interrupt() override {
    {
      std::lock_guard lock(mu_);
      ++generation_;
    }
    cv_.notify_all();
  }

 private:
  struct Held {
    std::string job_id;
    std::string worker;
    Clock::time_point renewed;
  };

  // mu_ held. An expired claim first, as Redis's XAUTOCLAIM would hand it out.
  std::optional<Claim> take(const std::string& worker) {
    const auto now = Clock::now();
    for (auto& [receipt, held] : held_) {
      if (now - held.renewed <= lease_) continue;
      held.worker = worker;
      held.renewed = now;
      return Claim{held.job_id, receipt};
    }
    if (waiting_.empty()) return std::nullopt;
    Claim c{waiting_.front(), std::to_string(++next_receipt_)};
    waiting_.pop_front();
    held_[c.receipt] = Held{c.job_id, worker, now};
    return c;
  }

  const std::chrono::milliseconds lease_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> waiting_;
  std::map<std::string, Held> held_;
  std::uint64_t next_receipt_ = 0;
  std::uint64_t generation_ = 0;  // bumped by interrupt()
};

}  // namespace

std::unique_ptr<JobQueue> make_memory_queue(std::chrono::milliseconds lease) {
  return std::make_unique<MemoryJobQueue>(lease);
}

}  // namespace vox::jobs
