#include "vox/jobs/jobs_config.h"

#include <algorithm>
#include <charconv>

#include "vox/core/option_table.h"

namespace vox::jobs {

namespace {

using JobsOption = Option<JobsConfig>;

Status set_seconds(double& field, const std::string& v, const char* what, double lo) {
  auto r = parse_duration(v);
  if (!r) return r.error();
  if (*r < lo)
    return Error(ErrorCode::kInvalidArgument, std::string(what) + " must be at least " + std::to_string(int(lo)) + " s", what);
  field = *r;
  return Status::Ok();
}

Status set_count(long long& field, const std::string& v, const char* what, long long hi) {
  long long n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < 0 || n > hi)
    return Error(ErrorCode::kInvalidArgument, std::string(what) + " must be an integer in 0.." + std::to_string(hi) + ", got '" + v + "'", what);
  field = n;
  return Status::Ok();
}

const std::vector<JobsOption>& options() {
  static const std::vector<JobsOption> o = {
      {"--queue", "VOX_QUEUE", "URL", "share jobs through Redis (redis://host:port/db); default: in-process",
       [](JobsConfig& c, const std::string& v) {
         if (v.rfind("redis://", 0) != 0)
           return Status(Error(ErrorCode::kInvalidArgument, "queue URL must start with redis://, got '" + v + "'", "queue"));
         c.queue_url = v;
         return Status::Ok();
       }},
      {"--job-dir", "VOX_JOB_DIR", "DIR", "where job uploads wait (shared by all workers with --queue)",
       [](JobsConfig& c, const std::string& v) { c.job_dir = v; return Status::Ok(); }},
      {"--job-ttl", "VOX_JOB_TTL", "TIME", "how long finished jobs and results are kept (default 24h)",
       [](JobsConfig& c, const std::string& v) { return set_seconds(c.ttl_s, v, "job-ttl", 1); }},
      {"--job-lease", "VOX_JOB_LEASE", "TIME", "a worker silent this long loses its job to another (default 30s)",
       [](JobsConfig& c, const std::string& v) { return set_seconds(c.lease_s, v, "job-lease", 1); }},
      {"--local-workers", "VOX_LOCAL_WORKERS", "N", "jobs this server runs at once (default 2; 0 with --queue)",
       [](JobsConfig& c, const std::string& v) {
         long long n = 0;
         if (Status s = set_count(n, v, "local-workers", 256); !s) return s;
         c.local_workers = int(n);
         return Status::Ok();
       }},
      {"--job-max-redis-audio", "VOX_JOB_MAX_REDIS_AUDIO", "SIZE", "largest upload sent through Redis (default 64MiB)",
       [](JobsConfig& c, const std::string& v) {
         auto r = parse_byte_size(v);
         if (!r) return Status(r.error());
         c.max_redis_audio = *r;
         return Status::Ok();
       }},
      {"--job-max-queued", "VOX_JOB_MAX_QUEUED", "N", "waiting jobs before POST /v1/jobs answers 503 (default 1000)",
       [](JobsConfig& c, const std::string& v) { return set_count(c.max_queued, v, "job-max-queued", 100000000); }},
  };
  return o;
}

}  // namespace

JobsConfig jobs_config_from(const Config& config) {
  JobsConfig c;
  c.data_dir = config.data_dir;
  return c;
}

Status apply_jobs_environment(JobsConfig& config, const std::function<const char*(const char*)>& getenv_fn) {
  return apply_option_environment(options(), config, getenv_fn);
}

Status apply_jobs_flags(JobsConfig& config, const std::vector<std::string>& args, std::vector<std::string>& rest) {
  return apply_option_flags(options(), config, args, rest);
}

std::string jobs_options_help() { return option_help(options()); }

}  // namespace vox::jobs
