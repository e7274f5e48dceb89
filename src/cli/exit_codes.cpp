#include <cstdio>
#include <cstdlib>

#include "cli/cli.h"

namespace vox::cli {

int exit_code_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 2;  // usage
    case ErrorCode::kEmptyInput:
    case ErrorCode::kInvalidAudio:
    case ErrorCode::kTruncatedAudio:
    case ErrorCode::kNoAudioStream:
    case ErrorCode::kTooLarge:
    case ErrorCode::kTooLong: return 3;  // bad input data
    case ErrorCode::kNotFound:
    case ErrorCode::kModelNotFound: return 4;
    case ErrorCode::kIo: return 5;
    case ErrorCode::kUnavailable:
    case ErrorCode::kBusy:
    case ErrorCode::kRateLimited:
    case ErrorCode::kUnauthorized: return 6;
    case ErrorCode::kCancelled: return 130;
    case ErrorCode::kInternal: return 1;
  }
  return 1;
}

int fail(const Error& error) {
  std::fprintf(stderr, "vox: %s\n", error.message.c_str());
  return exit_code_for(error.code);
}

Status load_config(Config& config, const std::vector<std::string>& args, std::vector<std::string>& rest) {
  Status s = apply_environment(config, [](const char* name) { return std::getenv(name); });
  if (!s) return s;
  s = apply_flags(config, args, rest);
  if (!s) return s;
  config.resolve_defaults();
  return config.validate();
}

}  // namespace vox::cli
