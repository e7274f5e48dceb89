// A private redis-server for the Redis adapter tests: started once per test program on a free
// loopback port without persistence, stopped at exit. Tests skip when the binary is missing.
#pragma once

#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "vox/service/redis_client.h"

namespace vox::service::redis_testing {

inline std::string find_redis_server() {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/usr/local/bin";
  size_t i = 0;
  while (i <= dirs.size()) {
    size_t j = dirs.find(':', i);
    if (j == std::string::npos) j = dirs.size();
    std::string candidate = dirs.substr(i, j - i) + "/redis-server";
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    i = j + 1;
  }
  return {};
}

inline int free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

class RedisTestServer {
 public:
  // nullptr when redis-server is not installed or would not start.
  static RedisTestServer* get() {
    static std::unique_ptr<RedisTestServer> server = start();
    return server.get();
  }
  ~RedisTestServer() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
  std::shared_ptr<RedisClient> client() const {
    auto c = RedisClient::connect(url());
    return c ? std::shared_ptr<RedisClient>(std::move(*c)) : nullptr;
  }

 private:
  static std::unique_ptr<RedisTestServer> start() {
    std::string bin = find_redis_server();
    if (bin.empty()) return nullptr;
    int port = free_loopback_port();
    pid_t pid = fork();
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a crashed test program
      std::string p = std::to_string(port);
      freopen("/dev/null", "w", stdout);
      execl(bin.c_str(), bin.c_str(), "--port", p.c_str(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", static_cast<char*>(nullptr));
      _exit(127);
    }
    if (pid < 0) return nullptr;
    std::unique_ptr<RedisTestServer> s(new RedisTestServer(pid, port));
    for (int i = 0; i < 100; ++i) {  // up to 5 s for the server to accept connections
      if (auto c = RedisClient::connect(s->url()); c && (*c)->command({"PING"})) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return nullptr;
  }
  RedisTestServer(pid_t pid, int port) : pid_(pid), port_(port) {}
  pid_t pid_;
  int port_;
};

// A fresh key prefix per test, so tests sharing the server never see each other's data.
inline std::string unique_prefix() {
  static int n = 0;
  std::string prefix = "t";  // built with += : GCC 12 warns falsely (-Wrestrict) on "literal" + string
  prefix += std::to_string(getpid());
  prefix += "_";
  prefix += std::to_string(++n);
  prefix += ":";
  return prefix;
}

}  // namespace vox::service::redis_testing
