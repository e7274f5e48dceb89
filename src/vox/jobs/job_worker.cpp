#include "vox/jobs/job_worker.h"

#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

namespace vox::jobs {

namespace {
using Clock = std::chrono::steady_clock;
constexpr auto kPopWait = std::chrono::milliseconds(500);
constexpr auto kMonitorTick = std::chrono::milliseconds(200);
}  // namespace

// One job in flight on one thread; the monitor thread renews its lease and watches for cancels.
struct JobWorkerPool::Running {
  Claim claim;
  std::string worker;
  CancelToken cancel;
  std::atomic<bool> lost{false};    // the lease went to another worker
  std::atomic<bool> handed{false};  // shutdown: give it back rather than finish it
  Clock::time_point renewed = Clock::now();
};

std::string default_worker_name() {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) std::snprintf(host, sizeof(host), "host");
  char suffix[16];
  std::snprintf(suffix, sizeof(suffix), "%04x", unsigned(std::random_device{}() & 0xffff));
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + suffix;
}

JobWorkerPool::JobWorkerPool(JobBackends backends, JobExecutor executor, WorkerOptions options)
    : b_(std::move(backends)), executor_(std::move(executor)), options_(std::move(options)) {
  if (options_.name.empty()) options_.name = default_worker_name();
  if (options_.concurrency < 1) options_.concurrency = 1;
  if (options_.lease.count() <= 0) options_.lease = std::chrono::milliseconds(30000);
}

JobWorkerPool::~JobWorkerPool() { stop(false); }

void JobWorkerPool::start() {
  if (started_) return;
  started_ = true;
  for (int i = 0; i < options_.concurrency; ++i) threads_.emplace_back([this, i] { loop(i); });
  monitor_ = std::thread([this] { monitor(); });
  log("worker_started", "", options_.name, std::to_string(options_.concurrency) + " slots");
}

void JobWorkerPool::stop(bool drain) {
  if (!started_) return;
  stopping_ = true;
  if (!drain) hand_back_running();
  b_.queue->interrupt();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
  if (monitor_.joinable()) monitor_.join();
  for (int i = 0; i < options_.concurrency; ++i) (void)b_.queue->leave(options_.name + "/" + std::to_string(i));
  started_ = false;
  log("worker_stopped", "", options_.name);
}

void JobWorkerPool::hand_back_running() {
  handing_back_ = true;
  std::lock_guard lock(mu_);
  for (auto& [name, r] : running_) {
    r->handed = true;
    r->cancel.cancel();
  }
}

int JobWorkerPool::running() const {
  std::lock_guard lock(mu_);
  return int(running_.size());
}

void JobWorkerPool::loop(int index) {
  const std::string me = options_.name + "/" + std::to_string(index);
  while (!stopping_) {
    auto claim = b_.queue->pop(me, kPopWait);
    if (!claim) {
      log("queue_error", "", me, claim.error().message);
      for (int i = 0; i < 10 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    if (!*claim) continue;
    if (stopping_) {  // taken just as the stop came: someone else should run it
      (void)b_.queue->hand_back(**claim);
      break;
    }
    run(**claim, me);
  }
}

void JobWorkerPool::run(const Claim& claim, const std::string& me) {
  auto record = b_.store->get(claim.job_id);
  if (!record) {  // store unreachable: leave the claim; it is re-delivered once the lease runs out
    log("store_error", claim.job_id, me, record.error().message);
    return;
  }
  auto finish_now = [&](const JobRecord& job, JobOutcome o) {
    o.finished_at = unix_now();
    auto wrote = b_.store->finish(job.id, o);
    (void)b_.queue->ack(claim);
    b_.audio->remove(job.audio);
    if (wrote && *wrote && options_.on_finished) options_.on_finished(job, o, nullptr, 0.0);
  };
  if (!*record) {  // expired or never existed: nothing to run
    (void)b_.queue->ack(claim);
    return;
  }
  JobRecord job = std::move(**record);
  if (is_terminal(job.state)) {  // cancelled while queued, or finished by a worker that lost its lease
    (void)b_.queue->ack(claim);
    b_.audio->remove(job.audio);
    return;
  }
  if (job.cancel_requested) return finish_now(job, JobOutcome{JobState::kCancelled, {}, {}, 0});
  auto attempt = b_.store->mark_running(job.id, me, unix_now());
  if (!attempt) {
    log("store_error", job.id, me, attempt.error().message);
    return;
  }
  if (*attempt > options_.max_attempts) {
    Error e(ErrorCode::kInternal, "the job was started " + std::to_string(*attempt - 1) +
                                      " times and its worker stopped each time without finishing it");
    log("job_abandoned", job.id, me, e.message);
    return finish_now(job, JobOutcome{JobState::kFailed, {}, e, 0});
  }

  auto r = std::make_shared<Running>();
  r->claim = claim;
  r->worker = me;
  {
    std::lock_guard lock(mu_);
    running_[me] = r;
    if (handing_back_) {
      r->handed = true;
      r->cancel.cancel();
    }
  }
  log("job_started", job.id, me, "attempt " + std::to_string(*attempt));
  const auto t0 = Clock::now();

  // Progress is written at most every 250 ms (or on a stage change): engines report per chunk and
  // a remote store should not see a write per callback.
  std::mutex progress_mu;
  std::string last_stage;
  Clock::time_point last_write;
  JobProgressFn progress = [&](std::string_view stage, double overall) {
    std::lock_guard lock(progress_mu);
    auto now = Clock::now();
    if (stage == last_stage && now - last_write < std::chrono::milliseconds(250)) return;
    last_stage = std::string(stage);
    last_write = now;
    (void)b_.store->set_progress(job.id, stage, overall);
  };

  auto blob = b_.audio->fetch(job.audio);
  Result<JobResult> result = blob ? executor_(job, *blob, progress, r->cancel) : Result<JobResult>(blob.error());
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  {
    std::lock_guard lock(mu_);
    running_.erase(me);
  }

  if (r->handed) {
    (void)b_.store->mark_queued(job.id);
    (void)b_.queue->hand_back(claim);
    log("job_handed_back", job.id, me);
    return;
  }
  if (r->lost) {  // another worker holds it now and writes the outcome
    log("job_lost", job.id, me, "lease expired");
    return;
  }
  JobOutcome o;
  o.finished_at = unix_now();
  if (result) {
    o.state = JobState::kSucceeded;
    o.result = result->result;
  } else if (result.error().code == ErrorCode::kCancelled) {
    o.state = JobState::kCancelled;
  } else {
    o.state = JobState::kFailed;
    o.error = result.error();
  }
  auto wrote = b_.store->finish(job.id, o);
  if (!wrote) {  // not acknowledged: the job is re-delivered and redone once the store is back
    log("store_error", job.id, me, wrote.error().message);
    return;
  }
  (void)b_.queue->ack(claim);
  b_.audio->remove(job.audio);
  log("job_finished", job.id, me,
      std::string(job_state_name(o.state)) + (*wrote ? "" : " (another worker's outcome was first)"));
  if (*wrote && options_.on_finished) options_.on_finished(job, o, result ? &*result : nullptr, seconds);
}

void JobWorkerPool::monitor() {
  const auto renew_every = std::max(std::chrono::milliseconds(100), options_.lease / 3);
  auto last_heartbeat = Clock::time_point();
  while (!stopping_ || running() > 0) {
    std::vector<std::shared_ptr<Running>> now_running;
    {
      std::lock_guard lock(mu_);
      for (auto& [name, r] : running_) now_running.push_back(r);
    }
    const auto now = Clock::now();
    for (auto& r : now_running) {
      // DELETE /v1/jobs/{id} may come to any server: the flag in the store is how it reaches us.
      if (auto stop = b_.store->should_stop(r->claim.job_id); stop && *stop) r->cancel.cancel();
      if (now - r->renewed >= renew_every) {
        auto ok = b_.queue->renew(r->claim, r->worker);
        if (ok) r->renewed = now;
        if (ok && !*ok) {
          r->lost = true;
          r->cancel.cancel();
        }
      }
    }
    if (now - last_heartbeat >= renew_every) {
      last_heartbeat = now;
      nlohmann::json info = {{"pid", getpid()}, {"slots", options_.concurrency}, {"running", int(now_running.size())},
                             {"at", unix_now()}};
      (void)b_.queue->heartbeat(options_.name, info.dump());
    }
    std::this_thread::sleep_for(kMonitorTick);
  }
}

void JobWorkerPool::log(const char* event, const std::string& job_id, const std::string& worker,
                        const std::string& detail) {
  if (!options_.log) return;
  nlohmann::ordered_json j = {{"level", "info"}, {"event", event}, {"worker", worker}};
  if (!job_id.empty()) j["job"] = job_id;
  if (!detail.empty()) j["detail"] = detail;
  options_.log(j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

}  // namespace vox::jobs
