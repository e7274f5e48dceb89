#include "server/socket_transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <strings.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

namespace vox::server {

namespace {

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  if (!e) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof(buf));
  ERR_clear_error();
  return buf;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    case 426: return "Upgrade Required";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return status < 400 ? "OK" : status < 500 ? "Bad Request" : "Internal Server Error";
  }
}

class PlainTransport : public Transport {
 public:
  explicit PlainTransport(int fd) : Transport(fd) {}

  ssize_t read(char* buf, std::size_t n, int timeout_ms) override {
    for (;;) {
      ssize_t r = ::recv(fd_, buf, n, MSG_DONTWAIT);
      if (r >= 0) return r;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
      if (shut_ || !wait_socket(fd_, POLLIN, timeout_ms)) return -1;
    }
  }

  bool write_all(const char* buf, std::size_t n, int timeout_ms) override {
    while (n > 0) {
      ssize_t r = ::send(fd_, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (r > 0) {
        buf += r;
        n -= static_cast<std::size_t>(r);
        continue;
      }
      if (r < 0 && errno == EINTR) continue;
      if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (shut_ || !wait_socket(fd_, POLLOUT, timeout_ms)) return false;
        continue;
      }
      return false;
    }
    return true;
  }
};

// OpenSSL's SSL object is not safe for concurrent use, so every call on it takes `mu_`. A reader
// waits for the socket *without* the lock (in short slices: a writer may have pulled a record
// into OpenSSL's buffer meanwhile), so events can be written while a WebSocket waits for input.
class TlsTransport : public Transport {
 public:
  TlsTransport(int fd, SSL* ssl) : Transport(fd), ssl_(ssl) {}
  ~TlsTransport() override { SSL_free(ssl_); }

  ssize_t read(char* buf, std::size_t n, int timeout_ms) override {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      int r, err;
      {
        std::lock_guard<std::mutex> lock(mu_);
        ERR_clear_error();
        r = SSL_read(ssl_, buf, static_cast<int>(std::min<std::size_t>(n, 1 << 30)));
        err = r > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl_, r);
      }
      if (r > 0) return r;
      if (err == SSL_ERROR_ZERO_RETURN) return 0;
      if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
        ERR_clear_error();
        return err == SSL_ERROR_SYSCALL && errno == 0 ? 0 : -1;
      }
      if (shut_) return -1;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return -1;
      wait_socket(fd_, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, std::min<int>(200, static_cast<int>(left.count())));
    }
  }

  bool write_all(const char* buf, std::size_t n, int timeout_ms) override {
    std::lock_guard<std::mutex> lock(mu_);
    while (n > 0) {
      ERR_clear_error();
      int r = SSL_write(ssl_, buf, static_cast<int>(std::min<std::size_t>(n, 1 << 30)));
      if (r > 0) {
        buf += r;
        n -= static_cast<std::size_t>(r);
        continue;
      }
      int err = SSL_get_error(ssl_, r);
      if ((err != SSL_ERROR_WANT_WRITE && err != SSL_ERROR_WANT_READ) || shut_) {
        ERR_clear_error();
        return false;
      }
      if (!wait_socket(fd_, err == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN, timeout_ms)) return false;
    }
    return true;
  }

  bool pending() override {
    std::lock_guard<std::mutex> lock(mu_);
    return SSL_pending(ssl_) > 0;
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!shut_) {
        ERR_clear_error();
        SSL_shutdown(ssl_);  // one try at close_notify; the peer's answer is not awaited
        ERR_clear_error();
      }
    }
    kill();
  }

 private:
  SSL* ssl_;
  std::mutex mu_;
};

}  // namespace

bool wait_socket(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  for (;;) {
    int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR) continue;
    return r > 0;  // POLLHUP / POLLERR count as ready: the next call reports them
  }
}

void socket_address(int fd, bool local, std::string& ip, int& port) {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  ip.clear();
  port = 0;
  int rc = local ? getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len)
                 : getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  if (rc != 0) return;
  char host[INET6_ADDRSTRLEN] = {0};
  if (ss.ss_family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
    port = ntohs(in->sin_port);
  } else if (ss.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
    port = ntohs(in6->sin6_port);
  }
  ip = host;
}

Result<std::shared_ptr<TlsContext>> TlsContext::load(const std::string& cert_file, const std::string& key_file) {
  if (cert_file.empty() || key_file.empty())
    return Error(ErrorCode::kInvalidArgument, "TLS needs both --tls-cert and --tls-key");
  auto ctx = std::shared_ptr<TlsContext>(new TlsContext());
  ctx->ctx_ = SSL_CTX_new(TLS_server_method());
  if (!ctx->ctx_) return Error(ErrorCode::kInternal, "cannot create a TLS context: " + openssl_error());
  SSL_CTX_set_min_proto_version(ctx->ctx_, TLS1_2_VERSION);
  // A client that drops the connection without close_notify reads as a plain end of stream.
  SSL_CTX_set_options(ctx->ctx_, SSL_OP_NO_COMPRESSION | SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(ctx->ctx_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_use_certificate_chain_file(ctx->ctx_, cert_file.c_str()) != 1)
    return Error(ErrorCode::kInvalidArgument, "cannot load the TLS certificate " + cert_file + ": " + openssl_error(),
                 "tls-cert");
  if (SSL_CTX_use_PrivateKey_file(ctx->ctx_, key_file.c_str(), SSL_FILETYPE_PEM) != 1)
    return Error(ErrorCode::kInvalidArgument, "cannot load the TLS key " + key_file + ": " + openssl_error(), "tls-key");
  if (SSL_CTX_check_private_key(ctx->ctx_) != 1)
    return Error(ErrorCode::kInvalidArgument, "the TLS key does not match the certificate " + cert_file, "tls-key");
  return ctx;
}

TlsContext::~TlsContext() {
  if (ctx_) SSL_CTX_free(ctx_);
}

Transport::Transport(int fd) : fd_(fd) {
  int flags = fcntl(fd_, F_GETFL, 0);
  if (flags >= 0) fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
}

Transport::~Transport() { ::close(fd_); }

void Transport::kill() {
  if (shut_.exchange(true)) return;
  ::shutdown(fd_, SHUT_RDWR);
}

std::unique_ptr<Transport> Transport::accept(int fd, const TlsContext* tls, int handshake_timeout_ms) {
  if (!tls) return std::unique_ptr<Transport>(new PlainTransport(fd));
  SSL* ssl = SSL_new(tls->get());
  if (!ssl) {
    ::close(fd);
    return nullptr;
  }
  auto t = std::unique_ptr<TlsTransport>(new TlsTransport(fd, ssl));  // owns fd and ssl from here
  SSL_set_fd(ssl, fd);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(handshake_timeout_ms);
  for (;;) {
    ERR_clear_error();
    int r = SSL_accept(ssl);
    if (r == 1) return t;
    int err = SSL_get_error(ssl, r);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if ((err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) || left.count() <= 0 ||
        !wait_socket(fd, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, static_cast<int>(left.count()))) {
      ERR_clear_error();
      ::shutdown(fd, SHUT_RDWR);
      return nullptr;  // not TLS (plain HTTP on the HTTPS port), a bad handshake, or too slow
    }
  }
}

std::string serialize_http_reply(const HttpReply& reply, bool close_connection) {
  std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " " + reason_phrase(reply.status) + "\r\n";
  bool has_type = false;
  for (const auto& [k, v] : reply.headers) {
    // A header value with a line break would split the reply; such values never come from us.
    if (k.find_first_of("\r\n") != std::string::npos || v.find_first_of("\r\n") != std::string::npos) continue;
    out += k + ": " + v + "\r\n";
    if (k.size() == 12 && strncasecmp(k.c_str(), "Content-Type", 12) == 0) has_type = true;
  }
  if (reply.status != 101) {
    if (!has_type && !reply.body.empty()) out += "Content-Type: " + reply.content_type + "\r\n";
    out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
    if (close_connection) out += "Connection: close\r\n";
  }
  out += "\r\n";
  if (reply.status != 101) out += reply.body;
  return out;
}

WebSocketConnection::WebSocketConnection(std::shared_ptr<Transport> transport, std::string initial,
                                         std::size_t max_message_bytes, int io_timeout_ms)
    : transport_(std::move(transport)), reader_(max_message_bytes), io_timeout_ms_(io_timeout_ms) {
  reader_.feed(initial);
}

std::optional<WebSocket::Message> WebSocketConnection::receive() {
  char buf[16384];
  for (;;) {
    if (gone_) return std::nullopt;
    ws::Message m;
    ws::ProtocolViolation v;
    auto res = reader_.next(m, v);
    if (res == ws::FrameReader::Result::kViolation) {
      close(v.close_code, v.reason);
      gone_ = true;
      return std::nullopt;
    }
    if (res == ws::FrameReader::Result::kMessage) {
      switch (m.opcode) {
        case ws::Opcode::kPing: send_frame(ws::Opcode::kPong, m.payload); continue;
        case ws::Opcode::kPong: continue;
        case ws::Opcode::kClose: {
          peer_closed_ = true;
          auto c = ws::parse_close(m.payload);
          std::uint16_t code = c && c->first != ws::kCloseNoStatus ? c->first : ws::kCloseNormal;
          close(code, "");  // the closing handshake's answer
          gone_ = true;
          return std::nullopt;
        }
        default: return Message{m.opcode == ws::Opcode::kText, std::move(m.payload)};
      }
    }
    ssize_t n = transport_->read(buf, sizeof(buf), io_timeout_ms_);
    if (n <= 0) {
      // 0: the client went away without a close frame; -1: broken, or idle past the timeout.
      if (n < 0) close(ws::kCloseGoingAway, "idle timeout or broken connection");
      gone_ = true;
      return std::nullopt;
    }
    reader_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
  }
}

bool WebSocketConnection::send_frame(ws::Opcode opcode, std::string_view payload) {
  std::lock_guard<std::mutex> lock(write_mu_);
  if (close_sent_) return false;
  if (opcode == ws::Opcode::kClose) close_sent_ = true;
  if (!transport_->write_all(ws::encode_frame(opcode, payload), io_timeout_ms_)) {
    gone_ = true;
    return false;
  }
  return true;
}

bool WebSocketConnection::send_text(std::string_view text) {
  if (gone_) return false;
  return send_frame(ws::Opcode::kText, text);
}

void WebSocketConnection::close(std::uint16_t code, std::string_view reason) {
  send_frame(ws::Opcode::kClose, ws::close_payload(code, reason));
}

void WebSocketConnection::abort() {
  // No close frame: a writer stuck on a client that does not read would hold us up.
  gone_ = true;
  transport_->kill();
}

void WebSocketConnection::drain(int timeout_ms) {
  if (peer_closed_) return;
  char buf[16384];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    // The client's close frame ends the handshake (a reader that failed reads raw bytes to EOF).
    ws::Message m;
    ws::ProtocolViolation v;
    ws::FrameReader::Result res;
    while ((res = reader_.next(m, v)) == ws::FrameReader::Result::kMessage)
      if (m.opcode == ws::Opcode::kClose) return;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    ssize_t n = transport_->read(buf, sizeof(buf), static_cast<int>(left.count()));
    if (n <= 0) return;
    if (res == ws::FrameReader::Result::kNeedMore) reader_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
  }
}

}  // namespace vox::server
