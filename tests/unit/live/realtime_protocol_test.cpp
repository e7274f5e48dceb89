#include "vox/live/realtime_protocol.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "vox/core/base64.h"

namespace vox::realtime {
namespace {

using nlohmann::json;

TEST(RealtimeProtocol, ReadsGaSessionUpdate) {
  SessionConfig current;
  auto p = parse_client_event(R"({"type":"session.update","event_id":"evt_1","session":{"type":"transcription",
      "audio":{"input":{"format":{"type":"audio/pcm","rate":24000},
        "transcription":{"model":"gpt-4o-transcribe","language":"en","prompt":"names"},
        "turn_detection":{"type":"server_vad","threshold":0.4,"prefix_padding_ms":200,"silence_duration_ms":650}}}}})",
                              current);
  ASSERT_TRUE(p.event) << p.error->message;
  EXPECT_EQ(p.event->type, ClientEvent::Type::kSessionUpdate);
  EXPECT_EQ(p.event->dialect, Dialect::kGa);
  EXPECT_EQ(p.event->event_id, "evt_1");
  const auto& s = p.event->session;
  EXPECT_EQ(s.format.encoding, AudioEncoding::kPcm16);
  EXPECT_EQ(s.format.rate, 24000);
  EXPECT_EQ(s.model, "gpt-4o-transcribe");
  EXPECT_EQ(s.language, "en");
  EXPECT_EQ(s.prompt, "names");
  EXPECT_TRUE(s.server_vad);
  EXPECT_FLOAT_EQ(s.vad.threshold, 0.4f);
  EXPECT_EQ(s.vad.prefix_padding_ms, 200);
  EXPECT_EQ(s.vad.silence_duration_ms, 650);
}

TEST(RealtimeProtocol, ReadsBetaTranscriptionSessionUpdate) {
  SessionConfig current;
  current.language = "fr";
  auto p = parse_client_event(R"({"type":"transcription_session.update","session":{"input_audio_format":"g711_ulaw",
      "input_audio_transcription":{"model":"whisper-1"},"turn_detection":null}})",
                              current);
  ASSERT_TRUE(p.event);
  EXPECT_EQ(p.event->dialect, Dialect::kBeta);
  EXPECT_EQ(p.event->session.format.encoding, AudioEncoding::kG711Ulaw);
  EXPECT_EQ(p.event->session.format.rate, 8000);
  EXPECT_EQ(p.event->session.model, "whisper-1");
  EXPECT_EQ(p.event->session.language, "fr");  // left out: kept
  EXPECT_FALSE(p.event->session.server_vad);
}

TEST(RealtimeProtocol, GaTurnDetectionNullMeansManualCommit) {
  SessionConfig current;
  auto p = parse_client_event(
      R"({"type":"session.update","session":{"type":"transcription","audio":{"input":{"turn_detection":null}}}})", current);
  ASSERT_TRUE(p.event);
  EXPECT_FALSE(p.event->session.server_vad);
}

TEST(RealtimeProtocol, ErrorsCarryCodeParamAndEventId) {
  SessionConfig c;
  auto bad_json = parse_client_event("{not json", c);
  ASSERT_TRUE(bad_json.error);
  EXPECT_EQ(bad_json.error->code, "invalid_json");
  EXPECT_EQ(bad_json.error->type, "invalid_request_error");

  auto unknown = parse_client_event(R"({"type":"response.create","event_id":"e7"})", c);
  ASSERT_TRUE(unknown.error);
  EXPECT_EQ(unknown.error->param, "type");
  EXPECT_EQ(unknown.error->event_id, "e7");

  auto format = parse_client_event(
      R"({"type":"session.update","session":{"type":"transcription","audio":{"input":{"format":{"type":"audio/mp3"}}}}})", c);
  ASSERT_TRUE(format.error);
  EXPECT_EQ(format.error->code, "invalid_value");
  EXPECT_EQ(format.error->param, "session.audio.input.format.type");

  auto rate = parse_client_event(
      R"({"type":"session.update","session":{"audio":{"input":{"format":{"type":"audio/pcm","rate":4}}}}})", c);
  ASSERT_TRUE(rate.error);
  EXPECT_EQ(rate.error->param, "session.audio.input.format.rate");

  auto beta_format = parse_client_event(R"({"type":"transcription_session.update","session":{"input_audio_format":"opus"}})", c);
  ASSERT_TRUE(beta_format.error);
  EXPECT_EQ(beta_format.error->param, "session.input_audio_format");

  auto realtime = parse_client_event(R"({"type":"session.update","session":{"type":"realtime"}})", c);
  ASSERT_TRUE(realtime.error);
  EXPECT_EQ(realtime.error->param, "session.type");

  auto vad = parse_client_event(R"({"type":"session.update","session":{"turn_detection":{"threshold":3}}})", c);
  ASSERT_TRUE(vad.error);

  auto audio = parse_client_event(R"({"type":"input_audio_buffer.append","audio":"!!!"})", c);
  ASSERT_TRUE(audio.error);
  EXPECT_EQ(audio.error->param, "audio");

  auto missing = parse_client_event(R"({"type":"input_audio_buffer.append"})", c);
  ASSERT_TRUE(missing.error);
  EXPECT_TRUE(parse_client_event("[]", c).error);
  EXPECT_TRUE(parse_client_event(R"({"type":5})", c).error);
}

TEST(RealtimeProtocol, ReadsAppendCommitClear) {
  SessionConfig c;
  auto a = parse_client_event(R"({"type":"input_audio_buffer.append","audio":")" + base64_encode("\x01\x02\x03\x04") + "\"}", c);
  ASSERT_TRUE(a.event);
  EXPECT_EQ(a.event->type, ClientEvent::Type::kAppend);
  EXPECT_EQ(a.event->audio, "\x01\x02\x03\x04");
  EXPECT_EQ(parse_client_event(R"({"type":"input_audio_buffer.commit"})", c).event->type, ClientEvent::Type::kCommit);
  EXPECT_EQ(parse_client_event(R"({"type":"input_audio_buffer.clear"})", c).event->type, ClientEvent::Type::kClear);
}

TEST(RealtimeProtocol, ServerEventsHaveOpenAIShapes) {
  ServerEvents ev("sess_1");
  SessionConfig c;
  auto created = json::parse(ev.session_created(c, Dialect::kGa));
  EXPECT_EQ(created["type"], "session.created");
  EXPECT_EQ(created["event_id"].get<std::string>().rfind("event_", 0), 0u);
  EXPECT_EQ(created["session"]["type"], "transcription");
  EXPECT_EQ(created["session"]["audio"]["input"]["format"]["type"], "audio/pcm");
  EXPECT_EQ(created["session"]["audio"]["input"]["format"]["rate"], 24000);
  EXPECT_EQ(created["session"]["audio"]["input"]["turn_detection"]["type"], "server_vad");
  auto beta = json::parse(ev.session_updated(c, Dialect::kBeta));
  EXPECT_EQ(beta["type"], "transcription_session.updated");
  EXPECT_EQ(beta["session"]["input_audio_format"], "pcm16");

  auto started = json::parse(ev.speech_started("item_1", 1234.4));
  EXPECT_EQ(started["type"], "input_audio_buffer.speech_started");
  EXPECT_EQ(started["audio_start_ms"], 1234);
  EXPECT_EQ(started["item_id"], "item_1");
  EXPECT_NE(started["event_id"], created["event_id"]);
  auto stopped = json::parse(ev.speech_stopped("item_1", 2000));
  EXPECT_EQ(stopped["audio_end_ms"], 2000);
  auto committed = json::parse(ev.committed("item_2", "item_1"));
  EXPECT_EQ(committed["previous_item_id"], "item_1");
  EXPECT_TRUE(json::parse(ev.committed("item_1", ""))["previous_item_id"].is_null());

  Word w;
  w.text = "hello";
  w.start = 1.0;
  w.end = 1.4;
  w.speaker = "A";
  auto done = json::parse(ev.completed("item_1", "Hello.", "A", {w}, 1.5, 0.9f, 1000, 2500));
  EXPECT_EQ(done["type"], "conversation.item.input_audio_transcription.completed");
  EXPECT_EQ(done["transcript"], "Hello.");
  EXPECT_EQ(done["content_index"], 0);
  EXPECT_EQ(done["usage"]["type"], "duration");
  EXPECT_DOUBLE_EQ(done["usage"]["seconds"].get<double>(), 1.5);
  EXPECT_EQ(done["speaker"], "A");
  EXPECT_EQ(done["words"][0]["word"], "hello");

  ProtocolError e;
  e.code = "invalid_json";
  e.message = "bad";
  auto err = json::parse(ev.error(e));
  EXPECT_EQ(err["type"], "error");
  EXPECT_EQ(err["error"]["type"], "invalid_request_error");
  EXPECT_EQ(err["error"]["code"], "invalid_json");
  EXPECT_TRUE(err["error"]["param"].is_null());
  EXPECT_TRUE(err["error"]["event_id"].is_null());
  auto failed = json::parse(ev.failed("item_3", e));
  EXPECT_EQ(failed["type"], "conversation.item.input_audio_transcription.failed");
  EXPECT_EQ(failed["error"]["code"], "invalid_json");
}

TEST(RealtimeProtocol, PartialDeltas) {
  EXPECT_EQ(partial_delta("", "hello"), "hello");
  EXPECT_EQ(partial_delta("hello", "hello world"), " world");
  EXPECT_EQ(partial_delta("hello world", "hello word"), "");  // revised: the whole text rides in `text`
  EXPECT_EQ(partial_delta("same", "same"), "");
}

TEST(RealtimeAudio, G711MatchesTheStandardTables) {
  EXPECT_EQ(ulaw_to_linear(0xFF), 0);
  EXPECT_EQ(ulaw_to_linear(0x7F), 0);
  EXPECT_EQ(ulaw_to_linear(0x00), -32124);
  EXPECT_EQ(ulaw_to_linear(0x80), 32124);
  EXPECT_EQ(alaw_to_linear(0xD5), 8);
  EXPECT_EQ(alaw_to_linear(0x55), -8);
  EXPECT_EQ(alaw_to_linear(0xAA), 32256);
  EXPECT_EQ(alaw_to_linear(0x2A), -32256);
}

TEST(RealtimeAudio, Pcm16At24kBecomes16k) {
  RealtimeAudioDecoder d({AudioEncoding::kPcm16, 24000});
  // 1 s of a 440 Hz tone at 24 kHz, sent in odd-sized pieces.
  std::string bytes;
  for (int i = 0; i < 24000; ++i) {
    auto v = static_cast<std::int16_t>(std::lround(16000 * std::sin(2 * M_PI * 440 * i / 24000.0)));
    bytes.push_back(static_cast<char>(v & 0xFF));
    bytes.push_back(static_cast<char>((v >> 8) & 0xFF));
  }
  std::vector<float> out;
  for (std::size_t pos = 0; pos < bytes.size(); pos += 4801) {
    auto part = d.decode(std::string_view(bytes).substr(pos, 4801));
    ASSERT_TRUE(part);
    out.insert(out.end(), part->begin(), part->end());
  }
  EXPECT_NEAR(double(out.size()), 16000.0, 200.0);
  float peak = 0;
  for (float s : out) peak = std::max(peak, std::fabs(s));
  EXPECT_NEAR(peak, 16000.0 / 32768.0, 0.05);
}

TEST(RealtimeAudio, Pcm16At16kPassesThrough) {
  RealtimeAudioDecoder d({AudioEncoding::kPcm16, 16000});
  auto out = d.decode(std::string("\x00\x40\x00\xc0", 4));
  ASSERT_TRUE(out);
  ASSERT_EQ(out->size(), 2u);
  EXPECT_FLOAT_EQ((*out)[0], 0.5f);
  EXPECT_FLOAT_EQ((*out)[1], -0.5f);
}

TEST(RealtimeAudio, UlawAt8kIsUpsampled) {
  RealtimeAudioDecoder d({AudioEncoding::kG711Ulaw, 8000});
  std::vector<float> out;
  for (int i = 0; i < 10; ++i) {
    auto part = d.decode(std::string(800, '\xff'));
    ASSERT_TRUE(part);
    out.insert(out.end(), part->begin(), part->end());
  }
  EXPECT_NEAR(double(out.size()), 16000.0, 200.0);
}

TEST(RealtimeProtocol, EngineForModel) {
  auto is_engine = [](const std::string& n) { return n == "sphinx"; };
  EXPECT_EQ(engine_for_model("gpt-4o-transcribe", is_engine), "");
  EXPECT_EQ(engine_for_model("sphinx", is_engine), "sphinx");
}

}  // namespace
}  // namespace vox::realtime
