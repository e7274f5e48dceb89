// The one place where vox::Error becomes an HTTP status and OpenAI's error JSON:
// {"error": {"message", "type", "param", "code"}}.
#pragma once

#include "server/http_types.h"
#include "vox/core/error.h"

namespace vox::server {

int http_status_for(ErrorCode code);
// OpenAI's error.type: invalid_request_error, authentication_error, rate_limit_error, server_error, ...
const char* openai_error_type(ErrorCode code);
std::string error_json(const Error& error);
HttpReply error_reply(const Error& error);
// For failures found by the HTTP library itself (unknown route, body too large).
HttpReply error_reply_for_status(int status, const std::string& path);

}  // namespace vox::server
