// Text → encoded speech, sentence by sentence, for the speech API and `vox speak`.
// Everything that can be rejected is checked in prepare(), before the first byte is sent.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vox/audio/encoder.h"
#include "vox/engines/registry.h"

namespace vox {

inline constexpr size_t kMaxSpeechInputChars = 4096;  // OpenAI's limit, in characters

struct SpeechRequest {
  std::string input;
  std::string voice;     // a vox voice name or an OpenAI voice name; empty = the default engine's first
  std::string format = "mp3";
  float speed = 1.0f;
  std::string language;  // optional (espeak)
};

// OpenAI voice names → embedded flite voices (documented in the README).
const std::vector<std::pair<std::string, std::string>>& openai_voice_aliases();

struct SpeechPlan {
  Synthesizer* engine = nullptr;
  VoiceInfo voice;
  AudioFormat format = AudioFormat::kMp3;
  SynthesisOptions options;
  std::vector<std::string> sentences;
  size_t characters = 0;  // for usage accounting
};

class SpeechService {
 public:
  explicit SpeechService(EngineHost& engines) : engines_(engines) {}

  // Every voice of every synthesiser that loads.
  std::vector<VoiceInfo> voices();
  Result<SpeechPlan> prepare(const SpeechRequest& request);
  // Synthesises and encodes each sentence, handing encoded bytes to `sink` as soon as they exist.
  // A false return from `sink` (client gone) stops the work with kCancelled. Returns the seconds
  // of audio made (for usage accounting).
  Result<double> stream(const SpeechPlan& plan, const std::function<bool(std::string_view)>& sink, const CancelToken& cancel);
  // Unencoded audio of the whole input (for tests and the WAV route).
  Result<AudioBuffer> synthesize_all(const SpeechPlan& plan, const CancelToken& cancel);

 private:
  Result<std::pair<Synthesizer*, VoiceInfo>> find_voice(const std::string& name);
  EngineHost& engines_;
};

}  // namespace vox
