// What a job runs: the request fields parsed exactly as POST /v1/audio/transcriptions parses them,
// then the Transcriber. Used by every worker pool; the HTTP layer uses job_options() to validate a
// submission up front and to re-render a stored result.
#pragma once

#include <functional>
#include <string>

#include "vox/jobs/job_worker.h"
#include "vox/pipeline/request_fields.h"

namespace vox::jobs {

using IsEngineFn = std::function<bool(const std::string&)>;

// The job's fields → options (validated; kInvalidArgument names the bad field).
Result<TranscriptionOptions> job_options(const FormFields& fields, const IsEngineFn& is_engine);

// Whether `name` is a recogniser the transcriber's engine host can create.
IsEngineFn installed_recognizers(Transcriber& transcriber);

JobExecutor make_transcription_executor(Transcriber& transcriber);

}  // namespace vox::jobs
