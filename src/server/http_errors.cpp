#include "server/http_errors.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace vox::server {

int http_status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kModelNotFound: return 404;
    case ErrorCode::kEmptyInput: return 400;
    case ErrorCode::kInvalidAudio: return 415;
    case ErrorCode::kTruncatedAudio: return 400;
    case ErrorCode::kNoAudioStream: return 415;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kTooLong: return 413;
    case ErrorCode::kUnauthorized: return 401;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kBusy: return 503;
    case ErrorCode::kCancelled: return 499;  // client closed request (nginx's convention)
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kIo: return 500;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

const char* openai_error_type(ErrorCode code) {
  switch (code) {
    case ErrorCode::kUnauthorized: return "authentication_error";
    case ErrorCode::kRateLimited: return "rate_limit_error";
    case ErrorCode::kBusy:
    case ErrorCode::kUnavailable:
    case ErrorCode::kIo:
    case ErrorCode::kInternal: return "server_error";
    default: return "invalid_request_error";
  }
}

std::string error_json(const Error& error) {
  nlohmann::json j;
  j["error"]["message"] = error.message;
  j["error"]["type"] = openai_error_type(error.code);
  j["error"]["param"] = error.param.empty() ? nlohmann::json(nullptr) : nlohmann::json(error.param);
  j["error"]["code"] = error_code_name(error.code);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpReply error_reply(const Error& error) {
  HttpReply r;
  r.status = http_status_for(error.code);
  r.content_type = "application/json";
  r.body = error_json(error);
  if (error.code == ErrorCode::kRateLimited || error.code == ErrorCode::kBusy) {
    double s = error.retry_after_s > 0 ? error.retry_after_s : 1.0;
    r.headers.emplace_back("Retry-After", std::to_string(int(std::ceil(s))));
  }
  return r;
}

HttpReply error_reply_for_status(int status, const std::string& path) {
  switch (status) {
    case 404: return error_reply(Error(ErrorCode::kNotFound, "no route " + path));
    case 413: return error_reply(Error(ErrorCode::kTooLarge, "request body is larger than the server's limit", "file"));
    case 405: {
      auto r = error_reply(Error(ErrorCode::kInvalidArgument, "method not allowed on " + path));
      r.status = 405;
      return r;
    }
    default: {
      auto r = error_reply(Error(status >= 500 ? ErrorCode::kInternal : ErrorCode::kInvalidArgument,
                                 "request failed with HTTP status " + std::to_string(status)));
      r.status = status;
      return r;
    }
  }
}

}  // namespace vox::server
