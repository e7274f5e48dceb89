// Decode + transcribe in one call: what the CLI, the HTTP routes and the job workers all use.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "vox/audio/decoder.h"
#include "vox/pipeline/transcription.h"

namespace vox {

// Overall progress of one transcription: the stage now running and 0..1 for the whole job.
using JobProgressFn = std::function<void(std::string_view stage, double overall)>;

// Maps per-stage fractions onto one monotonic 0..1 figure.
class StageProgress {
 public:
  explicit StageProgress(JobProgressFn sink) : sink_(std::move(sink)) {}
  void operator()(std::string_view stage, double fraction);
  double overall() const { return overall_; }

 private:
  JobProgressFn sink_;
  double overall_ = 0.0;
};

struct AudioInput {
  std::string path;         // a file on disk, or
  std::string_view bytes;   // an upload in memory (used when path is empty)
};

class Transcriber {
 public:
  Transcriber(EngineHost& engines, ThreadPool& workers, AudioDecoder& decoder)
      : engines_(engines), workers_(workers), decoder_(decoder) {}

  // Decodes the input (honouring the configured limits) then runs the pipeline.
  Result<Transcript> transcribe(const AudioInput& input, const TranscriptionRequest& request,
                                const JobProgressFn& progress, const CancelToken& cancel);
  // Decodes the input, then diarization alone (no recognition).
  Result<Transcript> diarize(const AudioInput& input, const TranscriptionRequest& request,
                             const JobProgressFn& progress, const CancelToken& cancel);
  Result<AudioBuffer> decode(const AudioInput& input, const ProgressFn& progress, const CancelToken& cancel);
  Result<Transcript> transcribe_audio(const AudioBuffer& audio, const TranscriptionRequest& request,
                                      const ProgressFn& progress, const CancelToken& cancel);

  EngineHost& engines() { return engines_; }

  // The request with its known speakers' reference clips decoded (2–10 s each, any format).
  Result<TranscriptionRequest> with_decoded_references(const TranscriptionRequest& request, const CancelToken& cancel);

 private:
  // Decode with progress, then `work` on the audio (the decoded copy is freed when it returns).
  Result<Transcript> run_decoded(const AudioInput& input, const JobProgressFn& progress, const CancelToken& cancel,
                                 const std::function<Result<Transcript>(const AudioBuffer&, const ProgressFn&)>& work);

  EngineHost& engines_;
  ThreadPool& workers_;
  AudioDecoder& decoder_;
};

}  // namespace vox
