// The worker pool: threads that take jobs off a JobQueue, run them and write their outcome. The
// same pool runs inside `vox serve` (in-process, or --local-workers with a queue) and as
// `vox worker`; it knows the adapters only through the ports in job_queue.h.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "vox/core/progress.h"
#include "vox/jobs/audio_stash.h"
#include "vox/jobs/job_queue.h"
#include "vox/pipeline/transcriber.h"

namespace vox::jobs {

struct JobBackends {
  std::shared_ptr<JobQueue> queue;
  std::shared_ptr<JobStore> store;
  std::shared_ptr<AudioStash> audio;
};

struct JobResult {
  std::string result;          // the transcript, transcript_codec JSON
  std::string engine;          // for usage and metrics
  double audio_seconds = 0.0;
};

// Runs one job. `progress` takes (stage, overall 0..1); `cancel` fires on DELETE, on a lost lease
// and on a shutdown that hands the job back.
using JobExecutor = std::function<Result<JobResult>(const JobRecord& job, const AudioBlob& audio,
                                                    const JobProgressFn& progress, const CancelToken& cancel)>;
// After a job's outcome is written by this pool (usage accounting, metrics); result only on success.
using JobFinishedFn =
    std::function<void(const JobRecord& job, const JobOutcome& outcome, const JobResult* result, double processing_s)>;

struct WorkerOptions {
  std::string name;              // unique per process (host:pid:random); threads append /N
  int concurrency = 1;
  std::chrono::milliseconds lease{0};  // the queue's lease; renewed every third of it (0 = 30 s)
  int max_attempts = 3;          // a job whose workers keep dying is failed after this many starts
  JobFinishedFn on_finished;
  std::function<void(const std::string& json_line)> log;  // one JSON object per event
};

// Names a worker uniquely: "host:pid:xxxx".
std::string default_worker_name();

class JobWorkerPool {
 public:
  JobWorkerPool(JobBackends backends, JobExecutor executor, WorkerOptions options);
  ~JobWorkerPool();
  JobWorkerPool(const JobWorkerPool&) = delete;
  JobWorkerPool& operator=(const JobWorkerPool&) = delete;

  void start();
  // Stops taking work and returns once every thread has ended. drain: running jobs finish first;
  // otherwise they are cancelled here and handed back to the queue for another worker.
  void stop(bool drain);
  // Turns a draining stop into a hand-back (a second SIGTERM); safe from any thread.
  void hand_back_running();
  int running() const;

 private:
  struct Running;
  void loop(int index);
  void run(const Claim& claim, const std::string& me);
  void monitor();
  void log(const char* event, const std::string& job_id, const std::string& worker, const std::string& detail = {});

  JobBackends b_;
  JobExecutor executor_;
  WorkerOptions options_;
  std::vector<std::thread> threads_;
  std::thread monitor_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> handing_back_{false};
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Running>> running_;  // by thread name
  bool started_ = false;
};

}  // namespace vox::jobs
