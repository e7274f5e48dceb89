// Speech recogniser interface. One implementation file per engine; the factory in
// engines/registry picks one by name.
#pragma once

#include <memory>
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
};

}  // namespace vox
