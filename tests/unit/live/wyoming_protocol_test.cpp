// The Wyoming framing: header line, data_length JSON, payload; incremental feeding and bad input.
#include <gtest/gtest.h>

#include "vox/live/wyoming_protocol.h"
#include "vox/live/wyoming_session.h"

namespace vox::live {
namespace {

std::string frame(const std::string& header, const std::string& data = {}, const std::string& payload = {}) {
  return header + "\n" + data + payload;
}

std::vector<WyomingEvent> parse_all(const std::string& bytes, Status* status = nullptr) {
  WyomingParser p;
  std::vector<WyomingEvent> out;
  Status s = p.feed(bytes, out);
  if (status) *status = s;
  return out;
}

TEST(WyomingProtocol, ParsesHeaderOnlyEvent) {
  auto events = parse_all(frame(R"({"type":"describe"})"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "describe");
  EXPECT_TRUE(events[0].data.is_object());
  EXPECT_TRUE(events[0].data.empty());
  EXPECT_TRUE(events[0].payload.empty());
}

TEST(WyomingProtocol, MergesDataSectionOverHeaderData) {
  std::string data = R"({"rate":16000,"width":2})";
  std::string payload("\x01\x00\x02\x00", 4);
  std::string bytes = frame(R"({"type":"audio-chunk","data":{"rate":8000,"channels":1},"data_length":)" +
                                std::to_string(data.size()) + R"(,"payload_length":4})",
                            data, payload);
  auto events = parse_all(bytes);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "audio-chunk");
  EXPECT_EQ(events[0].data["rate"], 16000);
  EXPECT_EQ(events[0].data["width"], 2);
  EXPECT_EQ(events[0].data["channels"], 1);
  EXPECT_EQ(events[0].payload, payload);
}

TEST(WyomingProtocol, SplitAtEveryByteBoundary) {
  std::string data = R"({"text":"hello there"})";
  std::string payload = std::string("\0\n\xff{", 4) + "binary";
  std::string stream = frame(R"({"type":"describe"})") +
                       frame(R"({"type":"synthesize","data_length":)" + std::to_string(data.size()) + "}", data) +
                       frame(R"({"type":"audio-chunk","payload_length":)" + std::to_string(payload.size()) + "}", "", payload) +
                       frame(R"({"type":"audio-stop","data":{}})");
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    for (size_t cut2 = cut; cut2 <= stream.size(); cut2 += 7) {
      WyomingParser p;
      std::vector<WyomingEvent> out;
      ASSERT_TRUE(p.feed(std::string_view(stream).substr(0, cut), out));
      ASSERT_TRUE(p.feed(std::string_view(stream).substr(cut, cut2 - cut), out));
      ASSERT_TRUE(p.feed(std::string_view(stream).substr(cut2), out));
      ASSERT_EQ(out.size(), 4u) << "cut at " << cut << "," << cut2;
      EXPECT_EQ(out[1].data["text"], "hello there");
      EXPECT_EQ(out[2].payload, payload);
      EXPECT_EQ(out[3].type, "audio-stop");
      EXPECT_EQ(p.pending_bytes(), 0u);
    }
  }
  // One byte at a time.
  WyomingParser p;
  std::vector<WyomingEvent> out;
  for (char c : stream) ASSERT_TRUE(p.feed(std::string_view(&c, 1), out));
  EXPECT_EQ(out.size(), 4u);
}

TEST(WyomingProtocol, IncompleteEventWaits) {
  WyomingParser p;
  std::vector<WyomingEvent> out;
  ASSERT_TRUE(p.feed("{\"type\":\"audio-chunk\",\"payload_length\":10}\nabc", out));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(p.pending_bytes(), 3u);
  ASSERT_TRUE(p.feed("defghij", out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].payload, "abcdefghij");
}

TEST(WyomingProtocol, BadHeaderJsonIsAnError) {
  Status s;
  auto events = parse_all(frame(R"({"type":"describe"})") + "not json\n" + frame(R"({"type":"describe"})"), &s);
  EXPECT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(events.size(), 1u);  // the event before the bad one
}

TEST(WyomingProtocol, HeaderMustBeAnObjectWithType) {
  for (const char* header : {"[1,2]", "\"describe\"", "{}", R"({"type":""})", R"({"type":5})", R"({"data":{}})",
                             R"({"type":"x","data":[1]})", R"({"type":"x","data_length":-1})",
                             R"({"type":"x","payload_length":"12"})", R"({"type":"x","data_length":1.5})"}) {
    Status s;
    parse_all(frame(header), &s);
    EXPECT_FALSE(s) << header;
  }
}

TEST(WyomingProtocol, BadDataJsonIsAnError) {
  Status s;
  parse_all(frame(R"({"type":"synthesize","data_length":5})", "{bad}"), &s);
  EXPECT_FALSE(s);
  parse_all(frame(R"({"type":"synthesize","data_length":3})", "[1]"), &s);
  EXPECT_FALSE(s);
}

TEST(WyomingProtocol, OversizeIsAnError) {
  Status s;
  parse_all(frame(R"({"type":"x","data_length":1048577})"), &s);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kTooLarge);
  parse_all(frame(R"({"type":"x","payload_length":4194305})"), &s);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kTooLarge);
  parse_all(frame(R"({"type":"x","payload_length":99999999999999999999999})"), &s);
  EXPECT_FALSE(s);
  // A header line that never ends.
  WyomingParser p;
  std::vector<WyomingEvent> out;
  std::string chunk(4096, 'a');
  Status last;
  for (int i = 0; i < 20 && last; ++i) last = p.feed(chunk, out);
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().code, ErrorCode::kTooLarge);
  EXPECT_TRUE(p.failed());
  EXPECT_FALSE(p.feed(frame(R"({"type":"describe"})"), out));  // stays failed
}

TEST(WyomingProtocol, LimitsAreInclusive) {
  Status s;
  std::string payload(4 * 1024 * 1024, 'x');
  auto events = parse_all(frame(R"({"type":"audio-chunk","payload_length":4194304})", "", payload), &s);
  ASSERT_TRUE(s);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].payload.size(), payload.size());
}

TEST(WyomingProtocol, EncodeRoundTrips) {
  WyomingEvent e{"audio-chunk", {{"rate", 22050}, {"width", 2}, {"channels", 1}}, std::string("\0\1\2\n", 4)};
  std::string bytes = encode_wyoming_event(e);
  auto nl = bytes.find('\n');
  auto header = nlohmann::json::parse(bytes.substr(0, nl));
  EXPECT_EQ(header["type"], "audio-chunk");
  EXPECT_EQ(header["payload_length"], 4);
  EXPECT_TRUE(header.contains("data_length"));
  EXPECT_TRUE(header.contains("version"));
  auto events = parse_all(bytes + encode_wyoming_event({"describe", nlohmann::json::object(), {}}));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].data, e.data);
  EXPECT_EQ(events[0].payload, e.payload);
  EXPECT_EQ(events[1].type, "describe");
  EXPECT_EQ(encode_wyoming_event({"describe", nlohmann::json::object(), {}}).find("data_length"), std::string::npos);
}

TEST(WyomingProtocol, ErrorEventNamesTheCode) {
  auto e = wyoming_error_event(Error(ErrorCode::kInvalidAudio, "bad width"));
  EXPECT_EQ(e.type, "error");
  EXPECT_EQ(e.data["text"], "bad width");
  EXPECT_EQ(e.data["code"], "invalid_audio");
}

TEST(WyomingResample, KeepsDurationAndTone) {
  std::vector<float> in(48000);
  for (size_t i = 0; i < in.size(); ++i) in[i] = float(std::sin(2 * 3.14159265 * 440 * double(i) / 48000));
  auto out = resample_to_16k(in, 48000);
  EXPECT_NEAR(double(out.size()), 16000.0, 1.0);
  // Still a 440 Hz tone: about 880 zero crossings in one second.
  int crossings = 0;
  for (size_t i = 1; i < out.size(); ++i) crossings += (out[i - 1] < 0) != (out[i] < 0);
  EXPECT_NEAR(crossings, 880, 10);
  EXPECT_EQ(resample_to_16k(in, 16000).size(), in.size());
  EXPECT_NEAR(double(resample_to_16k(std::vector<float>(8000, 0.5f), 8000).size()), 16000.0, 1.0);
}

}  // namespace
}  // namespace vox::live
