// OpenAI's Realtime API, transcription sessions (`/v1/realtime?intent=transcription`), as JSON ↔
// native structs, with no network in here. Both dialects are read:
//   GA:   {"type":"session.update","session":{"type":"transcription","audio":{"input":{
//            "format":{"type":"audio/pcm","rate":24000},"transcription":{model,language,prompt},
//            "turn_detection":{"type":"server_vad",threshold,prefix_padding_ms,silence_duration_ms}|null}}}}
//   beta: {"type":"transcription_session.update","session":{"input_audio_format":"pcm16",
//            "input_audio_transcription":{model,language,prompt},"turn_detection":{...}|null}}
// and answered in the dialect the client used (session.updated / transcription_session.updated).
// Audio arrives as base64 in input_audio_buffer.append: 16-bit little-endian PCM (24 kHz by
// default), G.711 μ-law or A-law (8 kHz); RealtimeAudioDecoder turns it into the 16 kHz floats
// the LiveSession wants. vox's extras sit beside OpenAI's fields (`speaker`, `words` on
// .completed) so the official SDKs, which ignore unknown fields, keep working.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vox/core/error.h"
#include "vox/format/transcript.h"
#include "vox/vad/vad.h"

namespace vox::ffmpeg {
class MonoResampler;
}

namespace vox::realtime {

// OpenAI's limit on one client message; larger ones close the connection (1009).
constexpr std::size_t kMaxMessageBytes = 15u << 20;

enum class Dialect { kGa, kBeta };

enum class AudioEncoding { kPcm16, kG711Ulaw, kG711Alaw };

struct AudioFormat {
  AudioEncoding encoding = AudioEncoding::kPcm16;
  int rate = 24000;  // pcm16: 8000..48000 (OpenAI takes 24000 only); G.711: always 8000
};

struct SessionConfig {
  AudioFormat format;
  std::string model = "gpt-4o-transcribe";  // as the client named it (a vox engine name selects that engine)
  std::string language;
  std::string prompt;
  bool server_vad = true;  // turn_detection null → false: the client commits each turn
  VadOptions vad;          // threshold, prefix_padding_ms, silence_duration_ms
  std::vector<std::string> include;
};

// An `error` event's body, OpenAI's shape: {type, code, message, param, event_id}.
struct ProtocolError {
  std::string type = "invalid_request_error";
  std::string code;      // invalid_json, unknown_event, invalid_value, missing_field, ...
  std::string message;
  std::string param;     // the offending field, "" when none
  std::string event_id;  // the client event at fault, "" when unknown
};

struct ClientEvent {
  enum class Type { kSessionUpdate, kAppend, kCommit, kClear };
  Type type = Type::kAppend;
  std::string event_id;          // the client's, "" when it sent none
  Dialect dialect = Dialect::kGa;
  SessionConfig session;         // kSessionUpdate: the current config with the update applied
  std::string audio;             // kAppend: the decoded bytes
};

struct ParsedEvent {
  std::optional<ClientEvent> event;
  std::optional<ProtocolError> error;  // exactly one of the two is set
};

// Reads one text message. `current` is the session's config that an update applies to (fields
// the update leaves out keep their values).
ParsedEvent parse_client_event(std::string_view text, const SessionConfig& current);

// OpenAI model names (gpt-4o-transcribe, whisper-1, ...) mean "the server's default engine";
// a name `is_engine` knows selects that vox engine.
template <class IsEngine>
std::string engine_for_model(const std::string& model, IsEngine&& is_engine) {
  return !model.empty() && is_engine(model) ? model : std::string();
}

// What a delta event carries when a partial (the whole turn so far) replaces `sent`: the text
// past what was sent when it extends it, "" when an engine revised earlier words (the whole
// partial goes in vox's `text` field beside the delta).
std::string partial_delta(std::string_view sent, std::string_view now);

// Server events, one JSON text each, with fresh event ids ("event_" + session-unique suffix).
class ServerEvents {
 public:
  explicit ServerEvents(std::string session_id);
  const std::string& session_id() const { return session_id_; }

  std::string session_created(const SessionConfig& config, Dialect dialect);
  std::string session_updated(const SessionConfig& config, Dialect dialect);
  std::string speech_started(const std::string& item_id, double audio_start_ms);
  std::string speech_stopped(const std::string& item_id, double audio_end_ms);
  std::string committed(const std::string& item_id, const std::string& previous_item_id);
  std::string cleared();
  // `delta` as partial_delta() makes it; `text` the whole partial (vox's extra).
  std::string delta(const std::string& item_id, const std::string& delta, const std::string& text);
  std::string completed(const std::string& item_id, const std::string& transcript, const std::string& speaker,
                        const std::vector<Word>& words, double audio_seconds, float confidence, double audio_start_ms,
                        double audio_end_ms);
  std::string failed(const std::string& item_id, const ProtocolError& error);
  std::string error(const ProtocolError& error);

  // The session object as both dialects show it (for tests).
  static std::string session_json(const SessionConfig& config, Dialect dialect, const std::string& id);

 private:
  std::string next_id();
  std::string session_id_;
  std::atomic<std::uint64_t> counter_{0};
};

// Converts appended audio into 16 kHz mono floats. Not thread-safe (one per session).
class RealtimeAudioDecoder {
 public:
  explicit RealtimeAudioDecoder(AudioFormat format);
  ~RealtimeAudioDecoder();
  RealtimeAudioDecoder(const RealtimeAudioDecoder&) = delete;
  RealtimeAudioDecoder& operator=(const RealtimeAudioDecoder&) = delete;

  const AudioFormat& format() const { return format_; }
  // `bytes` as decoded from base64; an odd trailing pcm16 byte waits for the next call.
  // (The resampler holds back a few milliseconds; they come out with the next append.)
  Result<std::vector<float>> decode(std::string_view bytes);

 private:
  AudioFormat format_;
  std::string carry_;  // an odd pcm16 byte
  std::unique_ptr<ffmpeg::MonoResampler> resampler_;  // null when the input is already 16 kHz
};

// G.711 (ITU-T) expansion to linear 16-bit.
std::int16_t ulaw_to_linear(std::uint8_t code);
std::int16_t alaw_to_linear(std::uint8_t code);

}  // namespace vox::realtime
