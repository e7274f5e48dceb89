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

Result<TranscriptionRequest> Transcriber::with_decoded_references(const TranscriptionRequest& request,
                                                                   const CancelToken& cancel) {
  TranscriptionRequest out = request;
  for (auto& speaker : out.known_speakers) {
    if (!speaker.audio.samples.empty()) continue;
    auto bytes = decode_reference(speaker.reference);
    if (!bytes) return bytes.error();
    DecodeOptions options;
    options.limits.max_duration_s = kMaxReferenceSeconds * 2;
    options.cancel = cancel;
    auto audio = decoder_.decode_memory(*bytes, options);
    const std::string which = "the reference clip of '" + speaker.name + "'";
    if (!audio) return Error(ErrorCode::kInvalidArgument, which + ": " + audio.error().message, "known_speaker_references[]");
    if (audio->duration() < kMinReferenceSeconds || audio->duration() > kMaxReferenceSeconds)
      return Error(ErrorCode::kInvalidArgument, which + " must last 2 to 10 seconds", "known_speaker_references[]");
    speaker.audio = std::move(*audio);
  }
  return out;
}

Result<Transcript> Transcriber::transcribe(const AudioInput& input, const TranscriptionRequest& request,
                                           const JobProgressFn& progress, const CancelToken& cancel) {
  auto full = with_decoded_references(request, cancel);
  if (!full) return full.error();
  return run_decoded(input, progress, cancel, [&](const AudioBuffer& audio, const ProgressFn& report_stage) {
    return transcribe_audio(audio, *full, report_stage, cancel);
  });
}

Result<Transcript> Transcriber::diarize(const AudioInput& input, const TranscriptionRequest& request,
                                        const JobProgressFn& progress, const CancelToken& cancel) {
  auto full = with_decoded_references(request, cancel);
  if (!full) return full.error();
  return run_decoded(input, progress, cancel, [&](const AudioBuffer& audio, const ProgressFn& report_stage) {
    TranscriptionPipeline pipeline(engines_, workers_);
    return pipeline.diarize_only(audio, *full, report_stage, cancel);
  });
}

Result<Transcript> Transcriber::run_decoded(
    const AudioInput& input, const JobProgressFn& progress, const CancelToken& cancel,
    const std::function<Result<Transcript>(const AudioBuffer&, const ProgressFn&)>& work) {
  std::mutex mu;  // stages report from several threads
  StageProgress stages(progress);
  ProgressFn report_stage = [&](std::string_view stage, double f) {
    std::lock_guard<std::mutex> lock(mu);
    stages(stage, f);
  };
  auto audio = decode(input, report_stage, cancel);
  if (!audio) return audio.error();
  return work(*audio, report_stage);
}

}  // namespace vox
