#include "server/wyoming_server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "vox/live/wyoming_session.h"

namespace vox::server {

namespace {

// Writes all of `bytes`; false when the peer is gone or the server stops.
bool write_all(int fd, std::string_view bytes, const std::atomic<bool>& stopping) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(size_t(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (stopping) return false;
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, 200);
      continue;
    }
    return false;
  }
  return true;
}

// After a fatal error: stop writing, read what the client still sends for a moment (closing
// with unread data would reset the connection and could lose the error event), then return.
void drain(int fd) {
  ::shutdown(fd, SHUT_WR);
  char buf[4096];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    if (::recv(fd, buf, sizeof buf, 0) <= 0) return;
  }
}

}  // namespace

WyomingServer::WyomingServer(ServiceContext& ctx, WyomingServerOptions options) : ctx_(ctx), options_(std::move(options)) {}

WyomingServer::~WyomingServer() { stop(); }

Result<int> WyomingServer::start() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  std::string port = std::to_string(options_.port);
  if (int rc = ::getaddrinfo(options_.host.c_str(), port.c_str(), &hints, &found); rc != 0)
    return Error(ErrorCode::kInvalidArgument, "wyoming: cannot resolve host '" + options_.host + "': " + gai_strerror(rc), "host");
  std::string last_error = "no address";
  for (addrinfo* a = found; a; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 64) == 0) {
      listen_fd_ = fd;
      break;
    }
    last_error = std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  if (listen_fd_ < 0)
    return Error(ErrorCode::kIo, "wyoming: cannot listen on " + options_.host + ":" + port + ": " + last_error);
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  int bound = options_.port;
  if (::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    bound = addr.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port)
                                       : ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  stopping_ = false;
  acceptor_ = std::thread([this] { accept_loop(); });
  return bound;
}

void WyomingServer::stop() {
  if (stopping_.exchange(true)) return;
  if (acceptor_.joinable()) acceptor_.join();
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& c : connections_)
      if (!c->done) ::shutdown(c->fd, SHUT_RDWR);  // wakes its reads; its engine work sees the cancel probe
  }
  reap(true);
}

void WyomingServer::reap(bool all) {
  std::list<std::unique_ptr<Connection>> finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = connections_.begin(); it != connections_.end();) {
      if (all || (*it)->done) {
        finished.push_back(std::move(*it));
        it = connections_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& c : finished)
    if (c->thread.joinable()) c->thread.join();
}

void WyomingServer::accept_loop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, 100);
    reap(false);
    if (ready <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::lock_guard<std::mutex> lock(mu_);
    if (int(connections_.size()) >= options_.max_connections) {
      std::string bytes = live::encode_wyoming_event(
          live::wyoming_error_event(Error(ErrorCode::kBusy, "too many Wyoming connections; try again later")));
      ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      ::close(fd);
      continue;
    }
    auto conn = std::make_unique<Connection>();
    conn->fd = fd;
    Connection* raw = conn.get();
    connections_.push_back(std::move(conn));
    raw->thread = std::thread([this, raw] {
      serve(*raw);
      ::close(raw->fd);
      raw->done = true;
    });
  }
}

void WyomingServer::serve(Connection& conn) {
  const int fd = conn.fd;
  std::atomic<bool> peer_gone{false};
  live::WyomingSessionOptions options;
  options.admission = &ctx_.admission;
  // Engine work stops when the server stops or the client hangs up (a peek that reads 0 bytes).
  options.cancel.set_probe([this, fd, &peer_gone] {
    if (stopping_ || peer_gone) return true;
    char c;
    ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) peer_gone = true;
    return peer_gone.load();
  });
  auto send = [&](const live::WyomingEvent& e) {
    if (!write_all(fd, live::encode_wyoming_event(e), stopping_)) {
      peer_gone = true;
      return false;
    }
    return true;
  };
  live::WyomingSession session(ctx_.transcriber, ctx_.speech, send, options);
  live::WyomingParser parser;
  std::vector<live::WyomingEvent> events;
  std::string buf(64 * 1024, '\0');
  auto last_read = std::chrono::steady_clock::now();
  while (!stopping_ && !peer_gone) {
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, 200);
    if (ready < 0 && errno != EINTR) return;
    if (ready <= 0) {
      if (std::chrono::steady_clock::now() - last_read > std::chrono::seconds(options_.idle_timeout_s)) return;
      continue;
    }
    ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
    if (n == 0) return;
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return;
    }
    last_read = std::chrono::steady_clock::now();
    events.clear();
    Status parsed = parser.feed(std::string_view(buf.data(), size_t(n)), events);
    for (const auto& e : events) {
      bool keep = false;
      try {
        keep = session.handle(e);
      } catch (const std::exception& ex) {  // engines are not supposed to throw; never let it reach the thread
        keep = send(live::wyoming_error_event(Error(ErrorCode::kInternal, ex.what())));
      } catch (...) {
        keep = send(live::wyoming_error_event(Error(ErrorCode::kInternal, "unexpected failure")));
      }
      if (!keep) return;
    }
    if (!parsed) {  // the stream cannot be resynchronised: say why, then close
      send(live::wyoming_error_event(parsed.error()));
      drain(fd);
      return;
    }
  }
}

}  // namespace vox::server
