// Settings of the job system. Like the service layer, the module owns its options, so core's
// config knows nothing about queues; serve and worker apply them after the global ones.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "vox/core/config.h"
#include "vox/core/error.h"

namespace vox::jobs {

struct JobsConfig {
  std::string queue_url;            // VOX_QUEUE: "" = in-process, redis://host:port[/db] = shared
  std::string job_dir;              // VOX_JOB_DIR: where uploads wait; "" = data_dir/jobs (in-process)
                                    // or Redis itself (with a queue URL); see audio_stash.h
  std::string data_dir;             // Config::data_dir (VOX_DATA_DIR)
  std::string prefix = "vox:";      // namespace of every Redis key
  double ttl_s = 24 * 3600.0;       // VOX_JOB_TTL: results are kept this long after a job ends
  double lease_s = 30.0;            // VOX_JOB_LEASE: a worker silent this long is presumed dead
  int local_workers = -1;           // VOX_LOCAL_WORKERS: jobs this server runs at once; -1 = auto
  std::uint64_t max_redis_audio = 64ull << 20;  // VOX_JOB_MAX_REDIS_AUDIO
  long long max_queued = 1000;      // VOX_JOB_MAX_QUEUED: beyond this POST /v1/jobs answers 503

  bool shared() const { return !queue_url.empty(); }
  // -1 resolves to 2 in-process (a second job overlaps the first's decode and merge) and to 0 with
  // a queue: then dedicated `vox worker` processes run the engines.
  int effective_local_workers() const { return local_workers >= 0 ? local_workers : (shared() ? 0 : 2); }
};

JobsConfig jobs_config_from(const Config& config);

// Environment first, then flags; unknown arguments are appended to `rest` in order.
Status apply_jobs_environment(JobsConfig& config, const std::function<const char*(const char*)>& getenv_fn);
Status apply_jobs_flags(JobsConfig& config, const std::vector<std::string>& args, std::vector<std::string>& rest);
std::string jobs_options_help();

}  // namespace vox::jobs
