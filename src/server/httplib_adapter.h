// The only file that knows cpp-httplib: routes, static files, limits, logging, streaming.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server/http_types.h"
#include "server/websocket.h"
#include "vox/core/error.h"

namespace vox::server {

struct AdapterOptions {
  int threads = 16;
  std::uint64_t max_body_bytes = 1ull << 30;
  std::string static_dir;                  // served at / when non-empty
  int io_timeout_s = 300;                  // per socket read / write (see httplib_adapter.cpp)
  // Called before routing (auth, CORS, rate limits); a reply stops the request there.
  std::function<std::optional<HttpReply>(const HttpRequest&)> before;
  // Called on every reply (CORS headers, metrics).
  std::function<void(const HttpRequest&, HttpReply&)> after;
  // Called once per finished request with its status and duration.
  std::function<void(const HttpRequest&, int status, double seconds)> on_complete;
  // HTTPS and WSS on the same port when both are set (PEM files); see httplib_adapter.cpp.
  std::string tls_cert;
  std::string tls_key;
};

class HttpServer {
 public:
  explicit HttpServer(AdapterOptions options);
  ~HttpServer();
  void add(const Route& route);
  // A WebSocket endpoint on the same port (and a GET route answering 426 without the upgrade).
  // The adapter runs `before` on the upgrade request, `after` on the 101 reply, and
  // `on_complete` (status 101) when the session ends.
  void add_websocket(const WebSocketRoute& route);
  bool tls() const;
  // Binds (port 0 = any free port) and returns the bound port.
  Result<int> bind(const std::string& host, int port);
  // Serves until stop() is called.
  void run();
  void stop();
  // Requests between their handler's start and their reply's last byte (static files aside).
  int active() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vox::server
