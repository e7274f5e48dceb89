#include "vox/tts/piper_voice.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace vox {
namespace {

using json = nlohmann::json;

// Field lookups that never throw (nlohmann's operator[] / at() do): null when absent.
const json* field(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

struct Parser {
  const std::string& origin;

  Error bad(const std::string& what) const {
    return Error(ErrorCode::kInvalidArgument, origin + ": " + what);
  }

  // A number field of `object`, `fallback` when absent.
  Result<double> number(const json& object, const char* key, const std::string& path, double fallback) const {
    const json* v = field(object, key);
    if (!v || v->is_null()) return fallback;
    if (!v->is_number() || !std::isfinite(v->get<double>())) return bad(path + " must be a number");
    return v->get<double>();
  }

  Result<std::int64_t> integer(const json& v, const std::string& path, std::int64_t min, std::int64_t max) const {
    if (!v.is_number_integer()) return bad(path + " must be an integer");
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(max)) return bad(path + " is out of range");
    const std::int64_t n = v.get<std::int64_t>();
    if (n < min || n > max) return bad(path + " is out of range");
    return n;
  }

  Status phoneme_ids(const json& root, PiperVoiceConfig& c) const {
    const json* map = field(root, "phoneme_id_map");
    if (!map) return bad("phoneme_id_map is missing");
    if (!map->is_object()) return bad("phoneme_id_map must be an object");
    for (const auto& [key, ids] : map->items()) {
      const std::u32string cps = utf8_codepoints(key);
      // Piper keys the map by code point and refuses anything else; so do we.
      if (cps.size() != 1) return bad("phoneme_id_map key \"" + key + "\" is not a single code point");
      if (!ids.is_array() || ids.empty()) return bad("phoneme_id_map[\"" + key + "\"] must be a non-empty list of ids");
      std::vector<std::int64_t>& out = c.phoneme_id_map[cps[0]];
      for (const auto& id : ids) {
        auto n = integer(id, "phoneme_id_map[\"" + key + "\"]", 0, INT64_MAX);
        if (!n) return n.error();
        out.push_back(*n);
      }
    }
    for (char32_t special : {kPiperPad, kPiperBos, kPiperEos})
      if (!c.phoneme_id_map.count(special))
        return bad("phoneme_id_map has no \"" + codepoints_to_utf8(std::u32string(1, special)) + "\" entry");
    return Status::Ok();
  }

  Status speakers(const json& root, PiperVoiceConfig& c) const {
    if (const json* n = field(root, "num_speakers"); n && !n->is_null()) {
      auto count = integer(*n, "num_speakers", 1, 1 << 20);
      if (!count) return count.error();
      c.num_speakers = int(*count);
    }
    const json* map = field(root, "speaker_id_map");
    if (!map || map->is_null()) return Status::Ok();
    if (!map->is_object()) return bad("speaker_id_map must be an object");
    for (const auto& [name, id] : map->items()) {
      if (name.empty() || name.find(':') != std::string::npos)
        return bad("speaker_id_map name \"" + name + "\" must be non-empty and without ':'");
      auto n = integer(id, "speaker_id_map[\"" + name + "\"]", 0, c.num_speakers - 1);
      if (!n) return n.error();
      c.speakers.emplace_back(name, *n);
    }
    std::sort(c.speakers.begin(), c.speakers.end(),
              [](const auto& a, const auto& b) { return a.second != b.second ? a.second < b.second : a.first < b.first; });
    return Status::Ok();
  }

  Result<PiperVoiceConfig> parse(std::string_view text) const {
    const json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded()) return bad("not valid JSON");
    if (!root.is_object()) return bad("the config must be a JSON object");
    PiperVoiceConfig c;
    if (const json* audio = field(root, "audio")) {
      if (const json* rate = field(*audio, "sample_rate"); rate && !rate->is_null()) {
        auto r = integer(*rate, "audio.sample_rate", 1000, 384000);
        if (!r) return r.error();
        c.sample_rate = int(*r);
      }
    }
    if (const json* type = field(root, "phoneme_type"); type && !type->is_null()) {
      if (!type->is_string()) return bad("phoneme_type must be a string");
      c.phoneme_type = type->get<std::string>();
      if (c.phoneme_type != "espeak" && c.phoneme_type != "text")
        return bad("phoneme_type \"" + c.phoneme_type + "\" is not supported (espeak or text)");
    }
    if (const json* voice = field(root, "espeak") ? field(*field(root, "espeak"), "voice") : nullptr; voice) {
      if (!voice->is_string()) return bad("espeak.voice must be a string");
      c.espeak_voice = voice->get<std::string>();
    }
    if (c.phoneme_type == "espeak" && c.espeak_voice.empty()) return bad("espeak.voice is missing");
    if (const json* code = field(root, "language") ? field(*field(root, "language"), "code") : nullptr;
        code && code->is_string())
      c.language = code->get<std::string>();
    if (c.language.empty()) c.language = c.espeak_voice;
    std::replace(c.language.begin(), c.language.end(), '_', '-');

    if (const json* inference = field(root, "inference")) {
      auto noise = number(*inference, "noise_scale", "inference.noise_scale", c.noise_scale);
      auto length = number(*inference, "length_scale", "inference.length_scale", c.length_scale);
      auto noise_w = number(*inference, "noise_w", "inference.noise_w", c.noise_w);
      if (!noise) return noise.error();
      if (!length) return length.error();
      if (!noise_w) return noise_w.error();
      if (*length <= 0) return bad("inference.length_scale must be positive");
      c.noise_scale = float(*noise);
      c.length_scale = float(*length);
      c.noise_w = float(*noise_w);
    }
    if (auto st = phoneme_ids(root, c); !st) return st.error();
    if (auto st = speakers(root, c); !st) return st.error();
    return c;
  }
};

bool is_file(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec);
}

// NAME.onnx files of one directory that have a NAME.onnx.json, sorted by path.
std::vector<PiperVoiceFiles> voices_in(const std::filesystem::path& dir, std::vector<std::filesystem::path>* subdirs) {
  namespace fs = std::filesystem;
  std::vector<PiperVoiceFiles> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    std::error_code type_ec;
    if (subdirs && it->is_directory(type_ec)) {
      subdirs->push_back(p);
      continue;
    }
    const std::string file = p.filename().string();
    if (file.size() <= 5 || !file.ends_with(".onnx") || !is_file(p)) continue;
    fs::path config = p;
    config += ".json";
    if (is_file(config)) out.push_back({file.substr(0, file.size() - 5), p.string(), config.string()});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.model < b.model; });
  return out;
}

}  // namespace

Result<PiperVoiceConfig> parse_piper_config(std::string_view json_text, const std::string& origin) {
  try {
    return Parser{origin}.parse(json_text);
  } catch (const std::exception& e) {  // only allocation failures can get here; never let one out
    return Error(ErrorCode::kInvalidArgument, origin + ": " + e.what());
  }
}

Result<PiperVoiceConfig> load_piper_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) return Error(ErrorCode::kUnavailable, path + ": cannot read the Piper voice config");
  return parse_piper_config(text.str(), path);
}

std::vector<PiperVoiceFiles> find_piper_voices(const std::string& dir) {
  if (dir.empty()) return {};
  std::vector<std::filesystem::path> subdirs;
  std::vector<PiperVoiceFiles> all = voices_in(dir, &subdirs);
  std::sort(subdirs.begin(), subdirs.end());
  for (const auto& sub : subdirs)
    for (auto& v : voices_in(sub, nullptr)) all.push_back(std::move(v));
  std::vector<PiperVoiceFiles> out;
  std::set<std::string> seen;
  for (auto& v : all)
    if (seen.insert(v.name).second) out.push_back(std::move(v));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

}  // namespace vox
