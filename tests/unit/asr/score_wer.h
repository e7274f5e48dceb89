// WER through the evaluation kit's scorer (score.py wer REF HYP --json), as the benchmarks do.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "../support/eval_kit.h"

namespace vox::test {

// Writes both texts to files under the build directory and returns the pooled WER (0..1), or a
// negative number when the scorer could not be run or its output not parsed.
inline double score_wer(const std::string& reference, const std::string& hypothesis, const std::string& name) {
  namespace fs = std::filesystem;
  const std::string scorer = score_py();
  if (scorer.empty()) return -1;
  const fs::path dir = fs::path(VOX_BINARY_DIR) / "test_output" / "asr";
  fs::create_directories(dir);
  const fs::path ref = dir / (name + ".ref.txt"), hyp = dir / (name + ".hyp.txt"), out = dir / (name + ".json");
  std::ofstream(ref) << reference;
  std::ofstream(hyp) << hypothesis;
  const std::string cmd = "python3 '" + scorer + "' wer '" + ref.string() + "' '" + hyp.string() + "' --json > '" +
                          out.string() + "'";
  if (std::system(cmd.c_str()) != 0) return -2;
  auto j = nlohmann::json::parse(std::ifstream(out), nullptr, false);
  if (j.is_discarded() || !j.contains("total")) return -3;
  return j["total"].value("wer", -4.0);
}

}  // namespace vox::test
