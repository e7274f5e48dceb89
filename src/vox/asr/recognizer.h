// Speech recogniser interface. One implementation file per engine; the factory in
// engines/registry picks one by name.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vox/audio/audio.h"
#include "vox/core/error.h"
#include "vox/core/progress.h"

namespace vox {

struct RecognizedWord {
  std::string text;
  double start = 0.0;      // seconds, relative to the chunk (engine) or recording (after stitching)
  double end = 0.0;
  float confidence = 1.0f; // 0..1
};

struct RecognizeOptions {
  std::string language;  // ISO-639-1, empty = engine default / detect
  std::string prompt;    // biasing text, when the engine supports it
  float temperature = 0.0f;
};

struct ChunkResult {
  std::vector<RecognizedWord> words;  // times relative to the chunk start
  std::string language;               // detected or configured
  double avg_logprob = 0.0;           // mean log-probability per word, when the engine knows it
};

// One utterance decoded as its audio arrives (a live turn): partial hypotheses while it is
// spoken, the words when it ends. Not thread-safe: one caller at a time. Dropping a stream
// without finish() abandons the utterance.
class RecognizerStream {
 public:
  virtual ~RecognizerStream() = default;
  // 16 kHz mono samples that follow the ones fed before.
  virtual Status feed(std::span<const float> samples) = 0;
  // The text so far (lowercase words separated by spaces; "" before the first word).
  virtual Result<std::string> partial() = 0;
  // Ends the utterance: its words, times relative to the first sample fed. Call once.
  virtual Result<ChunkResult> finish() = 0;
};

class Recognizer {
 public:
  virtual ~Recognizer() = default;
  virtual std::string name() const = 0;
  // Thread-safe: the pipeline calls this from several workers at once; engines that hold
  // non-thread-safe state keep a pool of decoders internally.
  virtual Result<ChunkResult> recognize(const AudioChunk& chunk, const RecognizeOptions& options,
                                        const CancelToken& cancel) = 0;
  // How many chunks this engine can usefully decode at once (its pool size).
  virtual int parallelism() const { return 1; }
  // Whether the words come as written text, with capitals and punctuation (Whisper, Parakeet),
  // rather than a lowercase stream (sphinx, QuartzNet): the text stage keeps written marks.
  virtual bool writes_text() const { return false; }
  // An incremental decoder for one utterance, for engines that decode as audio arrives
  // (sphinx). Does not wait: kBusy when every decoder is in use right now, kUnavailable for
  // engines that only decode whole chunks (the default); callers then use recognize().
  virtual Result<std::unique_ptr<RecognizerStream>> open_stream(const RecognizeOptions& options) {
    return Error(ErrorCode::kUnavailable, "the " + name() + " engine does not decode incrementally");
  }
};

}  // namespace vox
