// RFC 6455 WebSocket, the parts a server needs, with no sockets in here: the opening handshake
// (request head parsing, Sec-WebSocket-Accept) and the frame codec (client frames in, with
// masking, fragmentation, control frames and a message-size cap; server frames out).
//
// Why our own and not Boost.Beast / websocketpp / libwebsockets: vox keeps cpp-httplib for HTTP
// (multipart, chunked/SSE streaming and static files are built and tested on it) and serves
// WebSocket on the same port by taking over the connection after its first request line (see
// src/server/httplib_adapter.cpp). The libraries above each want to own the socket and its
// event loop (asio, lws) or are not packaged as a maintained Debian library; the server side of
// RFC 6455 is a few hundred lines, and a pure codec can be unit-tested and fuzzed on bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vox::ws {

enum class Opcode : std::uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// Close codes (RFC 6455 §7.4.1).
constexpr std::uint16_t kCloseNormal = 1000;
constexpr std::uint16_t kCloseGoingAway = 1001;
constexpr std::uint16_t kCloseProtocolError = 1002;
constexpr std::uint16_t kCloseUnsupportedData = 1003;
constexpr std::uint16_t kCloseNoStatus = 1005;  // never sent: "the close frame had no code"
constexpr std::uint16_t kCloseInvalidPayload = 1007;
constexpr std::uint16_t kClosePolicyViolation = 1008;
constexpr std::uint16_t kCloseTooBig = 1009;
constexpr std::uint16_t kCloseInternalError = 1011;

// A whole message (fragments joined) or a control frame.
struct Message {
  Opcode opcode = Opcode::kText;  // kText, kBinary, kClose, kPing or kPong
  std::string payload;            // for kClose: the raw close payload (see parse_close)
};

// A violation: the connection must be closed with `close_code`.
struct ProtocolViolation {
  std::uint16_t close_code = kCloseProtocolError;
  std::string reason;
};

// Reads client-to-server frames from a byte stream of any chunking.
class FrameReader {
 public:
  // `max_message_bytes`: the largest message (all its fragments together); larger → kCloseTooBig.
  // `require_mask`: clients must mask every frame (§5.1); a server reading its own output would not.
  explicit FrameReader(std::size_t max_message_bytes, bool require_mask = true)
      : max_message_(max_message_bytes), require_mask_(require_mask) {}

  void feed(std::string_view bytes) { buffer_.append(bytes.data(), bytes.size()); }

  enum class Result { kMessage, kNeedMore, kViolation };
  // The next message or control frame. After kViolation the reader is unusable.
  Result next(Message& out, ProtocolViolation& violation);

  // Bytes fed and not yet consumed (for tests).
  std::size_t buffered() const { return buffer_.size() - offset_; }

 private:
  std::size_t max_message_;
  bool require_mask_;
  std::string buffer_;
  std::size_t offset_ = 0;
  // A fragmented data message in progress.
  bool in_message_ = false;
  Opcode message_opcode_ = Opcode::kText;
  std::string message_;
  bool failed_ = false;
};

// One unmasked server-to-client frame.
std::string encode_frame(Opcode opcode, std::string_view payload, bool fin = true);
// A masked frame, as a client sends (tests and clients).
std::string encode_masked_frame(Opcode opcode, std::string_view payload, std::uint32_t mask, bool fin = true);
// A close frame's payload: the code (network order) and a reason cut to fit 123 bytes.
std::string close_payload(std::uint16_t code, std::string_view reason);
// A received close payload → code (kCloseNoStatus when empty) and reason; nullopt when malformed
// (1 byte, a code that may not be sent, or a reason that is not UTF-8).
std::optional<std::pair<std::uint16_t, std::string>> parse_close(std::string_view payload);

bool is_valid_utf8(std::string_view text);

// ---- The opening handshake ----

struct RequestHead {
  std::string method;
  std::string target;   // as sent: "/v1/realtime?intent=transcription"
  std::string path;     // before '?', not percent-decoded
  std::string query;    // after '?', "" when none
  std::string version;  // "HTTP/1.1"
  std::vector<std::pair<std::string, std::string>> headers;  // in order, names as sent

  // Case-insensitive; repeated headers are joined with ", " (RFC 9110 §5.3). "" when absent.
  std::string header(std::string_view name) const;
};

// Parses "METHOD target VERSION\r\n(Name: value\r\n)*\r\n" (a bare \n is accepted as a line end).
// `text` must hold the whole head; nullopt when it is malformed.
std::optional<RequestHead> parse_request_head(std::string_view text);

// Where the head ends: the offset just past the blank line, or npos while it is incomplete.
std::size_t find_head_end(std::string_view bytes);

// The comma-separated tokens of a header value, trimmed, empty ones dropped.
std::vector<std::string> header_tokens(std::string_view value);
bool header_has_token(std::string_view value, std::string_view token);  // case-insensitive

// Why `head` is not a valid WebSocket upgrade (RFC 6455 §4.2.1), "" when it is one. A request
// without `Upgrade: websocket` is "not an upgrade" (and may be served as plain HTTP).
std::string upgrade_problem(const RequestHead& head);
bool is_upgrade_request(const RequestHead& head);

// Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + the RFC's GUID)).
std::string accept_key(std::string_view client_key);

}  // namespace vox::ws
