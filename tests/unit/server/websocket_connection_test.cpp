// The server end of a WebSocket over a socketpair: messages, pings, the closing handshake and
// the size cap, with the real transport (no TLS) and no HTTP server.
#include "server/socket_transport.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

namespace vox::server {
namespace {

struct Pair {
  std::shared_ptr<Transport> server;
  int client = -1;
  Pair() {
    int fds[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    server = Transport::accept(fds[0], nullptr, 1000);
    client = fds[1];
  }
  ~Pair() { ::close(client); }
  void send(const std::string& bytes) { ASSERT_EQ(::write(client, bytes.data(), bytes.size()), ssize_t(bytes.size())); }
  // Reads server frames until one arrives (unmasked, so a reader without the mask rule).
  ws::Message next_frame() {
    ws::Message m;
    ws::ProtocolViolation v;
    char buf[4096];
    for (;;) {
      if (reader.next(m, v) == ws::FrameReader::Result::kMessage) return m;
      ssize_t n = ::read(client, buf, sizeof(buf));
      if (n <= 0) return ws::Message{ws::Opcode::kClose, "EOF"};
      reader.feed(std::string_view(buf, size_t(n)));
    }
  }
  ws::FrameReader reader{1 << 20, false};
};

TEST(WebSocketConnection, MessagesPingsAndTheClosingHandshake) {
  Pair p;
  // A frame that came in behind the handshake is read first.
  WebSocketConnection conn(p.server, ws::encode_masked_frame(ws::Opcode::kText, "first", 7), 1024, 2000);
  auto m = conn.receive();
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->text);
  EXPECT_EQ(m->data, "first");

  p.send(ws::encode_masked_frame(ws::Opcode::kPing, "are you there", 9));
  p.send(ws::encode_masked_frame(ws::Opcode::kBinary, std::string("\0\1\2", 3), 9));
  m = conn.receive();
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->text);
  EXPECT_EQ(m->data.size(), 3u);
  auto pong = p.next_frame();
  EXPECT_EQ(pong.opcode, ws::Opcode::kPong);
  EXPECT_EQ(pong.payload, "are you there");

  EXPECT_TRUE(conn.send_text("{\"type\":\"x\"}"));
  auto text = p.next_frame();
  EXPECT_EQ(text.opcode, ws::Opcode::kText);
  EXPECT_EQ(text.payload, "{\"type\":\"x\"}");

  p.send(ws::encode_masked_frame(ws::Opcode::kClose, ws::close_payload(1000, "bye"), 3));
  EXPECT_FALSE(conn.receive());
  EXPECT_FALSE(conn.connected());
  auto echo = p.next_frame();
  ASSERT_EQ(echo.opcode, ws::Opcode::kClose);
  EXPECT_EQ(ws::parse_close(echo.payload)->first, 1000);
  EXPECT_FALSE(conn.send_text("late"));
}

TEST(WebSocketConnection, OversizeMessagesCloseWith1009) {
  Pair p;
  WebSocketConnection conn(p.server, "", 100, 2000);
  p.send(ws::encode_masked_frame(ws::Opcode::kText, std::string(1000, 'a'), 1));
  EXPECT_FALSE(conn.receive());
  auto close = p.next_frame();
  ASSERT_EQ(close.opcode, ws::Opcode::kClose);
  EXPECT_EQ(ws::parse_close(close.payload)->first, ws::kCloseTooBig);
}

TEST(WebSocketConnection, UnmaskedClientFramesClose1002) {
  Pair p;
  WebSocketConnection conn(p.server, "", 100, 2000);
  p.send(ws::encode_frame(ws::Opcode::kText, "not masked"));
  EXPECT_FALSE(conn.receive());
  EXPECT_EQ(ws::parse_close(p.next_frame().payload)->first, ws::kCloseProtocolError);
}

TEST(WebSocketConnection, ClientVanishingEndsReceive) {
  Pair p;
  WebSocketConnection conn(p.server, "", 100, 5000);
  std::thread gone([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ::shutdown(p.client, SHUT_RDWR);
  });
  EXPECT_FALSE(conn.receive());
  EXPECT_FALSE(conn.connected());
  gone.join();
}

TEST(WebSocketConnection, AbortWakesABlockedReader) {
  Pair p;
  WebSocketConnection conn(p.server, "", 100, 60000);
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    conn.abort();
  });
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(conn.receive());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  stopper.join();
}

TEST(WebSocketHttpReply, SerializesARefusal) {
  HttpReply r;
  r.status = 401;
  r.body = "{}";
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  r.headers.emplace_back("X-Evil", "a\r\nInjected: 1");
  std::string s = serialize_http_reply(r, true);
  EXPECT_EQ(s.rfind("HTTP/1.1 401 Unauthorized\r\n", 0), 0u);
  EXPECT_NE(s.find("WWW-Authenticate: Bearer\r\n"), std::string::npos);
  EXPECT_NE(s.find("Content-Type: application/json\r\n"), std::string::npos);
  EXPECT_NE(s.find("Content-Length: 2\r\n"), std::string::npos);
  EXPECT_NE(s.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(s.find("Injected"), std::string::npos);
  EXPECT_EQ(s.substr(s.size() - 6), "\r\n\r\n{}");
}

}  // namespace
}  // namespace vox::server
