// One asynchronous transcription job as the queue, the store and the HTTP layer all see it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vox/core/error.h"

namespace vox::jobs {

enum class JobState { kQueued, kRunning, kSucceeded, kFailed, kCancelled };

// "queued" | "running" | "succeeded" | "failed" | "cancelled".
const char* job_state_name(JobState state);
Result<JobState> parse_job_state(std::string_view name);
inline bool is_terminal(JobState s) { return s != JobState::kQueued && s != JobState::kRunning; }
constexpr JobState kAllJobStates[] = {JobState::kQueued, JobState::kRunning, JobState::kSucceeded, JobState::kFailed,
                                      JobState::kCancelled};

// The request's form fields except the upload, in order, so a worker re-parses them with the
// same validation as POST /v1/audio/transcriptions (and with its own installed engines).
using FormFields = std::vector<std::pair<std::string, std::string>>;

struct JobRecord {
  std::string id;
  std::string owner;             // API key id that created it; "" in open (keyless) mode
  JobState state = JobState::kQueued;
  double progress = 0.0;         // 0..1 over the whole job
  std::string stage;             // decode | vad | asr | diarize | merge; "" before the first report
  double created_at = 0.0;       // unix seconds (wall clock: workers run on other machines)
  double started_at = 0.0;       // 0 = not started
  double finished_at = 0.0;      // 0 = not finished
  FormFields fields;
  std::string format = "json";   // the job's response_format
  std::string audio;             // where the upload waits (an AudioStash reference)
  std::string worker;            // the worker running it (last one, after a hand-over)
  int attempts = 0;              // how many times a worker started it
  bool cancel_requested = false;
  // Terminal jobs only:
  std::string result;            // succeeded: the transcript as transcript_codec JSON
  Error error;                   // failed: why
};

// What a worker (or a cancel of a queued job) writes, exactly once, when a job ends.
struct JobOutcome {
  JobState state = JobState::kSucceeded;  // succeeded | failed | cancelled
  std::string result;
  Error error;
  double finished_at = 0.0;
};

// elapsed_s: running time so far (or in total once finished), 0 while queued. eta_s: a linear
// estimate from progress, absent until there is enough progress to extrapolate from.
struct JobTiming {
  double elapsed_s = 0.0;
  std::optional<double> eta_s;
};
JobTiming job_timing(const JobRecord& job, double now);

double unix_now();
// "job_" + 24 random hex digits: unguessable, so ids leak nothing about other keys' jobs.
std::string new_job_id();

// The inverse of error_code_name(); unknown names map to kInternal.
ErrorCode error_code_from_name(std::string_view name);

}  // namespace vox::jobs
