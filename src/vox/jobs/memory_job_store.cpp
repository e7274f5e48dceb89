// In-process JobStore: records in a map, finished ones dropped lazily once their TTL has passed.
#include <map>
#include <mutex>

#include "vox/jobs/memory_jobs.h"

namespace vox::jobs {

namespace {

class MemoryJobStore final : public JobStore {
 public:
  MemoryJobStore(double ttl_s, std::function<double()> clock) : ttl_s_(ttl_s), clock_(std::move(clock)) {}

  Status create(const JobRecord& job) override {
    std::lock_guard lock(mu_);
    sweep();
    jobs_[job.id] = job;
    return Status::Ok();
  }

  Result<std::optional<JobRecord>> get(const std::string& id) override {
    std::lock_guard lock(mu_);
    JobRecord* job = find(id);
    if (!job) return std::optional<JobRecord>();
    return std::optional<JobRecord>(*job);
  }

  Result<int> mark_running(const std::string& id, const std::string& worker, double now) override {
    std::lock_guard lock(mu_);
    JobRecord* job = find(id);
    if (!job) return Error(ErrorCode::kNotFound, "no job " + id);
    ++job->attempts;
    if (is_terminal(job->state)) return job->attempts;  // a cancel won the race; the worker will see it
    job->state = JobState::kRunning;
    job->worker = worker;
    job->progress = 0.0;
    job->stage.clear();
    if (job->started_at <= 0) job->started_at = now;
    return job->attempts;
  }

  Status mark_queued(const std::string& id) override {
    std::lock_guard lock(mu_);
    JobRecord* job = find(id);
    if (job && !is_terminal(job->state)) {
      job->state = JobState::kQueued;
      job->progress = 0.0;
      job->stage.clear();
    }
    return Status::Ok();
  }

  Status set_progress(const std::string& id, std::string_view stage, double progress) override {
    std::lock_guard lock(mu_);
    JobRecord* job = find(id);
    if (job && job->state == JobState::kRunning) {
      job->stage = std::string(stage);
      job->progress = progress;
    }
    return Status::Ok();
  }

  Result<bool> finish(const std::string& id, const JobOutcome& outcome) override {
    std::lock_guard lock(mu_);
    JobRecord* job = find(id);
    if (!job) return Error(ErrorCode::kNotFound, "no job " + id);
    if (is_terminal(job->state)) return false;
    job->state = outcome.state;
    job->result = outcome.result;
    job->error = outcome.error;
    job->finished_at = outcome.finished_at;
    if (outcome.state == JobState::kSucceeded) job->progress = 1.0;
    // Counted from now, as Redis's EXPIRE is, not from finished_at (another clock may have set it).
    expires_at_[id] = clock_() + ttl_s_;
    return true;
  }

  Status request_cancel(const std::string& id) override {
    std::lock_guard lock(mu_);
    if (JobRecord* job = find(id)) job->cancel_requested = true;
    return Status::Ok();
  }

  Result<bool> should_stop(const std::string& id) override {
    std::lock_guard lock(mu_);
    JobRecord* job = find(id);
    return !job || job->cancel_requested || is_terminal(job->state);
  }

  Result<std::vector<std::pair<JobState, long long>>> counts() override {
    std::lock_guard lock(mu_);
    sweep();
    std::vector<std::pair<JobState, long long>> out;
    for (JobState s : kAllJobStates) out.emplace_back(s, 0);
    for (const auto& [id, job] : jobs_) out[int(job.state)].second++;
    return out;
  }

 private:
  bool expired(const std::string& id, double now) const {
    auto it = expires_at_.find(id);
    return it != expires_at_.end() && now > it->second;
  }
  // mu_ held.
  JobRecord* find(const std::string& id) {
    auto it = jobs_.find(id);
    if (it == jobs_.end() || expired(id, clock_())) return nullptr;
    return &it->second;
  }
  // mu_ held. At most once a minute: a sweep walks every job.
  void sweep() {
    double now = clock_();
    if (now - last_sweep_ < 60.0 && now >= last_sweep_) return;
    last_sweep_ = now;
    for (auto it = expires_at_.begin(); it != expires_at_.end();) {
      if (now > it->second) {
        jobs_.erase(it->first);
        it = expires_at_.erase(it);
      } else {
        ++it;
      }
    }
  }

  const double ttl_s_;
  std::function<double()> clock_;
  std::mutex mu_;
  std::map<std::string, JobRecord> jobs_;
  std::map<std::string, double> expires_at_;  // finished jobs only
  double last_sweep_ = 0.0;
};

}  // namespace

std::unique_ptr<JobStore> make_memory_store(double ttl_s, std::function<double()> clock) {
  return std::make_unique<MemoryJobStore>(ttl_s, std::move(clock));
}

}  // namespace vox::jobs
