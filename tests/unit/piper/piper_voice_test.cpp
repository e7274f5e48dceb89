// Piper voice configs (NAME.onnx.json) and finding voices in a models directory.
#include <gtest/gtest.h>

#include "piper_test_util.h"
#include "vox/tts/piper_voice.h"

namespace vox {
namespace {

using nlohmann::json;
using vox::testing::TempDir;
using vox::testing::write_file;

Result<PiperVoiceConfig> parse(const json& j) { return parse_piper_config(j.dump(), "voice.onnx.json"); }

// Expects `j` to be rejected with kInvalidArgument and a message containing `needle`.
void expect_invalid(const json& j, const std::string& needle) {
  auto c = parse(j);
  ASSERT_FALSE(c.ok()) << j.dump();
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(c.error().message.find(needle), std::string::npos) << c.error().message;
  EXPECT_EQ(c.error().message.rfind("voice.onnx.json: ", 0), 0u) << c.error().message;
}

TEST(PiperConfig, ReadsEveryField) {
  json j = vox::testing::text_voice_config();
  j["phoneme_type"] = "espeak";
  j["num_speakers"] = 3;
  j["speaker_id_map"] = {{"bob", 2}, {"alice", 0}, {"carol", 1}};
  auto c = parse(j);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->sample_rate, 16000);
  EXPECT_EQ(c->phoneme_type, "espeak");
  EXPECT_EQ(c->espeak_voice, "en-us");
  EXPECT_EQ(c->language, "en-US");
  EXPECT_FLOAT_EQ(c->noise_scale, 0.5f);
  EXPECT_FLOAT_EQ(c->length_scale, 1.25f);
  EXPECT_FLOAT_EQ(c->noise_w, 0.75f);
  EXPECT_EQ(c->num_speakers, 3);
  ASSERT_EQ(c->speakers.size(), 3u);
  EXPECT_EQ(c->speakers[0], (std::pair<std::string, std::int64_t>{"alice", 0}));
  EXPECT_EQ(c->speakers[2], (std::pair<std::string, std::int64_t>{"bob", 2}));
  EXPECT_EQ(c->phoneme_id_map.at(U'x'), (std::vector<std::int64_t>{20, 21}));
  EXPECT_EQ(c->phoneme_id_map.at(U'\u0327'), (std::vector<std::int64_t>{13}));
  EXPECT_EQ(c->phoneme_id_map.size(), 10u);
}

TEST(PiperConfig, PiperDefaultsWhenOptionalFieldsAreAbsent) {
  json j = json::parse(R"({"espeak": {"voice": "de"}, "phoneme_id_map": {"_": [0], "^": [1], "$": [2]}})");
  auto c = parse(j);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->sample_rate, 22050);
  EXPECT_EQ(c->phoneme_type, "espeak");
  EXPECT_EQ(c->language, "de");  // from espeak.voice when language.code is absent
  EXPECT_FLOAT_EQ(c->noise_scale, 0.667f);
  EXPECT_FLOAT_EQ(c->length_scale, 1.0f);
  EXPECT_FLOAT_EQ(c->noise_w, 0.8f);
  EXPECT_EQ(c->num_speakers, 1);
  EXPECT_TRUE(c->speakers.empty());
}

TEST(PiperConfig, MalformedConfigsAreInvalidArgument) {
  auto c = parse_piper_config("{not json", "voice.onnx.json");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(c.error().message.find("not valid JSON"), std::string::npos);
  expect_invalid(json::array({1, 2}), "JSON object");

  const json good = vox::testing::text_voice_config();
  auto with = [&](const std::string& pointer, const json& value) {
    json j = good;
    j[json::json_pointer(pointer)] = value;
    return j;
  };
  auto without = [&](const std::string& key) {
    json j = good;
    j.erase(key);
    return j;
  };
  expect_invalid(without("phoneme_id_map"), "phoneme_id_map is missing");
  expect_invalid(with("/phoneme_id_map", json::array()), "phoneme_id_map must be an object");
  json no_pad = good;
  no_pad["phoneme_id_map"].erase("_");
  expect_invalid(no_pad, "no \"_\" entry");
  json no_eos = good;
  no_eos["phoneme_id_map"].erase("$");
  expect_invalid(no_eos, "no \"$\" entry");
  expect_invalid(with("/phoneme_id_map/ab", json::array({5})), "\"ab\" is not a single code point");
  expect_invalid(with("/phoneme_id_map/q", json::array()), "non-empty list");
  expect_invalid(with("/phoneme_id_map/q", json::array({"5"})), "must be an integer");
  expect_invalid(with("/phoneme_id_map/q", json::array({-1})), "out of range");
  expect_invalid(with("/phoneme_id_map/q", 5), "non-empty list");
  expect_invalid(with("/audio/sample_rate", "22050"), "audio.sample_rate must be an integer");
  expect_invalid(with("/audio/sample_rate", 0), "audio.sample_rate is out of range");
  expect_invalid(with("/inference/noise_scale", "x"), "inference.noise_scale must be a number");
  expect_invalid(with("/inference/length_scale", 0), "length_scale must be positive");
  expect_invalid(with("/phoneme_type", "pinyin"), "not supported");
  json no_voice = without("espeak");
  no_voice["phoneme_type"] = "espeak";
  expect_invalid(no_voice, "espeak.voice is missing");
  expect_invalid(with("/espeak/voice", 3), "espeak.voice must be a string");
  expect_invalid(with("/num_speakers", 0), "num_speakers is out of range");
  expect_invalid(with("/num_speakers", 2.5), "num_speakers must be an integer");
  expect_invalid(with("/speaker_id_map", json::array()), "speaker_id_map must be an object");
  expect_invalid(with("/speaker_id_map/bob", 1), "out of range");  // num_speakers is 1
  expect_invalid(with("/speaker_id_map/a:b", 0), "without ':'");
}

TEST(PiperConfig, TextVoicesNeedNoEspeakVoice) {
  json j = vox::testing::text_voice_config();
  j.erase("espeak");
  j.erase("language");
  auto c = parse(j);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->language, "");
}

TEST(PiperConfig, UnreadableFileIsUnavailable) {
  TempDir dir;
  auto c = load_piper_config((dir / "absent.onnx.json").string());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(c.error().message.find("absent.onnx.json"), std::string::npos);

  write_file(dir / "ok.onnx.json", vox::testing::text_voice_config().dump());
  auto ok = load_piper_config((dir / "ok.onnx.json").string());
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->sample_rate, 16000);
}

TEST(PiperDiscovery, FindsVoicesAtTheTopAndOneLevelDown) {
  TempDir dir;
  write_file(dir / "en_US-a-low.onnx", "m");
  write_file(dir / "en_US-a-low.onnx.json", "{}");
  write_file(dir / "piper" / "de_DE-b-medium.onnx", "m");
  write_file(dir / "piper" / "de_DE-b-medium.onnx.json", "{}");
  write_file(dir / "piper" / "en_US-a-low.onnx", "m");  // same name deeper down: the top one wins
  write_file(dir / "piper" / "en_US-a-low.onnx.json", "{}");
  write_file(dir / "no-config.onnx", "m");                // no sibling config
  write_file(dir / "only-config.onnx.json", "{}");        // no model
  write_file(dir / "a" / "b" / "too-deep.onnx", "m");     // two levels down
  write_file(dir / "a" / "b" / "too-deep.onnx.json", "{}");
  write_file(dir / "silero_vad.onnx", "m");               // other ONNX models are not voices

  const auto voices = find_piper_voices(dir.str());
  ASSERT_EQ(voices.size(), 2u);
  EXPECT_EQ(voices[0].name, "de_DE-b-medium");
  EXPECT_EQ(voices[0].model, (dir / "piper" / "de_DE-b-medium.onnx").string());
  EXPECT_EQ(voices[0].config, (dir / "piper" / "de_DE-b-medium.onnx.json").string());
  EXPECT_EQ(voices[1].name, "en_US-a-low");
  EXPECT_EQ(voices[1].model, (dir / "en_US-a-low.onnx").string());
}

TEST(PiperDiscovery, MissingOrEmptyDirHasNoVoices) {
  EXPECT_TRUE(find_piper_voices("").empty());
  EXPECT_TRUE(find_piper_voices("/nonexistent/vox/models").empty());
  TempDir dir;
  EXPECT_TRUE(find_piper_voices(dir.str()).empty());
}

}  // namespace
}  // namespace vox
