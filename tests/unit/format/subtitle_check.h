// Runs the evaluation kit's strict SRT/VTT checker (score.py) on a generated file.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/wait.h>

namespace vox::test {

// The kit lives outside the repository (/work/shared/eval); VOX_EVAL_DIR overrides the location.
inline std::string score_py() {
  namespace fs = std::filesystem;
  if (const char* dir = std::getenv("VOX_EVAL_DIR")) return (fs::path(dir) / "score.py").string();
  for (fs::path p : {fs::path(VOX_SOURCE_DIR) / "shared/eval/score.py", fs::path(VOX_SOURCE_DIR) / "../shared/eval/score.py",
                     fs::path("/work/shared/eval/score.py")})
    if (fs::exists(p)) return p.string();
  return {};
}

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
