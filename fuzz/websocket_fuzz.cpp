// RFC 6455 as the server reads it: the frame reader (masking, fragmentation, control frames, size
// cap) on a byte stream cut into chunks, close payloads, and the opening handshake's request head.
#include <cstdint>

#include "fuzz_input.h"
#include "vox/live/websocket_frames.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::size_t chunk = data[0] % 32 + 1;
  bool require_mask = data[0] & 0x80;
  std::string_view stream = vox::fuzz::as_view(data + 1, size - 1);

  vox::ws::FrameReader reader(4096, require_mask);
  bool dead = false;
  for (std::size_t at = 0; at < stream.size() && !dead; at += chunk) {
    reader.feed(stream.substr(at, chunk));
    for (;;) {
      vox::ws::Message m;
      vox::ws::ProtocolViolation v;
      auto r = reader.next(m, v);
      if (r == vox::ws::FrameReader::Result::kNeedMore) break;
      if (r == vox::ws::FrameReader::Result::kViolation) {
        dead = true;
        break;
      }
      VOX_FUZZ_CHECK(m.payload.size() <= 4096);
      if (m.opcode == vox::ws::Opcode::kClose) (void)vox::ws::parse_close(m.payload);
      if (m.opcode == vox::ws::Opcode::kText) (void)vox::ws::is_valid_utf8(m.payload);
    }
  }
  (void)vox::ws::parse_close(stream.substr(0, 125));

  std::size_t end = vox::ws::find_head_end(stream);
  if (auto head = vox::ws::parse_request_head(end == std::string_view::npos ? stream : stream.substr(0, end))) {
    (void)vox::ws::upgrade_problem(*head);
    (void)vox::ws::is_upgrade_request(*head);
    std::string key = head->header("Sec-WebSocket-Key");
    (void)vox::ws::accept_key(key);
    (void)vox::ws::header_tokens(head->header("Connection"));
  }
  return 0;
}
