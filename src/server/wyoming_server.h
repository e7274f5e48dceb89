// vox serve --wyoming-port: the Wyoming protocol (Home Assistant) over plain TCP, a thin adapter:
// bytes go to live::WyomingParser, events to a live::WyomingSession per connection, which runs
// the same engines as the HTTP API. One thread per connection, at most `max_connections`.
#pragma once

#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "server/app.h"

namespace vox::server {

struct WyomingServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;               // 0 picks a free port
  int max_connections = 64;   // more are answered with an error event and closed
  int idle_timeout_s = 300;   // a connection silent this long is closed
};

class WyomingServer {
 public:
  WyomingServer(ServiceContext& ctx, WyomingServerOptions options);
  ~WyomingServer();
  WyomingServer(const WyomingServer&) = delete;
  WyomingServer& operator=(const WyomingServer&) = delete;

  // Binds and starts accepting; returns the bound port.
  Result<int> start();
  // Closes the listener and every connection (their work is cancelled) and joins the threads.
  void stop();

 private:
  struct Connection {
    int fd = -1;
    std::thread thread;
    std::atomic<bool> done{false};
  };
  void accept_loop();
  void serve(Connection& conn);
  void reap(bool all);

  ServiceContext& ctx_;
  WyomingServerOptions options_;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex mu_;
  std::list<std::unique_ptr<Connection>> connections_;
};

}  // namespace vox::server
