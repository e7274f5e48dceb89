// espeak-ng is one process-wide instance with global state (libespeak-ng is not thread-safe: its synthesis state is static). Everything
// in vox that calls it — the espeak synthesiser and Piper's phonemiser — goes through this object,
// which initialises the library once and serialises the calls. Only espeak work waits on it.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "vox/core/error.h"

namespace vox {

struct EspeakVoiceEntry {
  std::string language;  // first language code of the voice, e.g. "en-us"
  std::string name;      // espeak's own name, e.g. "English_(America)"
  std::string identifier;
  std::string gender;    // "male" | "female" | ""
};

class EspeakRuntime {
 public:
  // Initialises espeak-ng on first use; kUnavailable when its data cannot be loaded.
  static Result<EspeakRuntime*> get();

  std::mutex& mutex() { return mu_; }
  int sample_rate() const { return sample_rate_; }
  const std::vector<EspeakVoiceEntry>& voices() const { return voices_; }

 private:
  std::mutex mu_;
  int sample_rate_ = 0;
  std::vector<EspeakVoiceEntry> voices_;
};

}  // namespace vox
