// The job system as the HTTP layer and the CLI see it: submit, look up, cancel and wait for jobs,
// and optionally run a worker pool, over whichever adapters the config names.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vox/core/progress.h"
#include "vox/jobs/job_worker.h"
#include "vox/jobs/jobs_config.h"

namespace vox::jobs {

// The adapters `config` names: in-process, or Redis at config.queue_url (kUnavailable when it
// cannot be reached).
Result<JobBackends> open_job_backends(const JobsConfig& config);

struct Submission {
  std::string owner;       // the API key id; "" in open mode
  FormFields fields;       // validated by the caller (job_options)
  std::string format;      // response_format name
  std::string_view audio;  // the upload
};

class JobSystem {
 public:
  static Result<std::unique_ptr<JobSystem>> open(const JobsConfig& config);
  JobSystem(JobsConfig config, JobBackends backends);
  ~JobSystem();

  const JobsConfig& config() const { return config_; }
  // True when jobs go through a queue other processes share (then this server may run no engines).
  bool shared() const { return config_.shared(); }

  // kBusy (503 + Retry-After) when config.max_queued jobs are already waiting.
  Result<JobRecord> submit(const Submission& s);
  // kNotFound unless `owner` created the job: another key's job is indistinguishable from none.
  Result<JobRecord> get(const std::string& owner, const std::string& id);
  // A queued job ends cancelled at once; a running one once its engines reach the next chunk
  // (waits up to `settle` for that, then returns the job as it is).
  Result<JobRecord> cancel(const std::string& owner, const std::string& id,
                           std::chrono::milliseconds settle = std::chrono::milliseconds(2000));
  // Polls until the job ends. If `cancel` fires first (the client went away) the job is cancelled.
  // `on_change` sees every new (state, stage, progress) and may return false to stop waiting.
  Result<JobRecord> wait(const std::string& owner, const std::string& id, const CancelToken& cancel,
                         const std::function<bool(const JobRecord&)>& on_change = nullptr);

  // (state, count) for the vox_jobs gauge.
  std::vector<std::pair<std::string, double>> counts();

  void start_workers(JobExecutor executor, WorkerOptions options);
  // drain: running jobs finish; otherwise they are handed back to the queue.
  void stop_workers(bool drain);
  JobWorkerPool* workers() { return pool_.get(); }

  // Server shutdown: every wait() returns.
  void close() { closing_ = true; }
  bool closing() const { return closing_; }

 private:
  JobsConfig config_;
  JobBackends b_;
  std::unique_ptr<JobWorkerPool> pool_;
  std::atomic<bool> closing_{false};
};

}  // namespace vox::jobs
