// The transcription pipeline: audio → VAD → chunks → parallel recognition, with diarization
// running at the same time → merge → Transcript. Engines are looked up by name in an EngineHost;
// the pipeline knows no engine by name.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "vox/asr/recognizer.h"
#include "vox/audio/audio.h"
#include "vox/core/thread_pool.h"
#include "vox/core/progress.h"
#include "vox/diar/diarizer.h"
#include "vox/engines/registry.h"
#include "vox/format/transcript.h"
#include "vox/pipeline/known_speakers.h"
#include "vox/text/text_options.h"
#include "vox/vad/vad.h"

namespace vox {

struct TranscriptionRequest {
  std::string engine;          // recogniser name; empty = configured default
  RecognizeOptions recognize;
  std::string vad;             // empty = configured default
  VadOptions vad_options;
  bool diarize = false;
  std::string diarizer;        // empty = configured default
  DiarizeOptions speakers;
  std::vector<KnownSpeaker> known_speakers;  // label clusters with these names (audio decoded)
  TextOptions text;            // the text stage: punctuation, numerals, paragraphs, ...
  // Where the request's chunks stand in the shared pool: jobs are kBatch, so synchronous
  // requests and live sessions go first (never a form field: the route or worker decides).
  Priority priority = Priority::kInteractive;
};

// A diarizer's turns for the recording and the names known speakers gave some clusters.
struct LabelledTurns {
  std::vector<SpeakerTurn> turns;
  std::map<int, std::string> names;
};

class TranscriptionPipeline {
 public:
  TranscriptionPipeline(EngineHost& engines, ThreadPool& workers) : engines_(engines), workers_(workers) {}

  // Progress stages: vad, asr, diarize, merge. Returns kCancelled if `cancel` fires.
  Result<Transcript> run(const AudioBuffer& audio, const TranscriptionRequest& request, const ProgressFn& progress,
                         const CancelToken& cancel);
  // Who spoke when, without recognition: segments carry speaker and times, no text.
  Result<Transcript> diarize_only(const AudioBuffer& audio, const TranscriptionRequest& request,
                                  const ProgressFn& progress, const CancelToken& cancel);

 private:
  Result<Diarizer*> pick_diarizer(const TranscriptionRequest& request);
  static Result<LabelledTurns> run_diarizer(Diarizer& diarizer, const AudioBuffer& audio,
                                            const std::vector<SpeechRegion>& speech,
                                            const TranscriptionRequest& request, const ProgressFn& progress,
                                            const CancelToken& cancel);
  Result<std::vector<SpeechRegion>> detect_speech(const AudioBuffer& audio, const TranscriptionRequest& request,
                                                  const ProgressFn& progress, const CancelToken& cancel);

  EngineHost& engines_;
  ThreadPool& workers_;
};

}  // namespace vox
