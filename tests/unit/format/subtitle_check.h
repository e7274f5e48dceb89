// Runs the evaluation kit's strict SRT/VTT checker (score.py) on a generated file.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/wait.h>

#include "../support/eval_kit.h"

namespace vox::test {

struct CheckResult {
  int exit_code = -1;
  std::string output;
};

// kind: "srt" or "vtt". Returns score.py's exit status and its messages.
inline CheckResult check_subtitles(const std::string& content, const std::string& kind, const std::string& name) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(VOX_BINARY_DIR) / "test_output" / "format";
  fs::create_directories(dir);
  fs::path file = dir / (name + "." + kind);
  fs::path log = dir / (name + "." + kind + ".log");
  std::ofstream(file, std::ios::binary) << content;
  std::string cmd = "python3 '" + score_py() + "' check-" + kind + " --no-overlap '" + file.string() + "' > '" +
                    log.string() + "' 2>&1";
  CheckResult r;
  int status = std::system(cmd.c_str());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(log);
  r.output.assign(std::istreambuf_iterator<char>(in), {});
  return r;
}

}  // namespace vox::test
