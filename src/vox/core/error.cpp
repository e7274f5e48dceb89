#include "vox/core/error.h"

namespace vox {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kModelNotFound: return "model_not_found";
    case ErrorCode::kEmptyInput: return "empty_input";
    case ErrorCode::kInvalidAudio: return "invalid_audio";
    case ErrorCode::kTruncatedAudio: return "truncated_audio";
    case ErrorCode::kNoAudioStream: return "no_audio_stream";
    case ErrorCode::kTooLarge: return "file_too_large";
    case ErrorCode::kTooLong: return "audio_too_long";
    case ErrorCode::kUnauthorized: return "invalid_api_key";
    case ErrorCode::kRateLimited: return "rate_limit_exceeded";
    case ErrorCode::kBusy: return "server_busy";
    case ErrorCode::kCancelled: return "cancelled";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kIo: return "io_error";
    case ErrorCode::kInternal: return "internal_error";
  }
  return "internal_error";
}

}  // namespace vox
