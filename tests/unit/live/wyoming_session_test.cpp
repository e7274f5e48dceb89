// The Wyoming session without sockets: events in, events out through the send callback.
#include <gtest/gtest.h>

#include "vox/core/thread_pool.h"
#include "vox/live/wyoming_session.h"

namespace vox::live {
namespace {

struct Fixture {
  Config config;
  EngineHost engines{config};
  ThreadPool workers{1};
  std::unique_ptr<AudioDecoder> decoder = make_ffmpeg_decoder();
  Transcriber transcriber{engines, workers, *decoder};
  SpeechService speech{engines};
  std::vector<WyomingEvent> sent;
  WyomingSession session{transcriber, speech, [this](const WyomingEvent& e) {
                           sent.push_back(e);
                           return true;
                         }};
  // Handles one event and returns the types it answered with.
  std::vector<std::string> handle(const std::string& type, nlohmann::json data = nlohmann::json::object(),
                                  std::string payload = {}) {
    sent.clear();
    EXPECT_TRUE(session.handle({type, std::move(data), std::move(payload)}));
    std::vector<std::string> types;
    for (const auto& e : sent) types.push_back(e.type);
    return types;
  }
};

using Types = std::vector<std::string>;

TEST(WyomingSession, AudioErrorsAreEventsAndTheSessionGoesOn) {
  Fixture f;
  nlohmann::json fmt = {{"rate", 16000}, {"width", 2}, {"channels", 1}};
  EXPECT_EQ(f.handle("audio-chunk", fmt, std::string(10, '\0')), Types{"error"});
  EXPECT_EQ(f.handle("audio-stop"), Types{"error"});
  EXPECT_EQ(f.handle("audio-start", fmt), Types{});
  EXPECT_EQ(f.handle("audio-chunk", {{"rate", 16000}, {"width", 3}, {"channels", 1}}, std::string(9, '\0')), Types{"error"});
  EXPECT_EQ(f.sent[0].data["code"], "invalid_audio");
  EXPECT_EQ(f.handle("audio-chunk", fmt, std::string(10, '\0')), Types{});  // the failed stream's chunks are ignored
  EXPECT_EQ(f.handle("audio-stop"), Types{});
  EXPECT_EQ(f.handle("audio-start", fmt), Types{});
  EXPECT_EQ(f.handle("audio-chunk", fmt, std::string(3, '\0')), Types{"error"});  // half a sample
  EXPECT_EQ(f.handle("audio-start", fmt), Types{});
  EXPECT_EQ(f.handle("audio-chunk", {{"rate", "fast"}, {"width", 2}, {"channels", 1}}, std::string(4, '\0')), Types{"error"});
  EXPECT_EQ(f.handle("audio-start", fmt), Types{});
  EXPECT_EQ(f.handle("audio-stop"), Types{"error"});  // nothing to transcribe
  EXPECT_EQ(f.sent[0].data["code"], "empty_input");
  EXPECT_EQ(f.handle("ping", {{"text", "x"}}), Types{"pong"});
  EXPECT_EQ(f.handle("run-satellite"), Types{});  // other services' events are ignored
}

TEST(WyomingSession, BufferedAudioIsCapped) {
  Config config;
  EngineHost engines(config);
  ThreadPool workers(1);
  auto decoder = make_ffmpeg_decoder();
  Transcriber transcriber(engines, workers, *decoder);
  SpeechService speech(engines);
  std::vector<WyomingEvent> sent;
  WyomingSessionOptions options;
  options.max_audio_seconds = 1.0;
  WyomingSession session(transcriber, speech, [&](const WyomingEvent& e) { sent.push_back(e); return true; }, options);
  nlohmann::json fmt = {{"rate", 16000}, {"width", 2}, {"channels", 1}};
  ASSERT_TRUE(session.handle({"audio-start", fmt, {}}));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(session.handle({"audio-chunk", fmt, std::string(16000, '\0')}));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].type, "error");
  EXPECT_EQ(sent[0].data["code"], "audio_too_long");
}

TEST(WyomingSession, DescribeAndSynthesize) {
  Fixture f;
  ASSERT_EQ(f.handle("describe"), Types{"info"});
  const auto& info = f.sent[0].data;
  ASSERT_EQ(info["asr"].size(), 1u);
  EXPECT_TRUE(info["asr"][0]["supports_transcript_streaming"].get<bool>());
  EXPECT_TRUE(info["tts"][0]["supports_synthesize_streaming"].get<bool>());
  bool has_slt = false;
  for (const auto& v : info["tts"][0]["voices"]) has_slt |= v["name"] == "slt";
  EXPECT_TRUE(has_slt);

  auto types = f.handle("synthesize", {{"text", "One sentence. And another one."}, {"voice", {{"name", "slt"}}}});
  EXPECT_EQ(types, (Types{"audio-start", "audio-chunk", "audio-chunk", "audio-stop"}));
  int rate = f.sent[0].data["rate"];
  EXPECT_GT(rate, 0);
  EXPECT_EQ(f.sent[1].data["rate"], rate);
  EXPECT_GT(f.sent[1].payload.size(), size_t(rate) / 2);  // > 0.25 s of 16-bit audio

  EXPECT_EQ(f.handle("synthesize", {{"text", "!!!"}}), Types{"error"});
  EXPECT_EQ(f.handle("synthesize-chunk", {{"text", "x"}}), Types{"error"});
  EXPECT_EQ(f.handle("synthesize-start", {{"voice", {{"name", "slt"}}}}), Types{});
  EXPECT_EQ(f.handle("synthesize-chunk", {{"text", "Hello there"}}), Types{});
  EXPECT_EQ(f.handle("synthesize-chunk", {{"text", ". How are"}}), (Types{"audio-start", "audio-chunk"}));
  EXPECT_EQ(f.handle("synthesize", {{"text", "Hello there. How are you?"}}), Types{});  // ignored while streaming
  EXPECT_EQ(f.handle("synthesize-chunk", {{"text", " you?"}}), Types{});
  EXPECT_EQ(f.handle("synthesize-stop"), (Types{"audio-chunk", "audio-stop", "synthesize-stopped"}));
}

}  // namespace
}  // namespace vox::live
