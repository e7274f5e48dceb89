#include "server/connection_probe.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace vox::server {

namespace {

bool peer_matches(int fd, const std::string& addr, int port) {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return false;
  char host[INET6_ADDRSTRLEN] = {0};
  int p = 0;
  if (ss.ss_family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
    p = ntohs(in->sin_port);
  } else if (ss.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
    p = ntohs(in6->sin6_port);
  } else {
    return false;
  }
  return p == port && addr == host;
}

int find_socket(const std::string& addr, int port) {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return -1;
  int found = -1;
  while (dirent* e = readdir(dir)) {
    char* end = nullptr;
    long fd = std::strtol(e->d_name, &end, 10);
    if (end == e->d_name || *end) continue;
    if (peer_matches(int(fd), addr, port)) {
      found = int(fd);
      break;
    }
  }
  closedir(dir);
  return found;
}

}  // namespace

std::function<bool()> make_connection_probe(const std::string& remote_addr, int remote_port) {
  int fd = find_socket(remote_addr, remote_port);
  if (fd < 0) return [] { return true; };
  return [fd, remote_addr, remote_port] {
    // The fd could have been closed and reused; only trust it while it still has our peer.
    if (!peer_matches(fd, remote_addr, remote_port)) return false;
    // The peer's FIN shows as POLLRDHUP even behind unread bytes: on a TLS connection the
    // client's close_notify alert sits unread ahead of it, so a peek would read data, not 0.
    pollfd p{fd, POLLRDHUP, 0};
    if (poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR))) return false;
    char byte;
    ssize_t n = recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) return false;  // orderly shutdown by the client
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    return true;
  };
}

}  // namespace vox::server
