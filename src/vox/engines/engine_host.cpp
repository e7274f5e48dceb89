#include "vox/engines/registry.h"

namespace vox {

EngineHost::EngineHost(Config config, const EngineRegistries& registries)
    : config_(std::move(config)), registries_(registries), text_(config_.text, config_.engines.sphinx_model_dir, config_.engines.models_dir) {}

template <class T>
Result<T*> EngineHost::get(const EngineRegistry<T>& registry, Slots<T>& slots, const std::string& name,
                           const char* kind) {
  Slot<T>* slot = nullptr;
  {
    std::shared_lock<std::shared_mutex> read(slots_mu_);
    if (auto it = slots.find(name); it != slots.end()) {
      if (T* ready = it->second->ready.load(std::memory_order_acquire)) return ready;
      slot = it->second.get();
    }
  }
  const auto* entry = registry.find(name);
  if (!entry) {
    std::string known;
    for (const auto& e : registry.entries()) known += (known.empty() ? "" : ", ") + e.name;
    return Error(ErrorCode::kModelNotFound,
                 std::string("unknown ") + kind + " '" + name + "' (available: " + known + ")", "model");
  }
  if (!slot) {
    std::unique_lock<std::shared_mutex> write(slots_mu_);
    auto& s = slots[name];
    if (!s) s = std::make_unique<Slot<T>>();
    slot = s.get();  // slots are never erased: the pointer stays valid
  }
  std::lock_guard<std::mutex> loading(slot->loading);  // only requests for this engine wait here
  if (T* ready = slot->ready.load(std::memory_order_acquire)) return ready;
  auto made = entry->factory(config_);
  if (!made) return made.error();
  slot->engine = std::move(made.value());
  slot->ready.store(slot->engine.get(), std::memory_order_release);
  return slot->engine.get();
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
