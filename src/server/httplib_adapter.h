// The only file that knows cpp-httplib: routes, static files, limits, logging, streaming.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server/http_types.h"
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
};

class HttpServer {
 public:
  explicit HttpServer(AdapterOptions options);
  ~HttpServer();
  void add(const Route& route);
  // Binds (port 0 = any free port) and returns the bound port.
  Result<int> bind(const std::string& host, int port);
  // Serves until stop() is called.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vox::server
