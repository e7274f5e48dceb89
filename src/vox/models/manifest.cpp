#include "vox/models/manifest.h"

#include <filesystem>
#include <nlohmann/json.hpp>

namespace vox::models {

extern const char* const kManifestJson;

namespace {

Error bad(const std::string& where, const std::string& why) {
  return Error(ErrorCode::kInvalidArgument, "model manifest: " + where + ": " + why);
}

bool safe_relative(const std::string& p) {
  if (p.empty() || p.front() == '/') return false;
  for (const auto& part : std::filesystem::path(p))
    if (part == "..") return false;
  return true;
}

}  // namespace

Result<std::vector<ModelEntry>> parse_manifest(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("models") || !j["models"].is_array())
    return bad("top level", "expected {\"models\": [...]}");
  std::vector<ModelEntry> out;
  for (const auto& m : j["models"]) {
    ModelEntry e;
    const auto str = [&](const char* key, std::string& field, bool required) -> Status {
      if (m.contains(key) && m[key].is_string()) field = m[key].get<std::string>();
      else if (required) return bad(e.name.empty() ? "an entry" : e.name, std::string("missing '") + key + "'");
      return Status::Ok();
    };
    if (!m.is_object()) return bad("models", "entries must be objects");
    for (auto [key, field, required] : {std::tuple{"name", &e.name, true}, {"kind", &e.kind, true},
                                        {"engine", &e.engine, true}, {"description", &e.description, false},
                                        {"dir", &e.dir, false}, {"approx_size", &e.approx_size, false}})
      if (Status s = str(key, *field, required); !s) return s.error();
    if (!e.dir.empty() && !safe_relative(e.dir)) return bad(e.name, "dir must be a relative path inside MODELS_DIR");
    if (!m.contains("files") || !m["files"].is_array() || m["files"].empty()) return bad(e.name, "needs a files list");
    for (const auto& f : m["files"]) {
      ModelFile file;
      if (!f.is_object() || !f.contains("url") || !f["url"].is_string() || !f.contains("path") || !f["path"].is_string())
        return bad(e.name, "each file needs url and path");
      file.url = f["url"].get<std::string>();
      file.path = f["path"].get<std::string>();
      if (!safe_relative(file.path)) return bad(e.name, "file path '" + file.path + "' must be relative");
      if (f.contains("size") && f["size"].is_number_unsigned()) file.size = f["size"].get<std::uint64_t>();
      if (f.contains("sha256") && f["sha256"].is_string()) {
        file.sha256 = f["sha256"].get<std::string>();
        if (file.sha256.size() != 64 || file.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
          return bad(e.name, "sha256 of " + file.path + " must be 64 lower-case hex digits or null");
      }
      e.files.push_back(std::move(file));
    }
    for (const auto& other : out)
      if (other.name == e.name) return bad(e.name, "listed twice");
    out.push_back(std::move(e));
  }
  return out;
}

const std::vector<ModelEntry>& builtin_manifest() {
  static const std::vector<ModelEntry> manifest = [] {
    auto parsed = parse_manifest(kManifestJson);
    return parsed ? std::move(*parsed) : std::vector<ModelEntry>{};
  }();
  return manifest;
}

const ModelEntry* find_model(std::string_view name) {
  for (const auto& m : builtin_manifest())
    if (m.name == name) return &m;
  return nullptr;
}

std::string install_dir(const ModelEntry& model, const std::string& models_dir) {
  return model.dir.empty() ? models_dir : models_dir + "/" + model.dir;
}

bool is_installed(const ModelEntry& model, const std::string& models_dir) {
  const std::string dir = install_dir(model, models_dir);
  for (const auto& f : model.files) {
    std::error_code ec;
    const auto p = std::filesystem::path(dir) / f.path;
    if (!std::filesystem::is_regular_file(p, ec)) return false;
    if (f.size && std::filesystem::file_size(p, ec) != *f.size) return false;
  }
  return true;
}

}  // namespace vox::models
