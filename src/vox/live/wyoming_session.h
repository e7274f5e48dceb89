// One Wyoming connection's conversation, without sockets: events in, events out through a
// callback, so it runs the same behind a TCP socket and in unit tests.
//   describe → info (vox's recognisers under asr, its voices under tts)
//   transcribe?, audio-start, audio-chunk…, audio-stop → transcript-start, transcript-chunk…,
//     transcript-stop, transcript
//   synthesize → audio-start, one audio-chunk per sentence, audio-stop
//   synthesize-start, synthesize-chunk…, synthesize-stop → audio-start, an audio-chunk per
//     finished sentence as the text arrives, audio-stop, synthesize-stopped
// Failures answer an `error` event {"text", "code"} and the connection stays usable.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "vox/core/admission.h"
#include "vox/live/wyoming_protocol.h"
#include "vox/pipeline/speech_service.h"
#include "vox/pipeline/transcriber.h"

namespace vox::live {

struct WyomingSessionOptions {
  double max_audio_seconds = 600;  // buffered speech-to-text audio; more → an error event
  Admission* admission = nullptr;  // engine work waits for a slot here when set
  CancelToken cancel;              // fires when the connection or the server goes away
};

class WyomingSession {
 public:
  // Writes one event; false when the peer is gone (the session then stops its work).
  using SendFn = std::function<bool(const WyomingEvent&)>;

  WyomingSession(Transcriber& transcriber, SpeechService& speech, SendFn send, WyomingSessionOptions options = {});

  // Handles one event. Returns false when the connection should be closed (the peer is gone).
  bool handle(const WyomingEvent& event);

  // The `info` event's data (also used by tests).
  nlohmann::json info();

 private:
  bool send(WyomingEvent event);
  bool send_error(const Error& error);
  bool on_transcribe(const nlohmann::json& data);
  bool on_audio_start(const nlohmann::json& data);
  bool on_audio_chunk(const WyomingEvent& event);
  bool on_audio_stop();
  bool on_synthesize(const nlohmann::json& data);
  bool on_synthesize_start(const nlohmann::json& data);
  bool on_synthesize_chunk(const nlohmann::json& data);
  bool on_synthesize_stop();
  // Speaks `text` in the current synthesis voice: audio-start before the first chunk, then one
  // audio-chunk per sentence.
  Result<bool> speak(const std::string& text);
  bool finish_speech();
  void reset_audio();

  Transcriber& transcriber_;
  SpeechService& speech_;
  SendFn send_;
  WyomingSessionOptions options_;

  // Speech to text.
  TranscriptionRequest request_;
  bool audio_open_ = false;      // between audio-start and audio-stop
  bool audio_failed_ = false;    // an error was sent for this stream: ignore its chunks
  int audio_rate_ = 0;           // of the samples buffered (the first chunk's)
  std::vector<float> audio_;     // mono at audio_rate_

  // Text to speech.
  bool streaming_text_ = false;  // between synthesize-start and synthesize-stop
  bool stream_failed_ = false;
  std::string voice_name_;
  std::string voice_language_;
  std::string pending_text_;     // streamed text not yet ending a sentence
  bool speech_started_ = false;  // audio-start sent for the current synthesis
  int speech_rate_ = 0;
};

// Mono float at `rate` → 16 kHz with the decoder's resampler; empty if it fails.
std::vector<float> resample_to_16k(const std::vector<float>& samples, int rate);

}  // namespace vox::live
