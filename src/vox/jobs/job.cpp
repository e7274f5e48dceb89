#include "vox/jobs/job.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

namespace vox::jobs {

const char* job_state_name(JobState state) {
  switch (state) {
    case JobState::kQueued: return "queued";
    case JobState::kRunning: return "running";
    case JobState::kSucceeded: return "succeeded";
    case JobState::kFailed: return "failed";
    case JobState::kCancelled: return "cancelled";
  }
  return "failed";
}

Result<JobState> parse_job_state(std::string_view name) {
  for (JobState s : kAllJobStates)
    if (name == job_state_name(s)) return s;
  return Error(ErrorCode::kInvalidArgument, "unknown job state '" + std::string(name) + "'");
}

JobTiming job_timing(const JobRecord& job, double now) {
  JobTiming t;
  if (job.started_at <= 0) return t;
  double end = job.finished_at > 0 ? job.finished_at : now;
  t.elapsed_s = std::max(0.0, end - job.started_at);
  if (is_terminal(job.state)) {
    if (job.state == JobState::kSucceeded) t.eta_s = 0.0;
    return t;
  }
  // Below 2 % the first stage (decode) dominates and says little about the rest.
  if (job.progress >= 0.02 && t.elapsed_s > 0) t.eta_s = t.elapsed_s * (1.0 - job.progress) / job.progress;
  return t;
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string new_job_id() {
  // random_device reads the kernel's entropy pool; a per-process engine seeded from it is enough
  // for ids that only need to be unguessable, and avoids a syscall per id.
  static thread_local std::mt19937_64 rng{(std::uint64_t(std::random_device{}()) << 32) ^ std::random_device{}()};
  char buf[32];
  std::snprintf(buf, sizeof(buf), "job_%012llx%012llx", static_cast<unsigned long long>(rng() & 0xffffffffffffull),
                static_cast<unsigned long long>(rng() & 0xffffffffffffull));
  return buf;
}

ErrorCode error_code_from_name(std::string_view name) {
  for (int c = int(ErrorCode::kInvalidArgument); c <= int(ErrorCode::kInternal); ++c)
    if (name == error_code_name(ErrorCode(c))) return ErrorCode(c);
  return ErrorCode::kInternal;
}

}  // namespace vox::jobs
