// The bytes of one accepted connection, plain TCP or TLS (OpenSSL), for the HTTP adapter's own
// connection loop (httplib_adapter.cpp) and for WebSocket sessions, which outlive the HTTP
// request that upgraded them. No HTTP library in here.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "server/http_types.h"
#include "server/websocket.h"
#include "vox/core/error.h"
#include "vox/live/websocket_frames.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace vox::server {

// Waits until `fd` is readable (POLLIN) or writable (POLLOUT); false on timeout.
bool wait_socket(int fd, short events, int timeout_ms);
// "1.2.3.4" / "::1" and the port of the socket's peer (or its own end when `local`).
void socket_address(int fd, bool local, std::string& ip, int& port);

// A server TLS context from PEM files (certificate chain, private key). TLS 1.2 or newer.
class TlsContext {
 public:
  static Result<std::shared_ptr<TlsContext>> load(const std::string& cert_file, const std::string& key_file);
  ~TlsContext();
  SSL_CTX* get() const { return ctx_; }

 private:
  SSL_CTX* ctx_ = nullptr;
};

// Owns the socket (closed when destroyed). The socket is made non-blocking: every wait is a
// poll() with a timeout, so nothing blocks past it. read() and write_all() may be called from
// two threads at once (a WebSocket's reader and its event writer); TLS serialises them inside.
class Transport {
 public:
  virtual ~Transport();
  int fd() const { return fd_; }
  // >0: bytes read; 0: the peer closed; -1: an error, or nothing arrived within timeout_ms.
  virtual ssize_t read(char* buf, std::size_t n, int timeout_ms) = 0;
  virtual bool write_all(const char* buf, std::size_t n, int timeout_ms) = 0;
  bool write_all(std::string_view s, int timeout_ms) { return write_all(s.data(), s.size(), timeout_ms); }
  // Bytes already received and decrypted, waiting to be read (TLS).
  virtual bool pending() { return false; }
  // Ends the connection (TLS close_notify, then shutdown(2)); reads and writes fail after it.
  virtual void shutdown() { kill(); }
  // shutdown(2) only: wakes any thread waiting on the socket, never blocks (server stop).
  void kill();

  // A plain connection, or nullptr after a failed TLS handshake (the socket is closed then).
  static std::unique_ptr<Transport> accept(int fd, const TlsContext* tls, int handshake_timeout_ms);

 protected:
  explicit Transport(int fd);
  int fd_;
  std::atomic<bool> shut_{false};
};

// A complete HTTP/1.1 reply, written straight to the connection (refused upgrades).
std::string serialize_http_reply(const HttpReply& reply, bool close_connection);

// The server end of an upgraded connection (RFC 6455 framing from vox/live/websocket_frames.h).
class WebSocketConnection : public WebSocket {
 public:
  // `initial`: bytes the client sent right behind its handshake.
  WebSocketConnection(std::shared_ptr<Transport> transport, std::string initial, std::size_t max_message_bytes,
                      int io_timeout_ms);
  std::optional<Message> receive() override;
  bool send_text(std::string_view text) override;
  void close(std::uint16_t code, std::string_view reason) override;
  bool connected() const override { return !gone_; }
  // Server shutdown: the socket is shut so receive() and writers return at once.
  void abort();
  // After our close frame: reads (and drops) what the client still sends until it closes too,
  // at most timeout_ms, so closing the socket does not reset the connection under the frame.
  void drain(int timeout_ms);

 private:
  bool send_frame(ws::Opcode opcode, std::string_view payload);

  std::shared_ptr<Transport> transport_;
  ws::FrameReader reader_;
  int io_timeout_ms_;
  std::mutex write_mu_;
  bool close_sent_ = false;
  std::atomic<bool> gone_{false};
  bool peer_closed_ = false;  // the client's close frame came (reader thread only)
};

}  // namespace vox::server
