// vox command-line subcommands. Each returns the process exit code; errors are printed as one line.
#pragma once

#include <string>
#include <vector>

#include "vox/core/config.h"
#include "vox/core/error.h"

namespace vox::cli {

// The one place where an ErrorCode becomes an exit status.
int exit_code_for(ErrorCode code);
// Prints "vox: <message>" to stderr and returns exit_code_for(error.code).
int fail(const Error& error);

// Loads the environment and the global flags into `config`; the remaining arguments go to `rest`.
Status load_config(Config& config, const std::vector<std::string>& args, std::vector<std::string>& rest);

int run_transcribe(const std::vector<std::string>& args);
int run_listen(const std::vector<std::string>& args);
int run_serve(const std::vector<std::string>& args);
int run_worker(const std::vector<std::string>& args);
int run_speak(const std::vector<std::string>& args);
int run_voices(const std::vector<std::string>& args);
int run_keys(const std::vector<std::string>& args);
int run_models(const std::vector<std::string>& args);

}  // namespace vox::cli
