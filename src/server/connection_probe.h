// Tells whether the client of a request is still connected. cpp-httplib 0.11 does not expose the
// connection's socket to handlers, so we find it by its peer address among our open sockets
// and peek at it: a socket whose peer has closed reads 0 bytes.
#pragma once

#include <functional>
#include <string>

namespace vox::server {

// Returns a cheap probe (the socket is looked up once); if the socket cannot be found the
// probe always answers true (we never cancel work we cannot prove is abandoned).
std::function<bool()> make_connection_probe(const std::string& remote_addr, int remote_port);

}  // namespace vox::server
