#include "vox/format/speaker_names.h"

#include <nlohmann/json.hpp>

namespace vox {

namespace {

constexpr size_t kMaxNames = 64;
constexpr size_t kMaxNameBytes = 200;

Error bad(const std::string& why) { return Error(ErrorCode::kInvalidArgument, "speaker_names: " + why, "speaker_names"); }

void rename(std::string& speaker, const SpeakerNames& names) {
  if (auto it = names.find(speaker); it != names.end()) speaker = it->second;
}

}  // namespace

Result<SpeakerNames> parse_speaker_names(std::string_view json) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return bad("expected a JSON object such as {\"A\": \"Alice\"}");
  if (j.size() > kMaxNames) return bad("at most " + std::to_string(kMaxNames) + " names");
  SpeakerNames names;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it.value().is_string()) return bad("the name of '" + it.key() + "' must be a string");
    std::string name = it.value().get<std::string>();
    if (it.key().size() > kMaxNameBytes || name.size() > kMaxNameBytes)
      return bad("labels and names are at most " + std::to_string(kMaxNameBytes) + " bytes");
    if (name.empty()) continue;  // an emptied name field keeps the label
    names[it.key()] = std::move(name);
  }
  return names;
}

void rename_speakers(Transcript& t, const SpeakerNames& names) {
  if (names.empty()) return;
  for (auto& s : t.segments) {
    rename(s.speaker, names);
    for (auto& w : s.words) rename(w.speaker, names);
  }
  for (auto& p : t.paragraphs) rename(p.speaker, names);
  for (auto& e : t.entities) rename(e.speaker, names);
}

}  // namespace vox
