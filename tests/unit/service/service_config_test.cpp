#include <gtest/gtest.h>

#include <map>

#include "vox/service/service_config.h"

using namespace vox;
using namespace vox::service;

TEST(ServiceConfig, FlagsEnvironmentAndLeftovers) {
  ServiceConfig c;
  std::map<std::string, std::string> env = {{"VOX_REDIS", "redis://e:1"}, {"VOX_DEFAULT_RPM", "30"}};
  ASSERT_TRUE(apply_service_environment(c, [&](const char* n) {
    auto it = env.find(n);
    return it == env.end() ? nullptr : it->second.c_str();
  }));
  EXPECT_EQ(c.redis_url, "redis://e:1");
  std::vector<std::string> rest;
  ASSERT_TRUE(apply_service_flags(c, {"create", "--redis=redis://f:2", "--name", "x", "--default-concurrent", "3",
                                      "--default-audio-seconds-per-hour", "3600"},
                                  rest));
  EXPECT_EQ(c.redis_url, "redis://f:2");  // flags win
  EXPECT_DOUBLE_EQ(c.default_rpm, 30);
  EXPECT_EQ(c.default_concurrent, 3);
  EXPECT_DOUBLE_EQ(c.default_audio_seconds_per_hour, 3600);
  EXPECT_EQ(rest, (std::vector<std::string>{"create", "--name", "x"}));
}

TEST(ServiceConfig, BadValuesAreInvalidArgument) {
  ServiceConfig c;
  std::vector<std::string> rest;
  EXPECT_EQ(apply_service_flags(c, {"--default-rpm", "-1"}, rest).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(apply_service_flags(c, {"--default-rpm", "ten"}, rest).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(apply_service_flags(c, {"--redis", "http://x"}, rest).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(apply_service_flags(c, {"--default-concurrent", "1.5"}, rest).error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(apply_service_flags(c, {"--redis"}, rest));
}

TEST(ServiceConfig, FromGlobalConfig) {
  Config g;
  g.data_dir = "/tmp/vox-data";
  g.server.cors_origins = {"https://a.example"};
  auto s = service_config_from(g);
  EXPECT_EQ(s.data_dir, "/tmp/vox-data");
  EXPECT_EQ(s.cors_origins, g.server.cors_origins);
}
