#include "vox/engines/registry.h"

namespace vox {

EngineHost::EngineHost(Config config, const EngineRegistries& registries)
    : config_(std::move(config)), registries_(registries), text_(config_.text, config_.engines.sphinx_model_dir, config_.engines.models_dir) {}

template <class T>
Result<T*> EngineHost::get(const EngineRegistry<T>& registry, std::map<std::string, std::unique_ptr<T>>& loaded,
                           const std::string& name, const char* kind) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = loaded.find(name); it != loaded.end()) return it->second.get();
  const auto* entry = registry.find(name);
  if (!entry) {
    std::string known;
    for (const auto& e : registry.entries()) known += (known.empty() ? "" : ", ") + e.name;
    return Error(ErrorCode::kModelNotFound,
                 std::string("unknown ") + kind + " '" + name + "' (available: " + known + ")", "model");
  }
  auto made = entry->factory(config_);
  if (!made) return made.error();
  T* raw = made.value().get();
  loaded.emplace(name, std::move(made.value()));
  return raw;
}

Result<Recognizer*> EngineHost::recognizer(const std::string& name) {
  return get(registries_.recognizers, recognizers_, name, "recogniser");
}
Result<VoiceActivityDetector*> EngineHost::vad(const std::string& name) {
  return get(registries_.vads, vads_, name, "voice activity detector");
}
Result<Diarizer*> EngineHost::diarizer(const std::string& name) {
  return get(registries_.diarizers, diarizers_, name, "diarizer");
}
Result<Synthesizer*> EngineHost::synthesizer(const std::string& name) {
  return get(registries_.synthesizers, synthesizers_, name, "synthesiser");
}

std::vector<Synthesizer*> EngineHost::all_synthesizers() {
  std::vector<Synthesizer*> out;
  for (const auto& e : registries_.synthesizers.entries()) {
    auto s = synthesizer(e.name);
    if (s) out.push_back(*s);
  }
  return out;
}

}  // namespace vox
