// Where the evaluation kit is: tests/eval in this repository (a copy of the kit the project was
// given, so a clone anywhere tests itself); VOX_EVAL_DIR points elsewhere.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace vox::test {

inline std::string eval_dir() {
  if (const char* dir = std::getenv("VOX_EVAL_DIR")) return dir;
  return (std::filesystem::path(VOX_SOURCE_DIR) / "tests" / "eval").string();
}

// score.py's path, empty when it is missing.
inline std::string score_py() {
  std::filesystem::path p = std::filesystem::path(eval_dir()) / "score.py";
  return std::filesystem::exists(p) ? p.string() : std::string();
}

}  // namespace vox::test
