#include "vox/jobs/transcription_job.h"

#include "vox/jobs/transcript_codec.h"

namespace vox::jobs {

Result<TranscriptionOptions> job_options(const FormFields& fields, const IsEngineFn& is_engine) {
  TranscriptionOptions options;
  for (const auto& [name, value] : fields)
    if (Status s = set_transcription_field(options, name, value); !s) return s.error();
  if (Status s = finish_transcription_options(options, is_engine); !s) return s.error();
  return options;
}

IsEngineFn installed_recognizers(Transcriber& transcriber) {
  return [&transcriber](const std::string& name) {
    return transcriber.engines().registries().recognizers.find(name) != nullptr;
  };
}

JobExecutor make_transcription_executor(Transcriber& transcriber) {
  return [&transcriber](const JobRecord& job, const AudioBlob& audio, const JobProgressFn& progress,
                        const CancelToken& cancel) -> Result<JobResult> {
    // Parsed again here, not shipped pre-parsed: a worker on another machine validates the model
    // name against its own installed engines.
    auto options = job_options(job.fields, installed_recognizers(transcriber));
    if (!options) return options.error();
    AudioInput input;
    input.path = audio.path;
    input.bytes = audio.bytes;
    options->request.priority = Priority::kBatch;  // synchronous requests and live sessions go first
    auto transcript = transcriber.transcribe(input, options->request, progress, cancel);
    if (!transcript) return transcript.error();
    return JobResult{encode_transcript(*transcript), transcript->engine, transcript->duration};
  };
}

}  // namespace vox::jobs
