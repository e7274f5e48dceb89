// Neutral WebSocket types for route handlers, like http_types.h for HTTP: the adapter
// (httplib_adapter.cpp) does the upgrade and the framing; handlers see messages.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "server/http_types.h"

namespace vox::server {

class WebSocket {
 public:
  struct Message {
    bool text = true;
    std::string data;
  };
  virtual ~WebSocket() = default;
  // Blocks for the next text or binary message (pings are answered inside). nullopt once the
  // connection is over: the client closed it or vanished, it broke the protocol, sent a message
  // over the size cap (closed with 1009), or was idle past the I/O timeout.
  virtual std::optional<Message> receive() = 0;
  // Thread-safe (events come from the session's threads). False once the connection is over.
  virtual bool send_text(std::string_view text) = 0;
  // Sends a close frame (once) and stops reading. Thread-safe.
  virtual void close(std::uint16_t code, std::string_view reason) = 0;
  // False once the client has gone away (checked on the connection itself).
  virtual bool connected() const = 0;
};

// The answer to an upgrade request.
struct WebSocketReply {
  std::optional<HttpReply> refuse;  // set: sent as a plain HTTP reply, no upgrade
  std::string subprotocol;          // echoed in Sec-WebSocket-Protocol ("" = none)
  // Runs once the upgrade is done, on a thread of its own, until the session ends.
  std::function<void(WebSocket&)> session;
};

using WebSocketHandler = std::function<WebSocketReply(const HttpRequest&)>;

struct WebSocketRoute {
  std::string path;  // exact path, e.g. "/v1/realtime"
  WebSocketHandler handler;
  std::size_t max_message_bytes = 16u << 20;
};

}  // namespace vox::server
