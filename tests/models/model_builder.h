// Test helper: builds the tiny ONNX models of tests/models/<script> into the build directory with
// Debian's /usr/bin/python3 (python3-onnx, python3-numpy) and says where they are. Rebuilds only
// when the script is newer than its stamp, so the many test processes ctest starts stay fast.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace vox::testing {

// Returns the output directory, or "" after printing why the build failed.
inline std::string build_test_models(const std::string& script) {
  namespace fs = std::filesystem;
  const fs::path src = fs::path(VOX_SOURCE_DIR) / "tests" / "models" / script;
  const fs::path out = fs::path(VOX_BINARY_DIR) / "test-models" / fs::path(script).stem();
  const fs::path stamp = out / ".stamp";
  std::error_code ec;
  if (fs::exists(stamp, ec) && fs::last_write_time(stamp, ec) >= fs::last_write_time(src, ec)) return out.string();
  fs::create_directories(out, ec);
  const std::string cmd = "/usr/bin/python3 '" + src.string() + "' '" + out.string() + "'";
  if (std::system(cmd.c_str()) != 0) {
    std::fprintf(stderr, "failed: %s (needs python3-onnx and python3-numpy: scripts/setup)\n", cmd.c_str());
    return "";
  }
  const fs::path tmp = out / (".stamp." + std::to_string(::getpid()));
  { std::FILE* f = std::fopen(tmp.c_str(), "w"); if (f) std::fclose(f); }
  fs::rename(tmp, stamp, ec);
  return out.string();
}

}  // namespace vox::testing
