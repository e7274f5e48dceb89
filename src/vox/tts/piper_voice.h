// Piper voices: a VITS model NAME.onnx beside its config NAME.onnx.json (the layout Piper's voice
// repository uses). This file reads the config and finds voices on disk; piper_synthesizer.cpp
// runs them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vox/core/error.h"
#include "vox/tts/piper_phonemes.h"

namespace vox {

struct PiperVoiceConfig {
  int sample_rate = 22050;              // audio.sample_rate (Piper's default when absent)
  std::string phoneme_type = "espeak";  // "espeak" (IPA from espeak-ng) | "text" (code points)
  std::string espeak_voice;             // espeak.voice, e.g. "en-us"; required for "espeak"
  std::string language;                 // language.code as BCP-47 ("en_US" -> "en-US"), else espeak.voice
  PhonemeIdMap phoneme_id_map;          // always holds "_", "^" and "$"
  float noise_scale = 0.667f;           // inference.* (Piper's defaults when absent)
  float length_scale = 1.0f;
  float noise_w = 0.8f;
  int num_speakers = 1;
  std::vector<std::pair<std::string, std::int64_t>> speakers;  // speaker_id_map, by id then name
};

// Parses a config's text. `origin` (the file name) prefixes every message. Malformed content
// (not JSON, wrong types, a phoneme that is not one code point, missing "_"/"^"/"$", ...) ->
// kInvalidArgument naming the field.
Result<PiperVoiceConfig> parse_piper_config(std::string_view json_text, const std::string& origin);

// Reads and parses a config file; a file that cannot be read -> kUnavailable.
Result<PiperVoiceConfig> load_piper_config(const std::string& path);

struct PiperVoiceFiles {
  std::string name;    // the file stem, e.g. "en_US-lessac-medium"
  std::string model;   // .../NAME.onnx
  std::string config;  // .../NAME.onnx.json
};

// Every NAME.onnx with a sibling NAME.onnx.json directly in `dir` or in one of its immediate
// subdirectories (e.g. models/piper/), sorted by name; where two share a name the one closer to
// `dir` (then the first path in order) wins. A missing or unreadable dir -> none.
std::vector<PiperVoiceFiles> find_piper_voices(const std::string& dir);

}  // namespace vox
