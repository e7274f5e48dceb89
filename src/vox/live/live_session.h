// A live transcription session (no network in here): PCM comes in chunks of any size while
// people speak; events go out as turns begin, grow and end. The OpenAI Realtime WebSocket route
// and the `vox listen` client are adapters around it.
//
// Turns: Silero VAD finds where speech starts and stops (OpenAI's server_vad: threshold,
// prefix_padding_ms, silence_duration_ms), or the client commits each turn itself (manual).
// While a turn is spoken, `partial` events carry its text so far, at least every
// partial_interval_s of speech, from engines that decode incrementally (sphinx); other engines
// decode the turn when it ends, batched with other sessions' turns by the engine itself. A
// `final` carries the turn's written words (the text stage: punctuation, numerals, rules) with
// times from the session start, its speaker — matched against the session's speakers so far
// (online clustering of speaker embeddings) and the known speakers given at the start — and
// a confidence.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vox/core/error.h"
#include "vox/format/transcript.h"
#include "vox/pipeline/known_speakers.h"
#include "vox/text/text_options.h"
#include "vox/vad/vad.h"

namespace vox {

class EngineHost;
class ThreadPool;

struct LiveOptions {
  std::string engine;        // recogniser; "" = the configured default
  std::string language;      // "" = the engine's default
  std::string prompt;        // biasing text, where the engine supports it
  bool server_vad = true;    // false: turns end only at commit()
  VadOptions vad;            // threshold, prefix_padding_ms, silence_duration_ms
  double partial_interval_s = 0.3;
  TextOptions text;          // applied to finals
  std::vector<KnownSpeaker> known_speakers;  // with audio decoded; names speakers that match
  double max_turn_s = 30.0;  // a turn that goes on this long is ended (and a new one begins)
};

struct LiveEvent {
  enum class Kind {
    kSpeechStarted,  // item_id, audio_start_ms
    kSpeechStopped,  // item_id, audio_end_ms
    kCommitted,      // item_id: the turn's audio is closed and being decoded
    kPartial,        // item_id, text: the whole turn so far (replaces the previous partial)
    kFinal,          // item_id, text, words, speaker, confidence, audio_start_ms, audio_end_ms
    kCleared,        // the uncommitted audio was dropped
    kFailed,         // item_id, error: the turn could not be decoded (the session goes on)
  };
  Kind kind = Kind::kPartial;
  std::string item_id;        // one per turn: "item_" + a number unique in the session
  double audio_start_ms = 0;  // from the first sample the session received
  double audio_end_ms = 0;
  std::string text;
  std::vector<Word> words;    // final: times in seconds from the session start
  std::string speaker;        // final: "A", "B", ... or a known speaker's name
  float confidence = 0;       // final: mean word confidence
  Error error;                // failed
};

class LiveSession {
 public:
  // Called from the session's own threads, one event at a time and in order for a session
  // (a turn's partials precede its final; turns end in the order they began).
  using EventSink = std::function<void(const LiveEvent&)>;

  virtual ~LiveSession() = default;

  // kModelNotFound for an unknown engine; kInvalidArgument for bad VAD values.
  static Result<std::unique_ptr<LiveSession>> create(EngineHost& engines, ThreadPool& workers, LiveOptions options,
                                                     EventSink sink);

  // Changes settings between turns (session.update); the turn being spoken keeps its engine.
  virtual Status update(const LiveOptions& options) = 0;
  // 16 kHz mono samples in [-1, 1], any count. kTooLong when more than the session's cap is
  // buffered without a turn ending.
  virtual Status append(std::span<const float> samples) = 0;
  // Ends the current turn now (manual turn detection, or input_audio_buffer.commit).
  // kEmptyInput when there is no uncommitted audio.
  virtual Status commit() = 0;
  // Drops the audio not yet committed (input_audio_buffer.clear).
  virtual void clear() = 0;
  // Waits until every committed turn has its final (or failed) event; then no more events come.
  virtual void finish() = 0;
};

}  // namespace vox
