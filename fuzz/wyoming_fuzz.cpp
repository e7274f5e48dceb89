// The Wyoming protocol's framing (header line, data JSON, payload) on a byte stream cut into
// chunks at arbitrary places; each event parsed is re-encoded and must parse back the same.
#include <cstdint>

#include "fuzz_input.h"
#include "vox/live/wyoming_protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::size_t chunk = data[0] % 64 + 1;  // the first byte picks how the stream arrives
  std::string_view stream = vox::fuzz::as_view(data + 1, size - 1);
  vox::live::WyomingLimits limits;
  limits.max_header_bytes = 4096;
  limits.max_data_bytes = 8192;
  limits.max_payload_bytes = 16384;
  vox::live::WyomingParser parser(limits);
  std::vector<vox::live::WyomingEvent> events;
  for (std::size_t at = 0; at < stream.size() && !parser.failed(); at += chunk)
    (void)parser.feed(stream.substr(at, chunk), events);
  for (const auto& e : events) {
    std::string wire = vox::live::encode_wyoming_event(e);
    vox::live::WyomingParser again;
    std::vector<vox::live::WyomingEvent> back;
    vox::Status s = again.feed(wire, back);
    VOX_FUZZ_CHECK(s && back.size() == 1);
    VOX_FUZZ_CHECK(back[0].type == e.type && back[0].payload == e.payload && back[0].data == e.data);
  }
  (void)vox::live::wyoming_error_event(vox::Error(vox::ErrorCode::kInvalidArgument, std::string(stream.substr(0, 64))));
  return 0;
}
