#include <gtest/gtest.h>

#include <map>

#include "vox/core/config.h"

namespace vox {
namespace {

TEST(Config, DefaultsValidate) {
  Config c;
  c.resolve_defaults();
  EXPECT_TRUE(c.validate().ok());
  EXPECT_EQ(c.server.host, "127.0.0.1");
  EXPECT_EQ(c.server.port, 8080);
  EXPECT_EQ(c.engines.asr_backend, "sphinx");
  EXPECT_GE(c.engines.threads, 1);
  EXPECT_EQ(c.limits.max_inflight, 2 * c.engines.threads);
  EXPECT_EQ(c.limits.max_upload_bytes, 1ull << 30);
  EXPECT_DOUBLE_EQ(c.limits.max_duration_s, 8 * 3600.0);
}

TEST(Config, ValidateRejectsBadValues) {
  Config c;
  c.resolve_defaults();
  c.engines.provider = "tpu";
  EXPECT_EQ(c.validate().error().param, "provider");
  c = Config();
  c.resolve_defaults();
  c.limits.max_chunk_s = 1;
  EXPECT_FALSE(c.validate().ok());
  c = Config();
  c.resolve_defaults();
  c.server.host = "";
  EXPECT_FALSE(c.validate().ok());
}

TEST(Config, EnvironmentThenFlagsFlagsWin) {
  Config c;
  std::map<std::string, std::string> env = {{"VOX_PORT", "9000"}, {"ASR_BACKEND", "other"}, {"VOX_THREADS", "3"}};
  ASSERT_TRUE(apply_environment(c, [&](const char* n) -> const char* {
                auto it = env.find(n);
                return it == env.end() ? nullptr : it->second.c_str();
              }).ok());
  EXPECT_EQ(c.server.port, 9000);
  EXPECT_EQ(c.engines.asr_backend, "other");
  std::vector<std::string> rest;
  ASSERT_TRUE(apply_flags(c, {"--port", "9100", "input.wav", "--asr=sphinx", "-f", "srt"}, rest).ok());
  EXPECT_EQ(c.server.port, 9100);
  EXPECT_EQ(c.engines.asr_backend, "sphinx");
  EXPECT_EQ(c.engines.threads, 3);
  EXPECT_EQ(rest, (std::vector<std::string>{"input.wav", "-f", "srt"}));
}

TEST(Config, GpuOptionsReachTheOnnxSettings) {
  Config c;
  std::map<std::string, std::string> env = {{"VOX_GPU_MEM_LIMIT", "2GiB"}, {"VOX_CUDNN_CONV_ALGO_SEARCH", "exhaustive"},
                                            {"VOX_MODEL_IDLE_TTL", "10m"}};
  ASSERT_TRUE(apply_environment(c, [&](const char* n) -> const char* {
                auto it = env.find(n);
                return it == env.end() ? nullptr : it->second.c_str();
              }).ok());
  std::vector<std::string> rest;
  ASSERT_TRUE(apply_flags(c, {"--gpu-device", "1", "--provider", "CUDA", "--asr-batch-wait", "25"}, rest).ok());
  c.resolve_defaults();
  ASSERT_TRUE(c.validate().ok());
  EXPECT_EQ(c.engines.gpu_mem_limit, 2ull << 30);
  EXPECT_EQ(c.engines.cudnn_conv_algo_search, "EXHAUSTIVE");
  EXPECT_EQ(c.engines.gpu_device, 1);
  EXPECT_DOUBLE_EQ(c.engines.model_idle_ttl_s, 600.0);
  EXPECT_EQ(c.engines.provider, "cuda");
  EXPECT_EQ(c.engines.asr_batch_wait_ms, 25);
  EXPECT_EQ(c.engines.effective_asr_batch(), 16);  // cuda's default
  c.engines.provider = "cpu";
  EXPECT_EQ(c.engines.effective_asr_batch(), 1);
  c.engines.asr_batch = 4;
  EXPECT_EQ(c.engines.effective_asr_batch(), 4);
  c.engines.cudnn_conv_algo_search = "FASTEST";
  EXPECT_EQ(c.validate().error().param, "cudnn_conv_algo_search");
  EXPECT_FALSE(apply_flags(c, {"--gpu-mem-limit", "lots"}, rest).ok());
  EXPECT_FALSE(apply_flags(c, {"--model-idle-ttl", "-5"}, rest).ok() && c.validate().ok());
}

TEST(Config, FlagErrorsAreValues) {
  Config c;
  std::vector<std::string> rest;
  EXPECT_EQ(apply_flags(c, {"--port", "99999"}, rest).error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(apply_flags(c, {"--port"}, rest).ok());
  EXPECT_FALSE(apply_flags(c, {"--threads", "x"}, rest).ok());
  Status s = apply_environment(c, [](const char* n) -> const char* { return std::string(n) == "VOX_PORT" ? "abc" : nullptr; });
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("VOX_PORT"), std::string::npos);
}

TEST(Config, SizesAndDurations) {
  EXPECT_EQ(*parse_byte_size("1GiB"), 1ull << 30);
  EXPECT_EQ(*parse_byte_size("200M"), 200ull << 20);
  EXPECT_EQ(*parse_byte_size("1024"), 1024u);
  EXPECT_FALSE(parse_byte_size("lots").ok());
  EXPECT_FALSE(parse_byte_size("5 parsecs").ok());
  EXPECT_DOUBLE_EQ(*parse_duration("8h"), 28800);
  EXPECT_DOUBLE_EQ(*parse_duration("90m"), 5400);
  EXPECT_DOUBLE_EQ(*parse_duration("12.5"), 12.5);
  EXPECT_FALSE(parse_duration("-3").ok());
}

TEST(Config, HelpListsEveryOption) {
  std::string help = config_options_help();
  for (const auto& o : config_options()) {
    EXPECT_NE(help.find(o.flag), std::string::npos) << o.flag;
    if (!o.env.empty()) {
      EXPECT_NE(help.find(o.env), std::string::npos) << o.env;
    }
  }
}

}  // namespace
}  // namespace vox
