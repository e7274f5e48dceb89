// A small WebSocket client (RFC 6455, masked frames) over TCP or TLS, for `vox listen`. The frame
// codec and the accept-key check are libvox's (vox/live/websocket_frames.h); this file only adds
// the client's socket: connect with a timeout, OpenSSL's SSL_connect with certificate and host
// checks, the opening handshake, and one thread that both sends and polls for server messages.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vox/core/error.h"
#include "vox/live/websocket_frames.h"

namespace vox::cli {

struct WsUrl {
  bool tls = false;
  std::string host;    // without brackets for IPv6
  int port = 0;
  std::string target;  // "/v1/realtime?intent=transcription"
  std::string display() const;  // "wss://host:port/target"
};

// ws://, wss://, http:// and https:// URLs. An empty path (or "/", or ".../v1") becomes
// /v1/realtime, and ?intent=transcription is added when the query names no intent.
Result<WsUrl> parse_realtime_url(const std::string& url);

struct TlsOptions {
  bool verify = true;   // false: --insecure
  std::string ca_file;  // "" = the system's trust store
};

class WsClient {
 public:
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // Connects and upgrades. A refused upgrade is an error whose message carries the HTTP status
  // and the server's error message (kUnauthorized for 401/403, kRateLimited for 429, ...).
  static Result<std::unique_ptr<WsClient>> connect(const WsUrl& url, const TlsOptions& tls,
                                                   const std::vector<std::pair<std::string, std::string>>& headers,
                                                   int timeout_ms);

  Status send_text(std::string_view text);

  enum class Read { kMessage, kTimeout, kClosed };
  // Waits up to timeout_ms for a text or binary message (pings are answered here). kClosed once
  // the server closed (close_code()/close_reason() say why) or the connection broke (error()).
  Read receive(std::string& message, int timeout_ms);
  std::uint16_t close_code() const { return close_code_; }
  const std::string& close_reason() const { return close_reason_; }
  const std::string& error() const { return error_; }

  // Sends a close frame and waits (at most timeout_ms) for the server's.
  void close(std::uint16_t code, int timeout_ms);

 private:
  struct Tls;
  WsClient() = default;
  Status write_all(std::string_view bytes);
  long read_some(char* buf, std::size_t n);  // >0 bytes, 0 closed, -1 error
  bool readable(int timeout_ms);
  Status send_frame(ws::Opcode op, std::string_view payload);

  int fd_ = -1;
  std::unique_ptr<Tls> tls_;
  ws::FrameReader reader_{64u << 20, /*require_mask=*/false};
  bool closed_ = false;
  bool close_sent_ = false;
  std::uint16_t close_code_ = 0;
  std::string close_reason_;
  std::string error_;
};

}  // namespace vox::cli
