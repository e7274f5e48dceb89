#include "vox/live/websocket_frames.h"

#include <gtest/gtest.h>

#include <random>

namespace vox::ws {
namespace {

FrameReader::Result read_one(FrameReader& r, Message& m, ProtocolViolation& v) { return r.next(m, v); }

TEST(WebSocketHandshake, AcceptKeyMatchesRfcExample) {
  // RFC 6455 §1.3.
  EXPECT_EQ(accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocketHandshake, ParsesAnUpgradeRequest) {
  const std::string text =
      "GET /v1/realtime?intent=transcription HTTP/1.1\r\n"
      "Host: 127.0.0.1:8080\r\n"
      "Upgrade: websocket\r\n"
      "Connection: keep-alive, Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n"
      "Sec-WebSocket-Protocol: realtime, openai-insecure-api-key.sk-1\r\n"
      "\r\n"
      "\x81\x80";  // a frame right behind the head
  const std::size_t end = find_head_end(text);
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(text.substr(end), "\x81\x80");
  auto head = parse_request_head(std::string_view(text).substr(0, end));
  ASSERT_TRUE(head);
  EXPECT_EQ(head->method, "GET");
  EXPECT_EQ(head->path, "/v1/realtime");
  EXPECT_EQ(head->query, "intent=transcription");
  EXPECT_EQ(head->header("upgrade"), "websocket");
  EXPECT_TRUE(is_upgrade_request(*head));
  EXPECT_EQ(upgrade_problem(*head), "");
  auto protocols = header_tokens(head->header("Sec-WebSocket-Protocol"));
  ASSERT_EQ(protocols.size(), 2u);
  EXPECT_EQ(protocols[1], "openai-insecure-api-key.sk-1");
}

TEST(WebSocketHandshake, RefusesBadUpgrades) {
  auto head = parse_request_head("GET /x HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
  ASSERT_TRUE(head);
  EXPECT_NE(upgrade_problem(*head), "");
  head = parse_request_head("GET /x HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: c2hvcnQ=\r\n\r\n");
  ASSERT_TRUE(head);
  EXPECT_NE(upgrade_problem(*head), "");
  head = parse_request_head("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_TRUE(head);
  EXPECT_FALSE(is_upgrade_request(*head));
}

TEST(WebSocketHandshake, RejectsMalformedHeads) {
  EXPECT_FALSE(parse_request_head(""));
  EXPECT_FALSE(parse_request_head("GET\r\n\r\n"));
  EXPECT_FALSE(parse_request_head("GET /x HTTP/1.1\r\nno colon\r\n\r\n"));
  EXPECT_FALSE(parse_request_head("GET x HTTP/1.1\r\n\r\n"));
  EXPECT_FALSE(parse_request_head("GET /x HTTP/1.1\r\nA: b\r\n"));  // no blank line
  EXPECT_EQ(find_head_end("GET / HTTP/1.1\r\nA: b\r\n"), std::string::npos);
}

TEST(WebSocketFrames, ReadsMaskedTextInAnyChunking) {
  const std::string frame = encode_masked_frame(Opcode::kText, "hello, world", 0x37fa213d);
  for (std::size_t split = 0; split <= frame.size(); ++split) {
    FrameReader r(1024);
    Message m;
    ProtocolViolation v;
    r.feed(std::string_view(frame).substr(0, split));
    if (split < frame.size()) {
      ASSERT_EQ(read_one(r, m, v), FrameReader::Result::kNeedMore) << split;
      r.feed(std::string_view(frame).substr(split));
    }
    ASSERT_EQ(read_one(r, m, v), FrameReader::Result::kMessage) << split;
    EXPECT_EQ(m.opcode, Opcode::kText);
    EXPECT_EQ(m.payload, "hello, world");
    EXPECT_EQ(read_one(r, m, v), FrameReader::Result::kNeedMore);
  }
}

TEST(WebSocketFrames, ReadsExtendedLengths) {
  for (std::size_t n : {125u, 126u, 65535u, 65536u, 200000u}) {
    std::string payload(n, 'x');
    FrameReader r(1 << 20);
    r.feed(encode_masked_frame(Opcode::kBinary, payload, 0x01020304));
    Message m;
    ProtocolViolation v;
    ASSERT_EQ(r.next(m, v), FrameReader::Result::kMessage) << n;
    EXPECT_EQ(m.opcode, Opcode::kBinary);
    EXPECT_EQ(m.payload.size(), n);
    EXPECT_EQ(m.payload, payload);
  }
}

TEST(WebSocketFrames, JoinsFragmentsAroundControlFrames) {
  FrameReader r(1024);
  r.feed(encode_masked_frame(Opcode::kText, "hel", 1, false));
  r.feed(encode_masked_frame(Opcode::kPing, "p", 2));
  r.feed(encode_masked_frame(Opcode::kContinuation, "lo", 3, true));
  Message m;
  ProtocolViolation v;
  ASSERT_EQ(r.next(m, v), FrameReader::Result::kMessage);
  EXPECT_EQ(m.opcode, Opcode::kPing);
  EXPECT_EQ(m.payload, "p");
  ASSERT_EQ(r.next(m, v), FrameReader::Result::kMessage);
  EXPECT_EQ(m.opcode, Opcode::kText);
  EXPECT_EQ(m.payload, "hello");
}

TEST(WebSocketFrames, RefusesOversizeMessagesFromTheirHeader) {
  FrameReader r(100);
  // Only the header of a 1 MiB frame has arrived: refused already.
  std::string frame = encode_masked_frame(Opcode::kText, std::string(1 << 20, 'a'), 5);
  r.feed(std::string_view(frame).substr(0, 14));
  Message m;
  ProtocolViolation v;
  ASSERT_EQ(r.next(m, v), FrameReader::Result::kViolation);
  EXPECT_EQ(v.close_code, kCloseTooBig);
  // Fragments that add up past the cap.
  FrameReader f(100);
  f.feed(encode_masked_frame(Opcode::kText, std::string(60, 'a'), 5, false));
  f.feed(encode_masked_frame(Opcode::kContinuation, std::string(60, 'a'), 5, true));
  ASSERT_EQ(f.next(m, v), FrameReader::Result::kViolation);
  EXPECT_EQ(v.close_code, kCloseTooBig);
}

TEST(WebSocketFrames, ProtocolViolations) {
  auto violation = [](const std::string& bytes) {
    FrameReader r(1024);
    r.feed(bytes);
    Message m;
    ProtocolViolation v;
    for (int i = 0; i < 4; ++i) {
      auto res = r.next(m, v);
      if (res == FrameReader::Result::kViolation) return int(v.close_code);
      if (res == FrameReader::Result::kNeedMore) return 0;
    }
    return 0;
  };
  EXPECT_EQ(violation(encode_frame(Opcode::kText, "unmasked")), kCloseProtocolError);
  EXPECT_EQ(violation(encode_masked_frame(Opcode::kContinuation, "x", 1)), kCloseProtocolError);
  EXPECT_EQ(violation(encode_masked_frame(Opcode::kPing, std::string(126, 'x'), 1)), kCloseProtocolError);
  EXPECT_EQ(violation(encode_masked_frame(Opcode::kPing, "x", 1, false)), kCloseProtocolError);
  EXPECT_EQ(violation(encode_masked_frame(Opcode::kText, "\xff\xfe", 1)), kCloseInvalidPayload);
  EXPECT_EQ(violation(encode_masked_frame(Opcode::kClose, "\x03", 1)), kCloseProtocolError);
  EXPECT_EQ(violation(encode_masked_frame(Opcode::kClose, close_payload(1005, ""), 1)), kCloseProtocolError);
  std::string reserved = encode_masked_frame(Opcode::kText, "x", 1);
  reserved[0] = static_cast<char>(reserved[0] | 0x40);
  EXPECT_EQ(violation(reserved), kCloseProtocolError);
  std::string unknown = encode_masked_frame(Opcode::kText, "x", 1);
  unknown[0] = static_cast<char>(0x83);
  EXPECT_EQ(violation(unknown), kCloseProtocolError);
  // A new data message while a fragmented one is open.
  EXPECT_EQ(violation(encode_masked_frame(Opcode::kText, "a", 1, false) + encode_masked_frame(Opcode::kText, "b", 1)),
            kCloseProtocolError);
}

TEST(WebSocketFrames, EncodesServerFramesUnmasked) {
  std::string f = encode_frame(Opcode::kText, "hi");
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(static_cast<unsigned char>(f[0]), 0x81);
  EXPECT_EQ(static_cast<unsigned char>(f[1]), 0x02);
  EXPECT_EQ(f.substr(2), "hi");
  // A server-side reader (no mask required) reads our own frames back.
  FrameReader r(1 << 20, false);
  r.feed(encode_frame(Opcode::kBinary, std::string(70000, 'z')));
  Message m;
  ProtocolViolation v;
  ASSERT_EQ(r.next(m, v), FrameReader::Result::kMessage);
  EXPECT_EQ(m.payload.size(), 70000u);
}

TEST(WebSocketFrames, ClosePayloads) {
  auto p = close_payload(1000, "bye");
  auto parsed = parse_close(p);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->first, 1000);
  EXPECT_EQ(parsed->second, "bye");
  EXPECT_EQ(parse_close("")->first, kCloseNoStatus);
  EXPECT_FALSE(parse_close(close_payload(999, "")));
  EXPECT_FALSE(parse_close(close_payload(1006, "")));
  EXPECT_TRUE(parse_close(close_payload(4000, "app")));
  // A long reason is cut to fit a control frame, on a character boundary.
  std::string reason;
  for (int i = 0; i < 100; ++i) reason += "é";
  auto cut = close_payload(1000, reason);
  EXPECT_LE(cut.size(), 125u);
  EXPECT_TRUE(parse_close(cut));
}

TEST(WebSocketFrames, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
}

// Random bytes never crash the reader, and it never reports a message bigger than its cap.
TEST(WebSocketFrames, SurvivesRandomBytes) {
  std::mt19937 rng(1234);
  for (int round = 0; round < 2000; ++round) {
    FrameReader r(512);
    std::string bytes(rng() % 300, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    if (round % 3 == 0 && bytes.size() > 2) bytes[1] = static_cast<char>(bytes[1] | 0x80);  // masked, more often valid
    std::size_t pos = 0;
    Message m;
    ProtocolViolation v;
    bool done = false;
    while (!done) {
      std::size_t n = std::min<std::size_t>(bytes.size() - pos, 1 + rng() % 40);
      r.feed(std::string_view(bytes).substr(pos, n));
      pos += n;
      for (;;) {
        auto res = r.next(m, v);
        if (res == FrameReader::Result::kMessage) {
          EXPECT_LE(m.payload.size(), 512u);
          continue;
        }
        if (res == FrameReader::Result::kViolation) done = true;
        break;
      }
      if (pos >= bytes.size()) done = true;
    }
  }
}

}  // namespace
}  // namespace vox::ws
