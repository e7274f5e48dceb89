#include "vox/pipeline/transcriber.h"

#include <algorithm>
#include <mutex>

namespace vox {

namespace {
struct StageSpan {
  std::string_view name;
  double begin, end;
};
// Diarization runs alongside "asr", so it shares that span; whichever finishes last ends it.
constexpr StageSpan kStages[] = {
    {"decode", 0.00, 0.10}, {"vad", 0.10, 0.15}, {"asr", 0.15, 0.95}, {"diarize", 0.15, 0.95}, {"merge", 0.95, 1.00}};
}  // namespace

void StageProgress::operator()(std::string_view stage, double fraction) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  for (const auto& s : kStages) {
    if (s.name != stage) continue;
    double value = s.begin + (s.end - s.begin) * fraction;
    if (value < overall_) return;  // never go backwards (parallel stages report interleaved)
    overall_ = value;
    if (sink_) sink_(stage, overall_);
    return;
  }
}

Result<AudioBuffer> Transcriber::decode(const AudioInput& input, const ProgressFn& progress, const CancelToken& cancel) {
  DecodeOptions options;
  options.limits.max_bytes = engines_.config().limits.max_upload_bytes;
  options.limits.max_duration_s = engines_.config().limits.max_duration_s;
  options.progress = progress;
  options.cancel = cancel;
  return input.path.empty() ? decoder_.decode_memory(input.bytes, options) : decoder_.decode_file(input.path, options);
}

Result<Transcript> Transcriber::transcribe_audio(const AudioBuffer& audio, const TranscriptionRequest& request,
                                                 const ProgressFn& progress, const CancelToken& cancel) {
  TranscriptionPipeline pipeline(engines_, workers_);
  return pipeline.run(audio, request, progress, cancel);
}

Result<Transcript> Transcriber::transcribe(const AudioInput& input, const TranscriptionRequest& request,
                                           const JobProgressFn& progress, const CancelToken& cancel) {
  std::mutex mu;  // stages report from several threads
  StageProgress stages(progress);
  ProgressFn report_stage = [&](std::string_view stage, double f) {
    std::lock_guard<std::mutex> lock(mu);
    stages(stage, f);
  };
  auto audio = decode(input, report_stage, cancel);
  if (!audio) return audio.error();
  return transcribe_audio(*audio, request, report_stage, cancel);
}

}  // namespace vox
