// The model manifest (models/manifest.json's schema) on arbitrary JSON; where each model would be
// installed must stay under MODELS_DIR.
#include <cstdint>
#include <filesystem>

#include "fuzz_input.h"
#include "vox/models/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto models = vox::models::parse_manifest(vox::fuzz::as_view(data, size));
  if (!models) return 0;
  for (const auto& m : *models) {
    (void)vox::models::install_dir(m, "/nonexistent/models");
    for (const auto& f : m.files) {
      std::filesystem::path rel = m.dir.empty() ? std::filesystem::path(f.path) : std::filesystem::path(m.dir) / f.path;
      VOX_FUZZ_CHECK(rel.is_relative());
      for (const auto& part : rel) VOX_FUZZ_CHECK(part != "..");
    }
  }
  return 0;
}
