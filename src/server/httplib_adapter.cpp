#include "server/httplib_adapter.h"

#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <cstdio>
#include <httplib.h>
#include <random>
#include <regex>

#include "server/connection_probe.h"
#include "server/http_errors.h"
#include "server/socket_transport.h"
#include "vox/live/websocket_frames.h"

namespace vox::server {

namespace {

std::string new_request_id() {
  static std::atomic<std::uint64_t> counter{0};
  static const std::uint64_t salt = std::random_device{}();
  char buf[32];
  std::snprintf(buf, sizeof(buf), "req_%08llx%06llx", static_cast<unsigned long long>(salt & 0xffffffff),
                static_cast<unsigned long long>(++counter));
  return buf;
}

// Content types of the web page's files (web/dist), with the charset for text.
constexpr std::pair<const char*, const char*> kStaticTypes[] = {
    {"html", "text/html; charset=utf-8"},      {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"}, {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},              {"map", "application/json"},
    {"svg", "image/svg+xml"},                  {"txt", "text/plain; charset=utf-8"},
    {"webmanifest", "application/manifest+json"}, {"woff2", "font/woff2"},
    {"wasm", "application/wasm"},              {"ico", "image/x-icon"},
};

// "/v1/jobs/{id}" → regex "/v1/jobs/([^/]+)" and the capture names.
std::pair<std::string, std::vector<std::string>> compile_pattern(const std::string& pattern) {
  std::string re;
  std::vector<std::string> names;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      size_t close = pattern.find('}', i);
      names.push_back(pattern.substr(i + 1, close - i - 1));
      re += "([^/]+)";
      i = close;
    } else if (std::string("().[]+*?^$\\|").find(pattern[i]) != std::string::npos) {
      re += '\\';
      re += pattern[i];
    } else {
      re += pattern[i];
    }
  }
  return {re, names};
}

// `done` runs once the last byte of the reply has been written (or the client has gone): for a
// streamed reply that is when the stream ends, long after the handler returned.
void write_reply(const HttpReply& reply, httplib::Response& res, std::function<void()> done = nullptr) {
  res.status = reply.status;
  for (const auto& [k, v] : reply.headers) res.set_header(k, v);
  if (reply.stream) {
    auto stream = reply.stream;
    res.set_chunked_content_provider(
        reply.content_type,
        [stream](size_t, httplib::DataSink& sink) {
          stream([&sink](std::string_view data) { return data.empty() || sink.write(data.data(), data.size()); });
          sink.done();
          return true;
        },
        [done](bool) {
          if (done) done();
        });
  } else {
    res.set_content(reply.body, reply.content_type);
    if (done) done();
  }
}

// ---- One port for HTTP and WebSocket, plain or TLS ----
//
// cpp-httplib 0.11 (Debian's compiled library) has no WebSocket, and replacing it (Beast for
// everything) would mean re-doing multipart, chunked/SSE streaming and static files, all built
// and tested on it. Instead the connection is taken before httplib reads it: its accept loop
// hands every connection to the private virtual Server::process_and_close_socket(), which a
// subclass may override. Ours wraps the socket in a Transport (TLS is accepted there when
// --tls-cert is set: HTTPS and WSS on one port, as the openai SDK's realtime client only speaks
// wss:) and reads requests through our own httplib::Stream (ConnStream), handing each to the
// protected Server::process_request(): httplib's own parsing, routing, multipart, chunked
// replies and static files. Before each request we look at its first line, buffered and not
// consumed: `GET <a WebSocket route>` with `Upgrade: websocket` is taken over (upgrade() below,
// framing in vox/live/websocket_frames.h); anything else goes to httplib untouched. Debian's
// header declares neither detail::SocketStream nor a base implementation a subclass may call,
// so the keep-alive loop is ours, with httplib's rules (keep_alive_max_count_,
// keep_alive_timeout_sec_, stop once the listening socket is closed).

class ConnStream : public httplib::Stream {
 public:
  ConnStream(Transport& t, int read_timeout_ms, int write_timeout_ms)
      : t_(t), rto_(read_timeout_ms), wto_(write_timeout_ms) {}

  bool is_readable() const override { return off_ < buf_.size() || t_.pending() || wait_socket(t_.fd(), POLLIN, rto_); }
  bool is_writable() const override { return wait_socket(t_.fd(), POLLOUT, wto_); }
  ssize_t read(char* ptr, size_t size) override {
    if (off_ == buf_.size()) {
      if (size >= kChunk) return t_.read(ptr, size, rto_);
      ssize_t n = fill(rto_);
      if (n <= 0) return n;
    }
    const size_t n = std::min(size, buf_.size() - off_);
    std::memcpy(ptr, buf_.data() + off_, n);
    consume(n);
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    return t_.write_all(ptr, size, wto_) ? static_cast<ssize_t>(size) : -1;
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override { socket_address(t_.fd(), false, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { socket_address(t_.fd(), true, ip, port); }
  socket_t socket() const override { return t_.fd(); }

  // Reads more behind what is buffered: the transport's answer (>0, 0 closed, -1).
  ssize_t fill(int timeout_ms) {
    if (off_ > 0) {
      buf_.erase(0, off_);
      off_ = 0;
    }
    const size_t old = buf_.size();
    buf_.resize(old + kChunk);
    ssize_t n = t_.read(buf_.data() + old, kChunk, timeout_ms);
    buf_.resize(old + (n > 0 ? static_cast<size_t>(n) : 0));
    return n;
  }
  std::string_view buffered() const { return std::string_view(buf_).substr(off_); }
  void consume(size_t n) {
    off_ += n;
    if (off_ >= buf_.size()) {
      buf_.clear();
      off_ = 0;
    }
  }
  std::string take_buffered() {
    std::string s(buffered());
    consume(s.size());
    return s;
  }
  // Waits (in short slices, so a server stop is seen) until the next request's bytes are there.
  bool wait_request(int timeout_ms, const std::function<bool()>& stopped) {
    if (off_ < buf_.size() || t_.pending()) return true;
    for (int waited = 0; waited < timeout_ms; waited += 100) {
      if (stopped()) return false;
      if (wait_socket(t_.fd(), POLLIN, std::min(100, timeout_ms - waited))) return true;
    }
    return false;
  }

 private:
  static constexpr size_t kChunk = 16384;
  Transport& t_;
  int rto_;
  int wto_;
  std::string buf_;
  size_t off_ = 0;
};

enum class Takeover { kNo, kAnswered, kHandedOff };

class ConnectionServer : public httplib::Server {
 public:
  std::shared_ptr<TlsContext> tls;
  // Looks at the request about to be read; may answer it or take the connection over.
  std::function<Takeover(ConnStream&, const std::shared_ptr<Transport>&)> takeover;

 private:
  int ms(time_t sec, time_t usec) const { return static_cast<int>(sec * 1000 + usec / 1000); }

  bool process_and_close_socket(socket_t sock) override {
    std::shared_ptr<Transport> t = Transport::accept(sock, tls.get(), ms(read_timeout_sec_, read_timeout_usec_));
    if (!t) return false;  // a failed TLS handshake; the socket is closed
    ConnStream strm(*t, ms(read_timeout_sec_, read_timeout_usec_), ms(write_timeout_sec_, write_timeout_usec_));
    bool ret = false;
    for (size_t count = keep_alive_max_count_; count > 0; --count) {
      if (!strm.wait_request(static_cast<int>(keep_alive_timeout_sec_ * 1000),
                             [this] { return svr_sock_ == INVALID_SOCKET; }))
        break;
      const Takeover taken = takeover ? takeover(strm, t) : Takeover::kNo;
      if (taken == Takeover::kHandedOff) return true;  // a WebSocket session owns the connection now
      if (taken == Takeover::kAnswered) {
        ret = true;
        break;
      }
      bool closed = false;
      ret = process_request(strm, count == 1, closed, nullptr);
      if (!ret || closed) break;
    }
    t->shutdown();
    return ret;
  }
};

}  // namespace

struct HttpServer::Impl {
  AdapterOptions options;
  ConnectionServer server;
  int listen_fd = -1;
  std::vector<WebSocketRoute> websocket_routes;
  // Upgraded connections, each served on a thread of its own (sessions are long and mostly
  // idle: they must not hold the HTTP pool's threads). stop() shuts them; ~HttpServer waits.
  struct LiveSessions {
    std::mutex mu;
    std::condition_variable cv;
    std::map<std::uint64_t, std::shared_ptr<WebSocketConnection>> open;
    std::uint64_t next = 0;
    bool stopping = false;
  } live;

  Takeover takeover(ConnStream& strm, const std::shared_ptr<Transport>& transport) {
    if (websocket_routes.empty()) return Takeover::kNo;
    const int io_ms = options.io_timeout_s * 1000;
    // The request line (8 KiB at most, httplib's own limit); only a GET of a WebSocket route is
    // read further, up to the end of its head.
    while (strm.buffered().find('\n') == std::string_view::npos)
      if (strm.buffered().size() > 8192 || strm.fill(io_ms) <= 0) return Takeover::kNo;
    std::string_view line = strm.buffered().substr(0, strm.buffered().find('\n'));
    if (line.rfind("GET ", 0) != 0) return Takeover::kNo;
    std::string_view target = line.substr(4);
    target = target.substr(0, target.find(' '));
    std::string_view path = target.substr(0, target.find('?'));
    const WebSocketRoute* route = nullptr;
    for (const auto& w : websocket_routes)
      if (w.path == path) route = &w;
    if (!route) return Takeover::kNo;
    size_t end;
    while ((end = ws::find_head_end(strm.buffered())) == std::string_view::npos)
      if (strm.buffered().size() > 65536 || strm.fill(io_ms) <= 0) return Takeover::kNo;
    auto head = ws::parse_request_head(strm.buffered().substr(0, end));
    // Not an upgrade: httplib serves it (the route's GET answers 426).
    if (!head || !ws::is_upgrade_request(*head)) return Takeover::kNo;
    strm.consume(end);
    return upgrade(*route, std::make_shared<const ws::RequestHead>(std::move(*head)), strm, transport);
  }

  Takeover upgrade(const WebSocketRoute& route, std::shared_ptr<const ws::RequestHead> head, ConnStream& strm,
                   const std::shared_ptr<Transport>& transport) {
    const auto t0 = std::chrono::steady_clock::now();
    const int io_ms = options.io_timeout_s * 1000;
    HttpRequest r;
    r.method = head->method;
    r.path = httplib::detail::decode_url(head->path, false);
    httplib::Params params;
    httplib::detail::parse_query_text(head->query, params);
    r.query.insert(params.begin(), params.end());
    int remote_port = 0;
    socket_address(transport->fd(), false, r.remote_addr, remote_port);
    r.request_id = new_request_id();
    r.header = [head](const std::string& name) { return head->header(name); };
    auto seconds = [t0] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    // A refusal is a plain HTTP reply, and the connection closes after it.
    auto answer = [&](HttpReply reply) {
      if (options.after) options.after(r, reply);
      reply.headers.emplace_back("X-Request-Id", r.request_id);
      transport->write_all(serialize_http_reply(reply, true), io_ms);
      if (options.on_complete) options.on_complete(r, reply.status, seconds());
      return Takeover::kAnswered;
    };
    if (std::string problem = ws::upgrade_problem(*head); !problem.empty()) {
      HttpReply reply = error_reply(Error(ErrorCode::kInvalidArgument, problem));
      if (ws::header_tokens(head->header("Sec-WebSocket-Version")) != std::vector<std::string>{"13"}) {
        reply.status = 426;
        reply.headers.emplace_back("Sec-WebSocket-Version", "13");
      }
      return answer(std::move(reply));
    }
    {
      std::lock_guard<std::mutex> lock(live.mu);
      if (live.stopping) return answer(error_reply(Error(ErrorCode::kUnavailable, "the server is shutting down")));
    }
    if (options.before)
      if (auto early = options.before(r)) return answer(std::move(*early));
    WebSocketReply accepted;
    try {
      accepted = route.handler(r);
    } catch (...) {
      return answer(error_reply(Error(ErrorCode::kInternal, "internal error")));
    }
    if (accepted.refuse) return answer(std::move(*accepted.refuse));
    if (!accepted.session) return answer(error_reply(Error(ErrorCode::kInternal, "no session for this upgrade")));

    HttpReply switching;
    switching.status = 101;
    switching.headers = {{"Upgrade", "websocket"},
                         {"Connection", "Upgrade"},
                         {"Sec-WebSocket-Accept", ws::accept_key(head->header("Sec-WebSocket-Key"))}};
    if (!accepted.subprotocol.empty()) switching.headers.emplace_back("Sec-WebSocket-Protocol", accepted.subprotocol);
    if (options.after) options.after(r, switching);
    switching.headers.emplace_back("X-Request-Id", r.request_id);
    if (!transport->write_all(serialize_http_reply(switching, false), io_ms)) {
      if (options.on_complete) options.on_complete(r, 499, seconds());
      return Takeover::kAnswered;
    }
    auto conn = std::make_shared<WebSocketConnection>(transport, strm.take_buffered(), route.max_message_bytes, io_ms);
    r.client_connected = [weak = std::weak_ptr<WebSocketConnection>(conn)] {
      auto c = weak.lock();
      return c && c->connected();
    };
    std::uint64_t id;
    {
      std::lock_guard<std::mutex> lock(live.mu);
      id = ++live.next;
      live.open[id] = conn;
    }
    auto run = [this, id, conn, transport, session = std::move(accepted.session), r = std::move(r), seconds]() {
      try {
        session(*conn);
      } catch (...) {
        conn->close(ws::kCloseInternalError, "internal error");
      }
      // Our close frame (unless one went already), then what the client still sends, up to its
      // own close frame: closing a socket with unread bytes would reset it under our frame.
      conn->close(ws::kCloseNormal, "");
      conn->drain(2000);
      transport->shutdown();
      if (options.on_complete) options.on_complete(r, 101, seconds());
      std::lock_guard<std::mutex> lock(live.mu);
      live.open.erase(id);
      live.cv.notify_all();
    };
    try {
      std::thread(std::move(run)).detach();
    } catch (...) {  // no thread to be had
      std::lock_guard<std::mutex> lock(live.mu);
      live.open.erase(id);
      return Takeover::kAnswered;
    }
    return Takeover::kHandedOff;
  }

  void close_live_sessions(bool wait) {
    std::unique_lock<std::mutex> lock(live.mu);
    live.stopping = true;
    for (auto& [id, conn] : live.open) conn->abort();
    if (wait) live.cv.wait(lock, [this] { return live.open.empty(); });
  }
  std::atomic<int> active{0};  // incremented where a request starts, decremented by finish()'s done

  HttpRequest convert(const httplib::Request& req) {
    HttpRequest r;
    r.method = req.method;
    r.path = req.path;
    r.remote_addr = req.remote_addr;
    r.request_id = new_request_id();
    r.query = req.params;
    r.header = [&req](const std::string& name) { return req.get_header_value(name); };
    r.body = req.body;
    for (const auto& [name, f] : req.files)
      r.form.push_back(FormField{name, std::string_view(f.content), f.filename, f.content_type});
    r.client_connected = make_connection_probe(req.remote_addr, req.remote_port);
    return r;
  }

  void finish(const HttpRequest& r, HttpReply& reply, httplib::Response& res,
              std::chrono::steady_clock::time_point t0) {
    if (options.after) options.after(r, reply);
    reply.headers.emplace_back("X-Request-Id", r.request_id);
    // What the request holds (the key's concurrency slot) and its latency end with its last byte,
    // not when the handler returns: a streamed reply is still working then. The request is copied
    // for the callback; its field views are not used after the handler.
    std::function<void()> done = [this] { --active; };
    if (options.on_complete) {
      auto on_complete = options.on_complete;
      HttpRequest kept = r;
      kept.form.clear();
      kept.body = {};
      done = [this, on_complete, kept = std::move(kept), status = reply.status, t0] {
        on_complete(kept, status, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        --active;
      };
    }
    write_reply(reply, res, std::move(done));
  }
};

HttpServer::HttpServer(AdapterOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->server.takeover = [this](ConnStream& strm, const std::shared_ptr<Transport>& t) {
    return impl_->takeover(strm, t);
  };
  auto& s = impl_->server;
  const int threads = impl_->options.threads;
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_payload_max_length(impl_->options.max_body_bytes + (1 << 20));  // + room for the multipart framing
  // cpp-httplib 0.11 applies these to each socket read / write (a slow upload, a slow reader),
  // never to the time a handler runs: a synchronous transcription of a long file may take an hour
  // and is not cut off (tests/integration/test_jobs.py runs one longer than a 1 s timeout).
  s.set_read_timeout(impl_->options.io_timeout_s);
  s.set_write_timeout(impl_->options.io_timeout_s);
  s.set_keep_alive_max_count(1000);
  // cpp-httplib hard-codes a listen backlog of 5; remember the socket to re-listen with more.
  s.set_socket_options([this](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    impl_->listen_fd = sock;
  });
  s.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // a route already wrote its reply
    HttpReply reply = error_reply_for_status(res.status, req.path);
    HttpRequest r = impl_->convert(req);
    ++impl_->active;
    impl_->finish(r, reply, res, std::chrono::steady_clock::now());
  });
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    HttpReply reply = error_reply(Error(ErrorCode::kInternal, "internal error"));
    write_reply(reply, res);
  });
  if (!impl_->options.static_dir.empty()) {
    // cpp-httplib refuses paths that climb out of the directory ("/../x", "%2e%2e") with a 404.
    s.set_mount_point("/", impl_->options.static_dir);
    for (const auto& [ext, type] : kStaticTypes) s.set_file_extension_and_mimetype_mapping(ext, type);
    s.set_file_request_handler([](const httplib::Request& req, httplib::Response& res) {
      // Vite names the files under assets/ by their content hash: they never change, so they may
      // be kept for a year. Anything else (index.html) is revalidated, so a rebuilt page shows.
      res.set_header("Cache-Control", req.path.rfind("/assets/", 0) == 0 ? "public, max-age=31536000, immutable"
                                                                           : "no-cache");
      res.set_header("X-Content-Type-Options", "nosniff");
    });
  }
  s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!impl_->options.before) return httplib::Server::HandlerResponse::Unhandled;
    auto t0 = std::chrono::steady_clock::now();
    HttpRequest r = impl_->convert(req);
    auto early = impl_->options.before(r);
    if (!early) return httplib::Server::HandlerResponse::Unhandled;
    ++impl_->active;
    impl_->finish(r, *early, res, t0);
    return httplib::Server::HandlerResponse::Handled;
  });
}

HttpServer::~HttpServer() {
  // Upgraded sessions run on threads of their own that use this object: wait for them.
  if (impl_) impl_->close_live_sessions(true);
}

void HttpServer::add_websocket(const WebSocketRoute& route) {
  impl_->websocket_routes.push_back(route);
  // The same path without the upgrade: 426 Upgrade Required.
  add(Route{"GET", route.path, [path = route.path](const HttpRequest&) {
              HttpReply reply = error_reply(
                  Error(ErrorCode::kInvalidArgument, path + " is a WebSocket endpoint: connect with 'Upgrade: websocket'"));
              reply.status = 426;
              reply.headers.emplace_back("Upgrade", "websocket");
              return reply;
            }});
}

bool HttpServer::tls() const { return impl_->server.tls != nullptr; }

void HttpServer::add(const Route& route) {
  auto [re, names] = compile_pattern(route.pattern);
  auto handler = route.handler;
  auto wrapped = [this, handler, names](const httplib::Request& req, httplib::Response& res) {
    auto t0 = std::chrono::steady_clock::now();
    ++impl_->active;
    HttpRequest r = impl_->convert(req);
    for (size_t i = 0; i < names.size() && i + 1 < req.matches.size(); ++i) r.path_params[names[i]] = req.matches[i + 1];
    HttpReply reply;
    try {  // a handler bug is a 500 for this request, and the request is still finished
      reply = handler(r);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "vox: %s %s failed: %s\n", r.method.c_str(), r.path.c_str(), e.what());
      reply = error_reply(Error(ErrorCode::kInternal, "internal error"));
    }
    impl_->finish(r, reply, res, t0);
  };
  auto& s = impl_->server;
  if (route.method == "GET") s.Get(re, wrapped);
  else if (route.method == "POST") s.Post(re, wrapped);
  else if (route.method == "DELETE") s.Delete(re, wrapped);
  else if (route.method == "OPTIONS") s.Options(re, wrapped);
  else if (route.method == "PUT") s.Put(re, wrapped);
}

Result<int> HttpServer::bind(const std::string& host, int port) {
  if (!impl_->options.tls_cert.empty() || !impl_->options.tls_key.empty()) {
    auto tls = TlsContext::load(impl_->options.tls_cert, impl_->options.tls_key);
    if (!tls) return tls.error();
    impl_->server.tls = *tls;
  }
  int bound = port == 0 ? impl_->server.bind_to_any_port(host) : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound < 0) return Error(ErrorCode::kIo, "cannot listen on " + host + ":" + std::to_string(port) + " (address in use?)");
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, 1024);
  return bound;
}

void HttpServer::run() { impl_->server.listen_after_bind(); }
void HttpServer::stop() {
  impl_->close_live_sessions(false);
  impl_->server.stop();
}
int HttpServer::active() const { return impl_->active.load(); }

}  // namespace vox::server
