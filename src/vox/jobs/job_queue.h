// Ports of the job system. The queue hands job ids to workers with at-least-once delivery: a
// claimed job that is not renewed within the lease (its worker died) goes to another worker. The
// store holds each job's status, progress and outcome; the outcome is written once, so when two
// workers race on one job (a slow worker whose lease ran out) only the first result counts.
// Adapters: in-process (memory_jobs.h) and Redis (redis_jobs.h).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vox/core/error.h"
#include "vox/jobs/job.h"

namespace vox::jobs {

// A job handed to one worker. `receipt` names this delivery (a Redis stream entry id).
struct Claim {
  std::string job_id;
  std::string receipt;
};

struct QueueCounts {
  long long waiting = 0;  // not yet claimed
  long long claimed = 0;  // claimed and not yet acknowledged
};

class JobQueue {
 public:
  virtual ~JobQueue() = default;
  virtual Status push(const std::string& job_id) = 0;
  // The next job for `worker`: first one whose lease ran out, else a waiting one, waiting up to
  // `wait` for one to arrive. nullopt when there is none.
  virtual Result<std::optional<Claim>> pop(const std::string& worker, std::chrono::milliseconds wait) = 0;
  // Extends the lease; false when the claim was lost (the lease ran out and another worker took it).
  virtual Result<bool> renew(const Claim& claim, const std::string& worker) = 0;
  // The job is finished (whatever its outcome): forget it.
  virtual Status ack(const Claim& claim) = 0;
  // Gives the job back for another worker now, without waiting for the lease (worker shutdown).
  virtual Status hand_back(const Claim& claim) = 0;
  // "This worker is alive" for operators (redis-cli KEYS '*worker*'); `info` is a JSON object.
  virtual Status heartbeat(const std::string& worker, const std::string& info) = 0;
  // The worker is leaving for good (after handing back or finishing its claims).
  virtual Status leave(const std::string& worker) { return Status::Ok(); }
  virtual Result<QueueCounts> counts() = 0;
  // Wakes every pop() waiting in this process (shutdown).
  virtual void interrupt() {}
};

class JobStore {
 public:
  virtual ~JobStore() = default;
  virtual Status create(const JobRecord& job) = 0;
  // The record with its outcome once it has one; nullopt when unknown or expired.
  virtual Result<std::optional<JobRecord>> get(const std::string& id) = 0;
  // A worker starts the job (again, after a dead worker): running, started_at kept from the first
  // start, progress reset. Returns the attempt number (1 for the first start).
  virtual Result<int> mark_running(const std::string& id, const std::string& worker, double now) = 0;
  // Back to queued (the worker handed it back on shutdown).
  virtual Status mark_queued(const std::string& id) = 0;
  virtual Status set_progress(const std::string& id, std::string_view stage, double progress) = 0;
  // Writes the outcome unless the job already has one; true when this call wrote it.
  virtual Result<bool> finish(const std::string& id, const JobOutcome& outcome) = 0;
  virtual Status request_cancel(const std::string& id) = 0;
  // Whether a running job should stop: cancel requested, an outcome already written, or the job
  // gone. Cheaper than get() (no fields, no result): workers poll it several times a second.
  virtual Result<bool> should_stop(const std::string& id) = 0;
  // Jobs per state where the store can count them cheaply (in-process); empty otherwise.
  virtual Result<std::vector<std::pair<JobState, long long>>> counts() = 0;
};

}  // namespace vox::jobs
