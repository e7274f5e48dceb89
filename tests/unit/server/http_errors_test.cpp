#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/http_errors.h"

namespace vox::server {
namespace {

TEST(HttpErrors, StatusMapping) {
  EXPECT_EQ(http_status_for(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(http_status_for(ErrorCode::kTooLarge), 413);
  EXPECT_EQ(http_status_for(ErrorCode::kInvalidAudio), 415);
  EXPECT_EQ(http_status_for(ErrorCode::kNoAudioStream), 415);
  EXPECT_EQ(http_status_for(ErrorCode::kEmptyInput), 400);
  EXPECT_EQ(http_status_for(ErrorCode::kTruncatedAudio), 400);
  EXPECT_EQ(http_status_for(ErrorCode::kUnauthorized), 401);
  EXPECT_EQ(http_status_for(ErrorCode::kModelNotFound), 404);
  EXPECT_EQ(http_status_for(ErrorCode::kRateLimited), 429);
  EXPECT_EQ(http_status_for(ErrorCode::kBusy), 503);
  EXPECT_EQ(http_status_for(ErrorCode::kInternal), 500);
}

TEST(HttpErrors, OpenAiShape) {
  auto reply = error_reply(Error(ErrorCode::kInvalidArgument, "bad format", "response_format"));
  EXPECT_EQ(reply.status, 400);
  auto j = nlohmann::json::parse(reply.body);
  EXPECT_EQ(j["error"]["message"], "bad format");
  EXPECT_EQ(j["error"]["type"], "invalid_request_error");
  EXPECT_EQ(j["error"]["param"], "response_format");
  EXPECT_EQ(j["error"]["code"], "invalid_argument");
  auto none = nlohmann::json::parse(error_json(Error(ErrorCode::kInternal, "x")));
  EXPECT_TRUE(none["error"]["param"].is_null());
  EXPECT_EQ(none["error"]["type"], "server_error");
}

TEST(HttpErrors, RetryAfterOnBusyAndRateLimit) {
  Error busy(ErrorCode::kBusy, "full");
  busy.retry_after_s = 2.2;
  auto r = error_reply(busy);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Retry-After");
  EXPECT_EQ(r.headers[0].second, "3");
  EXPECT_EQ(error_reply(Error(ErrorCode::kRateLimited, "slow down")).status, 429);
  EXPECT_TRUE(error_reply(Error(ErrorCode::kInvalidAudio, "x")).headers.empty());
}

TEST(HttpErrors, LibraryStatuses) {
  EXPECT_EQ(error_reply_for_status(404, "/nope").status, 404);
  EXPECT_EQ(error_reply_for_status(413, "/v1/audio/transcriptions").status, 413);
  auto j = nlohmann::json::parse(error_reply_for_status(404, "/nope").body);
  EXPECT_NE(j["error"]["message"].get<std::string>().find("/nope"), std::string::npos);
}

}  // namespace
}  // namespace vox::server
