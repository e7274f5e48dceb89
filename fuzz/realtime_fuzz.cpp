// OpenAI Realtime client events (both dialects) as the server reads them; an accepted session
// update is written back as session.updated, appended audio goes through the audio decoder.
#include <cstdint>

#include "fuzz_input.h"
#include "vox/live/realtime_protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = vox::fuzz::as_view(data, size);
  vox::realtime::SessionConfig current;
  auto parsed = vox::realtime::parse_client_event(text, current);
  VOX_FUZZ_CHECK(parsed.event.has_value() != parsed.error.has_value());
  vox::realtime::ServerEvents events("sess_fuzz");
  if (parsed.error) {
    (void)events.error(*parsed.error);
    return 0;
  }
  const auto& e = *parsed.event;
  if (e.type == vox::realtime::ClientEvent::Type::kSessionUpdate) {
    (void)events.session_updated(e.session, e.dialect);
    vox::realtime::RealtimeAudioDecoder decoder(e.session.format);
    (void)decoder.decode(text.substr(0, 512));
  } else if (e.type == vox::realtime::ClientEvent::Type::kAppend) {
    vox::realtime::RealtimeAudioDecoder decoder(current.format);
    (void)decoder.decode(e.audio);
  }
  auto half = text.size() / 2;
  (void)vox::realtime::partial_delta(text.substr(0, half), text.substr(half));
  return 0;
}
