// Factories by name for every engine kind, and a host that loads each engine once and shares it.
// Adding an engine = one implementation file + one line in builtin_engines.cpp; the pipeline and
// the HTTP layer never change.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "vox/asr/recognizer.h"
#include "vox/core/config.h"
#include "vox/diar/diarizer.h"
#include "vox/text/text_stage.h"
#include "vox/tts/synthesizer.h"
#include "vox/vad/vad.h"

namespace vox {

template <class T>
class EngineRegistry {
 public:
  using Factory = std::function<Result<std::unique_ptr<T>>(const Config&)>;
  struct Entry {
    std::string name;
    std::string description;
    Factory factory;
  };

  void add(std::string name, std::string description, Factory factory) {
    entries_.push_back({std::move(name), std::move(description), std::move(factory)});
  }
  const Entry* find(const std::string& name) const {
    for (const auto& e : entries_)
      if (e.name == name) return &e;
    return nullptr;
  }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

struct EngineRegistries {
  EngineRegistry<Recognizer> recognizers;
  EngineRegistry<VoiceActivityDetector> vads;
  EngineRegistry<Diarizer> diarizers;
  EngineRegistry<Synthesizer> synthesizers;
};

// The registries with every engine compiled into this build.
const EngineRegistries& builtin_engines();
// Adds a recogniser for each transcription model of the download manifest (manifest_engines.cpp).
void add_manifest_recognizers(EngineRegistries& registries);

// Creates engines on first use and keeps them for the life of the process (models loaded once,
// shared by all requests). Thread-safe. A lookup of a loaded engine takes only a shared lock;
// a load holds only its own engine's lock, so loading a Piper voice or a pyannote model never
// stalls requests for engines already loaded, and two requests for one engine load it once. A
// failed load is not kept: the next request tries again (a model may have been installed since).
class EngineHost {
 public:
  explicit EngineHost(Config config, const EngineRegistries& registries = builtin_engines());

  Result<Recognizer*> recognizer(const std::string& name);
  Result<VoiceActivityDetector*> vad(const std::string& name);
  Result<Diarizer*> diarizer(const std::string& name);
  Result<Synthesizer*> synthesizer(const std::string& name);

  Result<Recognizer*> default_recognizer() { return recognizer(config_.engines.asr_backend); }
  Result<VoiceActivityDetector*> default_vad() { return vad(config_.engines.vad); }
  Result<Diarizer*> default_diarizer() { return diarizer(config_.engines.diarizer); }
  Result<Synthesizer*> default_synthesizer() { return synthesizer(config_.engines.tts_backend); }

  // Every synthesiser that loads; voices are looked up across all of them.
  std::vector<Synthesizer*> all_synthesizers();

  const Config& config() const { return config_; }
  const EngineRegistries& registries() const { return registries_; }
  // The text stage every transcript goes through; its data loads on first use.
  TextStage& text() { return text_; }

 private:
  // One engine: made at most once at a time, under its own lock.
  template <class T>
  struct Slot {
    std::mutex loading;
    std::atomic<T*> ready{nullptr};
    std::unique_ptr<T> engine;
  };
  template <class T>
  using Slots = std::map<std::string, std::unique_ptr<Slot<T>>>;

  template <class T>
  Result<T*> get(const EngineRegistry<T>& registry, Slots<T>& slots, const std::string& name, const char* kind);

  Config config_;
  const EngineRegistries& registries_;
  std::shared_mutex slots_mu_;  // guards the maps below, never held while an engine loads
  Slots<Recognizer> recognizers_;
  Slots<VoiceActivityDetector> vads_;
  Slots<Diarizer> diarizers_;
  Slots<Synthesizer> synthesizers_;
  TextStage text_;
};

}  // namespace vox
