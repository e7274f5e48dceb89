#include "vox/jobs/job_system.h"

#include <cmath>
#include <filesystem>
#include <thread>

#include "vox/jobs/memory_jobs.h"
#include "vox/jobs/redis_jobs.h"

namespace vox::jobs {

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(100);

std::chrono::milliseconds lease_of(const JobsConfig& c) {
  return std::chrono::milliseconds(std::llround(c.lease_s * 1000));
}

// In-process jobs do not outlive the server, so an upload left in its directory by one that
// crashed belongs to no job. Only files older than the TTL go: another server may share the dir.
void sweep_stale_audio(const std::string& dir, double ttl_s) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto cutoff = fs::file_time_type::clock::now() - std::chrono::seconds(std::llround(ttl_s));
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto& p = it->path();
    if (p.filename().string().rfind("job_", 0) != 0) continue;
    std::error_code e2;
    if (fs::last_write_time(p, e2) < cutoff && !e2) fs::remove(p, e2);
  }
}

bool same_view(const JobRecord& a, const JobRecord& b) {
  return a.state == b.state && a.stage == b.stage && a.progress == b.progress;
}

}  // namespace

Result<JobBackends> open_job_backends(const JobsConfig& config) {
  JobBackends b;
  if (!config.shared()) {
    std::string dir = config.job_dir.empty() ? config.data_dir + "/jobs" : config.job_dir;
    sweep_stale_audio(dir, config.ttl_s);
    b.queue = make_memory_queue(lease_of(config));
    b.store = make_memory_store(config.ttl_s);
    b.audio = std::make_shared<AudioStash>(dir, nullptr, config.prefix, 0, config.ttl_s);
    return b;
  }
  auto queue = make_redis_queue(config.queue_url, config.prefix, lease_of(config));
  if (!queue) return queue.error();
  auto client = service::RedisClient::connect(config.queue_url);
  if (!client) return client.error();
  std::shared_ptr<service::RedisClient> redis(std::move(*client));
  b.queue = std::move(*queue);
  b.store = make_redis_store(redis, config.prefix, config.ttl_s);
  b.audio = std::make_shared<AudioStash>(config.job_dir, redis, config.prefix, config.max_redis_audio, config.ttl_s);
  return b;
}

Result<std::unique_ptr<JobSystem>> JobSystem::open(const JobsConfig& config) {
  auto b = open_job_backends(config);
  if (!b) return b.error();
  return std::make_unique<JobSystem>(config, std::move(*b));
}

JobSystem::JobSystem(JobsConfig config, JobBackends backends) : config_(std::move(config)), b_(std::move(backends)) {}

JobSystem::~JobSystem() {
  close();
  stop_workers(false);
}

Result<JobRecord> JobSystem::submit(const Submission& s) {
  if (config_.max_queued > 0) {
    auto c = b_.queue->counts();
    if (c && c->waiting >= config_.max_queued) {
      Error e(ErrorCode::kBusy, std::to_string(c->waiting) + " jobs are waiting already; retry later");
      e.retry_after_s = 5;
      return e;
    }
  }
  JobRecord job;
  job.id = new_job_id();
  job.owner = s.owner;
  job.fields = s.fields;
  job.format = s.format;
  job.created_at = unix_now();
  auto ref = b_.audio->put(job.id, s.audio);
  if (!ref) return ref.error();
  job.audio = *ref;
  if (Status st = b_.store->create(job); !st) {
    b_.audio->remove(job.audio);
    return st.error();
  }
  if (Status st = b_.queue->push(job.id); !st) {
    // Recorded but never queued: fail it so a poller is not left waiting forever.
    (void)b_.store->finish(job.id, JobOutcome{JobState::kFailed, {}, st.error(), unix_now()});
    b_.audio->remove(job.audio);
    return st.error();
  }
  return job;
}

Result<JobRecord> JobSystem::get(const std::string& owner, const std::string& id) {
  auto job = b_.store->get(id);
  if (!job) return job.error();
  if (!*job || (*job)->owner != owner) return Error(ErrorCode::kNotFound, "no job with id '" + id + "'", "id");
  return std::move(**job);
}

Result<JobRecord> JobSystem::cancel(const std::string& owner, const std::string& id, std::chrono::milliseconds settle) {
  auto job = get(owner, id);
  if (!job || is_terminal(job->state)) return job;
  if (Status s = b_.store->request_cancel(id); !s) return s.error();
  if (job->state == JobState::kQueued) {
    // No worker has it yet: end it here. If one took it meanwhile, finish() loses (the outcome is
    // written once) and that worker sees the cancel flag within a monitor tick.
    auto wrote = b_.store->finish(id, JobOutcome{JobState::kCancelled, {}, {}, unix_now()});
    if (wrote && *wrote) b_.audio->remove(job->audio);
  }
  const auto deadline = std::chrono::steady_clock::now() + settle;
  while (true) {
    job = get(owner, id);
    if (!job || is_terminal(job->state) || std::chrono::steady_clock::now() >= deadline || closing_) return job;
    std::this_thread::sleep_for(kPollInterval);
  }
}

Result<JobRecord> JobSystem::wait(const std::string& owner, const std::string& id, const CancelToken& cancel,
                                  const std::function<bool(const JobRecord&)>& on_change) {
  std::optional<JobRecord> last;
  while (true) {
    auto job = get(owner, id);
    if (!job) return job;
    if (on_change && (!last || !same_view(*last, *job)) && !on_change(*job)) return job;
    if (is_terminal(job->state)) return job;
    last = *job;
    if (cancel.cancelled()) {
      (void)this->cancel(owner, id, std::chrono::milliseconds(0));
      return Error(ErrorCode::kCancelled, "the client went away; its job was cancelled");
    }
    if (closing_) return Error(ErrorCode::kUnavailable, "the server is shutting down");
    std::this_thread::sleep_for(kPollInterval);
  }
}

std::vector<std::pair<std::string, double>> JobSystem::counts() {
  std::vector<std::pair<std::string, double>> out;
  if (auto by_state = b_.store->counts(); by_state && !by_state->empty()) {
    for (const auto& [state, n] : *by_state) out.emplace_back(job_state_name(state), double(n));
    return out;
  }
  // A shared store cannot count its jobs cheaply; the queue knows what is waiting and running.
  if (auto q = b_.queue->counts()) {
    out.emplace_back("queued", double(q->waiting));
    out.emplace_back("running", double(q->claimed));
  }
  return out;
}

void JobSystem::start_workers(JobExecutor executor, WorkerOptions options) {
  if (pool_ || options.concurrency <= 0) return;
  if (options.lease.count() <= 0) options.lease = lease_of(config_);
  pool_ = std::make_unique<JobWorkerPool>(b_, std::move(executor), std::move(options));
  pool_->start();
}

void JobSystem::stop_workers(bool drain) {
  if (!pool_) return;
  pool_->stop(drain);
  pool_.reset();
}

}  // namespace vox::jobs
