// The transcription pipeline: audio → VAD → chunks → parallel recognition, with diarization
// running at the same time → merge → Transcript. Engines are looked up by name in an EngineHost;
// the pipeline knows no engine by name.
#pragma once

#include <string>
#include <vector>

#include "vox/asr/recognizer.h"
#include "vox/audio/audio.h"
#include "vox/core/progress.h"
#include "vox/diar/diarizer.h"
#include "vox/engines/registry.h"
#include "vox/format/transcript.h"
#include "vox/vad/vad.h"

namespace vox {

class ThreadPool;

struct TranscriptionRequest {
  std::string engine;          // recogniser name; empty = configured default
  RecognizeOptions recognize;
  std::string vad;             // empty = configured default
  VadOptions vad_options;
  bool diarize = false;
  std::string diarizer;        // empty = configured default
  DiarizeOptions speakers;
};

class TranscriptionPipeline {
 public:
  TranscriptionPipeline(EngineHost& engines, ThreadPool& workers) : engines_(engines), workers_(workers) {}

  // Progress stages: vad, asr, diarize, merge. Returns kCancelled if `cancel` fires.
  Result<Transcript> run(const AudioBuffer& audio, const TranscriptionRequest& request, const ProgressFn& progress,
                         const CancelToken& cancel);

 private:
  EngineHost& engines_;
  ThreadPool& workers_;
};

}  // namespace vox
