#include "cli/ws_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>

#include "vox/core/base64.h"

namespace vox::cli {

namespace {

using Clock = std::chrono::steady_clock;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (!e) return "";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof(buf));
  return buf;
}

bool is_ip_literal(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::max<long long>(0, left));
}

bool wait_fd(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  for (;;) {
    int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR) continue;
    return r > 0;
  }
}

std::mt19937& rng() {
  static thread_local std::mt19937 gen{std::random_device{}()};
  return gen;
}

// The HTTP status and the message of a refused upgrade (OpenAI's {"error":{"message"}} when the
// body has it).
Error refused(int status, const std::string& body) {
  std::string message;
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_object() && j["error"].contains("message") &&
      j["error"]["message"].is_string())
    message = j["error"]["message"].get<std::string>();
  else
    message = body.substr(0, 200);
  ErrorCode code = ErrorCode::kInternal;
  std::string what = "the server refused the connection";
  switch (status) {
    case 400: code = ErrorCode::kInvalidArgument; break;
    case 401:
    case 403: code = ErrorCode::kUnauthorized; what = "the server refused the API key"; break;
    case 404: code = ErrorCode::kNotFound; what = "no realtime route at this URL"; break;
    case 429: code = ErrorCode::kRateLimited; what = "rate limited"; break;
    case 503: code = ErrorCode::kBusy; what = "the server is busy or not ready"; break;
    default: break;
  }
  return Error(code, what + " (HTTP " + std::to_string(status) + (message.empty() ? ")" : "): " + message));
}

}  // namespace

std::string WsUrl::display() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return std::string(tls ? "wss://" : "ws://") + h + ":" + std::to_string(port) + target;
}

Result<WsUrl> parse_realtime_url(const std::string& url) {
  auto bad = [&](const std::string& why) {
    return Error(ErrorCode::kInvalidArgument, "bad URL '" + url + "': " + why +
                                                  " (expected ws://HOST:PORT, wss://HOST:PORT or an http(s):// base URL)");
  };
  WsUrl out;
  auto sep = url.find("://");
  if (sep == std::string::npos) return bad("no scheme");
  const std::string scheme = lower(url.substr(0, sep));
  if (scheme == "ws" || scheme == "http") out.tls = false;
  else if (scheme == "wss" || scheme == "https") out.tls = true;
  else return bad("unknown scheme '" + scheme + "'");
  std::string rest = url.substr(sep + 3);
  auto slash = rest.find_first_of("/?");
  std::string authority = rest.substr(0, slash);
  std::string target = slash == std::string::npos ? "" : rest.substr(slash);
  if (authority.find('@') != std::string::npos) return bad("user information is not supported");
  std::string port_text;
  if (!authority.empty() && authority[0] == '[') {
    auto close = authority.find(']');
    if (close == std::string::npos) return bad("unclosed '['");
    out.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return bad("junk after ']'");
      port_text = authority.substr(close + 2);
    }
  } else {
    auto colon = authority.rfind(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string::npos) port_text = authority.substr(colon + 1);
  }
  if (out.host.empty()) return bad("no host");
  out.port = out.tls ? 443 : 80;
  if (!port_text.empty()) {
    if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos) return bad("bad port");
    out.port = std::stoi(port_text);
    if (out.port < 1 || out.port > 65535) return bad("port out of range");
  }
  std::string path = target.substr(0, target.find('?'));
  std::string query = target.find('?') == std::string::npos ? "" : target.substr(target.find('?') + 1);
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (path.empty()) path = "/v1/realtime";
  else if (path.size() >= 3 && path.compare(path.size() - 3, 3, "/v1") == 0) path += "/realtime";
  if (query.find("intent=") == std::string::npos) query += std::string(query.empty() ? "" : "&") + "intent=transcription";
  out.target = path + "?" + query;
  return out;
}

struct WsClient::Tls {
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  ~Tls() {
    if (ssl) SSL_free(ssl);
    if (ctx) SSL_CTX_free(ctx);
  }
};

WsClient::~WsClient() {
  tls_.reset();
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<WsClient>> WsClient::connect(const WsUrl& url, const TlsOptions& tls,
                                                    const std::vector<std::pair<std::string, std::string>>& headers,
                                                    int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  const std::string where = (url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host) + ":" +
                            std::to_string(url.port);
  std::unique_ptr<WsClient> c(new WsClient());

  // TCP, with a timeout on connect(2).
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int r = getaddrinfo(url.host.c_str(), std::to_string(url.port).c_str(), &hints, &res); r != 0)
    return Error(ErrorCode::kIo, "cannot resolve " + url.host + ": " + gai_strerror(r));
  std::string last_error = "no address";
  for (addrinfo* a = res; a; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int flags = fcntl(fd, F_GETFL, 0);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    int r = ::connect(fd, a->ai_addr, a->ai_addrlen);
    if (r < 0 && errno == EINPROGRESS) {
      if (wait_fd(fd, POLLOUT, remaining_ms(deadline))) {
        int err = 0;
        socklen_t len = sizeof(err);
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        r = err == 0 ? 0 : -1;
        errno = err;
      } else {
        errno = ETIMEDOUT;
      }
    }
    if (r == 0) {
      fcntl(fd, F_SETFL, flags);  // blocking from here: every wait is a poll() before the call
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      c->fd_ = fd;
      break;
    }
    last_error = std::strerror(errno);
    ::close(fd);
  }
  freeaddrinfo(res);
  if (c->fd_ < 0) return Error(ErrorCode::kIo, "cannot connect to " + where + ": " + last_error);
  // A stuck peer must not hold a blocking read or write past the deadline of a whole call.
  timeval tv{std::max(1, timeout_ms / 1000), 0};
  setsockopt(c->fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(c->fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));

  if (url.tls) {
    c->tls_ = std::make_unique<Tls>();
    Tls& t = *c->tls_;
    t.ctx = SSL_CTX_new(TLS_client_method());
    if (!t.ctx) return Error(ErrorCode::kInternal, "TLS: " + openssl_error());
    SSL_CTX_set_min_proto_version(t.ctx, TLS1_2_VERSION);
    if (tls.verify) {
      SSL_CTX_set_verify(t.ctx, SSL_VERIFY_PEER, nullptr);
      int ok = tls.ca_file.empty() ? SSL_CTX_set_default_verify_paths(t.ctx)
                                   : SSL_CTX_load_verify_locations(t.ctx, tls.ca_file.c_str(), nullptr);
      if (ok != 1)
        return Error(ErrorCode::kIo, "TLS: cannot load the CA certificates" +
                                         (tls.ca_file.empty() ? std::string() : " from " + tls.ca_file) + ": " +
                                         openssl_error());
    } else {
      SSL_CTX_set_verify(t.ctx, SSL_VERIFY_NONE, nullptr);
    }
    t.ssl = SSL_new(t.ctx);
    if (!t.ssl) return Error(ErrorCode::kInternal, "TLS: " + openssl_error());
    SSL_set_fd(t.ssl, c->fd_);
    if (is_ip_literal(url.host)) {
      if (tls.verify) X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(t.ssl), url.host.c_str());
    } else {
      SSL_set_tlsext_host_name(t.ssl, url.host.c_str());
      if (tls.verify) SSL_set1_host(t.ssl, url.host.c_str());
    }
    ERR_clear_error();
    if (SSL_connect(t.ssl) != 1) {
      std::string why;
      long v = SSL_get_verify_result(t.ssl);
      if (tls.verify && v != X509_V_OK) why = X509_verify_cert_error_string(v);
      if (why.empty()) {
        why = openssl_error();
        if (why.find("wrong version number") != std::string::npos) why += " (is it a plain ws:// or http:// server?)";
      }
      if (why.empty()) why = "the server did not complete a TLS handshake (is it serving plain ws:// or http://?)";
      return Error(ErrorCode::kIo, "TLS handshake with " + where + " failed: " + why +
                                       (tls.verify && v != X509_V_OK ? " (--ca FILE trusts a certificate, --insecure skips the check)" : ""));
    }
  }

  // The opening handshake.
  std::string nonce(16, '\0');
  for (auto& ch : nonce) ch = static_cast<char>(rng()() & 0xFF);
  const std::string key = base64_encode(nonce);
  std::string host_header = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  if (url.port != (url.tls ? 443 : 80)) host_header += ":" + std::to_string(url.port);
  std::string req = "GET " + url.target + " HTTP/1.1\r\nHost: " + host_header +
                    "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
                    "\r\nSec-WebSocket-Version: 13\r\nUser-Agent: vox-listen/" VOX_VERSION "\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "\r\n";
  if (Status s = c->write_all(req); !s) return s.error();
  std::string head;
  std::size_t end = std::string::npos;
  char buf[16384];
  while ((end = ws::find_head_end(head)) == std::string::npos) {
    if (head.size() > 65536) return Error(ErrorCode::kIo, where + ": the server's reply head is too long");
    if (!c->readable(remaining_ms(deadline)))
      return Error(ErrorCode::kIo, where + ": no answer to the WebSocket upgrade within " +
                                       std::to_string(timeout_ms / 1000) + " s");
    long n = c->read_some(buf, sizeof(buf));
    if (n <= 0)
      return Error(ErrorCode::kIo, where + ": the connection closed during the WebSocket upgrade" +
                                       (url.tls ? "" : " (is it a wss:// / https:// server?)"));
    head.append(buf, static_cast<std::size_t>(n));
  }
  std::string rest = head.substr(end);
  head.resize(end);
  // "HTTP/1.1 101 Switching Protocols", then headers.
  int status = 0;
  {
    auto sp = head.find(' ');
    if (head.compare(0, 5, "HTTP/") != 0 || sp == std::string::npos)
      return Error(ErrorCode::kIo, where + ": not an HTTP server");
    status = std::atoi(head.c_str() + sp + 1);
  }
  auto header = [&](const std::string& name) -> std::string {
    std::string lname = lower(name) + ":";
    std::size_t pos = head.find('\n');
    while (pos != std::string::npos && pos + 1 < head.size()) {
      std::size_t next = head.find('\n', pos + 1);
      std::string line = head.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
      if (lower(line.substr(0, lname.size())) == lname) {
        std::string v = line.substr(lname.size());
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.erase(0, 1);
        while (!v.empty() && (v.back() == '\r' || v.back() == ' ')) v.pop_back();
        return v;
      }
      pos = next;
    }
    return "";
  };
  if (status != 101) {
    std::size_t length = std::strtoul(header("Content-Length").c_str(), nullptr, 10);
    length = std::min<std::size_t>(length, 1 << 20);
    while (rest.size() < length && c->readable(std::min(remaining_ms(deadline), 2000))) {
      long n = c->read_some(buf, sizeof(buf));
      if (n <= 0) break;
      rest.append(buf, static_cast<std::size_t>(n));
    }
    return refused(status, rest.substr(0, length));
  }
  if (header("Sec-WebSocket-Accept") != ws::accept_key(key))
    return Error(ErrorCode::kIo, where + ": the server's WebSocket handshake is invalid (Sec-WebSocket-Accept)");
  c->reader_.feed(rest);
  return c;
}

bool WsClient::readable(int timeout_ms) {
  if (tls_ && SSL_pending(tls_->ssl) > 0) return true;
  return wait_fd(fd_, POLLIN, timeout_ms);
}

long WsClient::read_some(char* buf, std::size_t n) {
  if (tls_) {
    ERR_clear_error();
    int r = SSL_read(tls_->ssl, buf, static_cast<int>(std::min<std::size_t>(n, 1 << 30)));
    if (r > 0) return r;
    int err = SSL_get_error(tls_->ssl, r);
    if (err == SSL_ERROR_ZERO_RETURN || (err == SSL_ERROR_SYSCALL && errno == 0)) return 0;
    error_ = "TLS read failed: " + openssl_error();
    return -1;
  }
  for (;;) {
    ssize_t r = ::recv(fd_, buf, n, 0);
    if (r >= 0) return r;
    if (errno == EINTR) continue;
    error_ = std::string("read failed: ") + std::strerror(errno);
    return -1;
  }
}

Status WsClient::write_all(std::string_view bytes) {
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  while (n > 0) {
    long r;
    if (tls_) {
      ERR_clear_error();
      r = SSL_write(tls_->ssl, p, static_cast<int>(std::min<std::size_t>(n, 1 << 30)));
      if (r <= 0) return Error(ErrorCode::kIo, "TLS write failed: " + openssl_error());
    } else {
      r = ::send(fd_, p, n, MSG_NOSIGNAL);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return Error(ErrorCode::kIo, std::string("write failed: ") + std::strerror(errno));
    }
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return Status::Ok();
}

Status WsClient::send_frame(ws::Opcode op, std::string_view payload) {
  if (close_sent_) return Error(ErrorCode::kIo, "the connection is closing");
  if (op == ws::Opcode::kClose) close_sent_ = true;
  return write_all(ws::encode_masked_frame(op, payload, static_cast<std::uint32_t>(rng()())));
}

Status WsClient::send_text(std::string_view text) {
  if (closed_) return Error(ErrorCode::kIo, "the server closed the connection");
  return send_frame(ws::Opcode::kText, text);
}

WsClient::Read WsClient::receive(std::string& message, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(std::max(0, timeout_ms));
  char buf[65536];
  for (;;) {
    if (closed_) return Read::kClosed;
    ws::Message m;
    ws::ProtocolViolation v;
    auto r = reader_.next(m, v);
    if (r == ws::FrameReader::Result::kViolation) {
      error_ = "the server broke the WebSocket protocol: " + v.reason;
      closed_ = true;
      return Read::kClosed;
    }
    if (r == ws::FrameReader::Result::kMessage) {
      switch (m.opcode) {
        case ws::Opcode::kPing: (void)send_frame(ws::Opcode::kPong, m.payload); continue;
        case ws::Opcode::kPong: continue;
        case ws::Opcode::kClose: {
          auto c = ws::parse_close(m.payload);
          close_code_ = c ? c->first : ws::kCloseProtocolError;
          close_reason_ = c ? c->second : "";
          if (!close_sent_) (void)send_frame(ws::Opcode::kClose, ws::close_payload(close_code_ == ws::kCloseNoStatus ? ws::kCloseNormal : close_code_, ""));
          closed_ = true;
          return Read::kClosed;
        }
        default: message = std::move(m.payload); return Read::kMessage;
      }
    }
    if (!readable(remaining_ms(deadline))) return Read::kTimeout;
    long n = read_some(buf, sizeof(buf));
    if (n <= 0) {
      if (n == 0 && error_.empty()) error_ = "the server closed the connection";
      closed_ = true;
      return Read::kClosed;
    }
    reader_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
  }
}

void WsClient::close(std::uint16_t code, int timeout_ms) {
  if (closed_ || fd_ < 0) return;
  if (!close_sent_ && !send_frame(ws::Opcode::kClose, ws::close_payload(code, ""))) return;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string ignored;
  while (!closed_ && remaining_ms(deadline) > 0) receive(ignored, remaining_ms(deadline));
  if (tls_) SSL_shutdown(tls_->ssl);
}

}  // namespace vox::cli
