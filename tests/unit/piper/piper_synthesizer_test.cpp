// The piper engine end to end on the echo models of tests/models/piper_test_models.py, which
// output [1.0, ids..., input_lengths, scales..., (sid)] / 1024: every value that reached the model
// is checked exactly.
#include <gtest/gtest.h>

#include <thread>

#include "../../models/model_builder.h"
#include "piper_test_util.h"
#include "vox/engines/factories.h"
#include "vox/engines/registry.h"
#include "vox/tts/piper_phonemes.h"

namespace vox {
namespace {

using nlohmann::json;
using vox::testing::TempDir;

constexpr float kScale = 1024.0f;

// What the echo model returns for these inputs, after Piper's normalisation (peak/`gain` = 1)
// and 0.2 s of sentence silence.
std::vector<float> echo(const std::vector<std::int64_t>& ids, const std::vector<float>& scales,
                        std::optional<std::int64_t> sid, int sample_rate, float gain = 1.0f) {
  std::vector<float> v = {1.0f};
  for (auto id : ids) v.push_back(float(id) / kScale * gain);
  v.push_back(float(ids.size()) / kScale * gain);
  for (float s : scales) v.push_back(s / kScale * gain);
  if (sid) v.push_back(float(*sid) / kScale * gain);
  v.resize(v.size() + std::size_t(sample_rate / 5), 0.0f);
  return v;
}

class PiperSynthesizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { models_ = vox::testing::build_test_models("piper_test_models.py"); }
  void SetUp() override {
    ASSERT_FALSE(models_.empty()) << "test models could not be built";
    json text = vox::testing::text_voice_config();
    vox::testing::add_voice(dir_ / "piper", "en_US-text-x_low", model("single"), text);
    json multi = text;
    multi["num_speakers"] = 3;
    multi["speaker_id_map"] = {{"bob", 2}, {"alice", 0}, {"carol", 1}};
    multi["audio"]["sample_rate"] = 22050;
    vox::testing::add_voice(dir_ / "piper", "multi-voice", model("multi"), multi);
    json espeak = text;
    espeak["phoneme_type"] = "espeak";
    espeak["phoneme_id_map"] = json::parse(
        R"({"_": [0], "^": [1], "$": [2], " ": [3], ".": [4], "h": [5], "ə": [6], "l": [7], "ˈ": [8],
            "o": [9], "ʊ": [10], "w": [11], "ɜ": [12], "ː": [13], "d": [14]})");
    vox::testing::add_voice(dir_.path(), "en_US-espeak-low", model("single"), espeak);
    vox::testing::add_voice(dir_.path(), "quiet", model("quiet"), text);
  }

  static std::string model(const std::string& name) { return models_ + "/" + name + ".onnx"; }

  std::unique_ptr<Synthesizer> engine(const std::string& dir) {
    Config config;
    config.engines.models_dir = dir;
    auto s = make_piper_synthesizer(config);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? std::move(*s) : nullptr;
  }
  std::unique_ptr<Synthesizer> engine() { return engine(dir_.str()); }

  static Result<AudioBuffer> say(Synthesizer& s, const std::string& text, const std::string& voice, float speed = 1.0f) {
    SynthesisOptions options;
    options.voice = voice;
    options.speed = speed;
    return s.synthesize(text, options, CancelToken());
  }

  static inline std::string models_;
  TempDir dir_;
};

TEST_F(PiperSynthesizerTest, ListsVoicesAndNamedSpeakers) {
  auto s = engine();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->name(), "piper");
  const auto voices = s->voices();
  std::vector<std::string> names;
  for (const auto& v : voices) names.push_back(v.name);
  EXPECT_EQ(names, (std::vector<std::string>{"en_US-espeak-low", "en_US-text-x_low", "multi-voice",
                                             "multi-voice:alice", "multi-voice:carol", "multi-voice:bob", "quiet"}));
  for (const auto& v : voices) {
    EXPECT_EQ(v.engine, "piper");
    EXPECT_EQ(v.language, "en-US");
    EXPECT_EQ(v.sample_rate, v.name.starts_with("multi") ? 22050 : 16000) << v.name;
  }
}

TEST_F(PiperSynthesizerTest, IdsScalesAndSampleRateArriveExactly) {
  auto s = engine();
  ASSERT_TRUE(s);
  auto audio = say(*s, "Abc xç.", "en_US-text-x_low");
  ASSERT_TRUE(audio.ok()) << audio.error().message;
  EXPECT_EQ(audio->sample_rate, 16000);
  // ^ _ a _ b _ c _ ' ' _ x(20,21) _ c _ U+0327 _ . _ $
  const std::vector<std::int64_t> ids = {1, 0, 10, 0, 11, 0, 12, 0, 3, 0, 20, 21, 0, 12, 0, 13, 0, 14, 0, 2};
  EXPECT_EQ(audio->samples, echo(ids, {0.5f, 1.25f, 0.75f}, std::nullopt, 16000));
}

TEST_F(PiperSynthesizerTest, SpeedDividesLengthScale) {
  auto s = engine();
  ASSERT_TRUE(s);
  for (float speed : {0.25f, 0.5f, 1.5f, 4.0f}) {
    auto audio = say(*s, "ab", "en_US-text-x_low", speed);
    ASSERT_TRUE(audio.ok()) << audio.error().message;
    EXPECT_EQ(audio->samples, echo({1, 0, 10, 0, 11, 0, 2}, {0.5f, 1.25f / speed, 0.75f}, std::nullopt, 16000)) << speed;
  }
}

TEST_F(PiperSynthesizerTest, SpeakerIdsByNameNumberAndDefault) {
  auto s = engine();
  ASSERT_TRUE(s);
  const std::vector<std::int64_t> ids = {1, 0, 10, 0, 2};
  const std::vector<float> scales = {0.5f, 1.25f, 0.75f};
  for (const auto& [voice, sid] : std::vector<std::pair<std::string, std::int64_t>>{
           {"multi-voice", 0}, {"multi-voice:alice", 0}, {"multi-voice:carol", 1}, {"multi-voice:bob", 2},
           {"multi-voice:1", 1}, {"multi-voice:2", 2}}) {
    auto audio = say(*s, "a", voice);
    ASSERT_TRUE(audio.ok()) << voice << ": " << audio.error().message;
    EXPECT_EQ(audio->sample_rate, 22050);
    EXPECT_EQ(audio->samples, echo(ids, scales, sid, 22050)) << voice;
  }
  for (const std::string voice : {"multi-voice:dave", "multi-voice:3", "multi-voice:"}) {
    auto audio = say(*s, "a", voice);
    ASSERT_FALSE(audio.ok()) << voice;
    EXPECT_EQ(audio.error().code, ErrorCode::kNotFound) << voice;
    EXPECT_EQ(audio.error().param, "voice");
  }
  auto single = say(*s, "a", "en_US-text-x_low:1");  // num_speakers is 1
  ASSERT_FALSE(single.ok());
  EXPECT_EQ(single.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(say(*s, "a", "en_US-text-x_low:0").ok());
}

TEST_F(PiperSynthesizerTest, EspeakVoicePhonemisesLikePiper) {
  auto s = engine();
  ASSERT_TRUE(s);
  auto audio = say(*s, "Hello world.", "en_US-espeak-low");
  ASSERT_TRUE(audio.ok()) << audio.error().message;
  // espeak-ng: "həlˈoʊ wˈɜːld" + the sentence's "." restored.
  const std::vector<std::int64_t> ids = {1, 0, 5, 0, 6, 0, 7, 0, 8, 0, 9, 0, 10, 0, 3, 0, 11, 0, 8, 0,
                                         12, 0, 13, 0, 7, 0, 14, 0, 4, 0, 2};
  EXPECT_EQ(audio->samples, echo(ids, {0.5f, 1.25f, 0.75f}, std::nullopt, 16000));
}

TEST_F(PiperSynthesizerTest, OutputIsPeakNormalised) {
  auto s = engine();
  ASSERT_TRUE(s);
  auto audio = say(*s, "ab", "quiet");  // the model's loudest sample is 0.25
  ASSERT_TRUE(audio.ok()) << audio.error().message;
  EXPECT_EQ(audio->samples, echo({1, 0, 10, 0, 11, 0, 2}, {0.5f, 1.25f, 0.75f}, std::nullopt, 16000, 4.0f));
}

TEST_F(PiperSynthesizerTest, RequestErrors) {
  auto s = engine();
  ASSERT_TRUE(s);
  auto unknown = say(*s, "a", "no-such-voice");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().param, "voice");
  auto speed = say(*s, "a", "quiet", 5.0f);
  ASSERT_FALSE(speed.ok());
  EXPECT_EQ(speed.error().param, "speed");
  SynthesisOptions german;
  german.voice = "quiet";
  german.language = "de";
  auto lang = s->synthesize("a", german, CancelToken());
  ASSERT_FALSE(lang.ok());
  EXPECT_EQ(lang.error().code, ErrorCode::kInvalidArgument);
  german.language = "en-GB";  // same language, other region: fine
  EXPECT_TRUE(s->synthesize("a", german, CancelToken()).ok());
  CancelToken cancelled;
  cancelled.cancel();
  german.language = "";
  auto c = s->synthesize("a", german, cancelled);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kCancelled);
  auto blank = say(*s, "   ", "quiet");  // nothing to say: no audio, no silence
  ASSERT_TRUE(blank.ok());
  EXPECT_TRUE(blank->samples.empty());
  EXPECT_EQ(blank->sample_rate, 16000);
}

TEST_F(PiperSynthesizerTest, EmptyVoiceNameMeansTheFirstVoice) {
  auto s = engine();
  ASSERT_TRUE(s);
  auto audio = s->synthesize("Hello world.", SynthesisOptions{}, CancelToken());
  ASSERT_TRUE(audio.ok()) << audio.error().message;
  auto named = say(*s, "Hello world.", "en_US-espeak-low");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(audio->samples, named->samples);
}

TEST_F(PiperSynthesizerTest, LoadsWithoutVoicesAndIsRegistered) {
  TempDir empty;
  auto s = engine(empty.str());
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->voices().empty());
  auto audio = say(*s, "a", "");
  ASSERT_FALSE(audio.ok());
  EXPECT_EQ(audio.error().code, ErrorCode::kNotFound);
  EXPECT_NE(audio.error().message.find(empty.str()), std::string::npos);
  EXPECT_TRUE(engine("/nonexistent/vox-models")->voices().empty());

  ASSERT_NE(builtin_engines().synthesizers.find("piper"), nullptr);
  Config config;
  config.engines.models_dir = dir_.str();
  EngineHost host(config);
  auto piper = host.synthesizer("piper");
  ASSERT_TRUE(piper.ok()) << piper.error().message;
  EXPECT_EQ((*piper)->voices().size(), 7u);
}

TEST_F(PiperSynthesizerTest, BrokenVoicesAreSkippedOrFailCleanly) {
  TempDir dir;
  vox::testing::add_voice(dir.path(), "good", model("single"), vox::testing::text_voice_config());
  vox::testing::write_file(dir / "bad-config.onnx", "x");
  vox::testing::write_file(dir / "bad-config.onnx.json", "{\"phoneme_id_map\": 3}");
  vox::testing::write_file(dir / "bad-model.onnx", "this is not an onnx model");
  vox::testing::write_file(dir / "bad-model.onnx.json", vox::testing::text_voice_config().dump());
  auto s = engine(dir.str());
  ASSERT_TRUE(s);
  std::vector<std::string> names;
  for (const auto& v : s->voices()) names.push_back(v.name);
  EXPECT_EQ(names, (std::vector<std::string>{"bad-model", "good"}));
  for (int i = 0; i < 2; ++i) {  // the load failure is remembered, not retried
    auto audio = say(*s, "a", "bad-model");
    ASSERT_FALSE(audio.ok());
    EXPECT_EQ(audio.error().code, ErrorCode::kUnavailable);
    EXPECT_NE(audio.error().message.find("bad-model"), std::string::npos);
  }
  EXPECT_TRUE(say(*s, "a", "good").ok());
}

TEST_F(PiperSynthesizerTest, ConcurrentRequestsShareOneSession) {
  auto s = engine();
  ASSERT_TRUE(s);
  auto text_ref = say(*s, "Abc.", "en_US-text-x_low");
  auto espeak_ref = say(*s, "Hello world.", "en_US-espeak-low");
  ASSERT_TRUE(text_ref.ok() && espeak_ref.ok());
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const bool espeak = (i + t) % 2 == 0;
        auto a = espeak ? say(*s, "Hello world.", "en_US-espeak-low") : say(*s, "Abc.", "en_US-text-x_low");
        if (!a.ok() || a->samples != (espeak ? espeak_ref : text_ref)->samples) ++mismatches;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace vox
