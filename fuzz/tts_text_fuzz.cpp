// Text to speak: UTF-8 validation, sentence splitting, English normalisation and the flite
// sanitiser, in the order the speech service applies them.
#include <cstdint>

#include "fuzz_input.h"
#include "vox/tts/flite_input.h"
#include "vox/tts/text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = vox::fuzz::as_view(data, size);
  bool valid = vox::valid_utf8(in);
  VOX_FUZZ_CHECK(bool(vox::check_utf8_input(in)) == valid);
  auto sentences = vox::split_sentences(in);
  VOX_FUZZ_CHECK(bool(sentences) == valid);
  if (!sentences) return 0;
  for (const auto& s : *sentences) {
    VOX_FUZZ_CHECK(!s.empty() && s.size() <= vox::kMaxSentenceBytes);
    VOX_FUZZ_CHECK(vox::valid_utf8(s));
    std::string normal = vox::normalize_english(s);
    VOX_FUZZ_CHECK(vox::valid_utf8(normal));
    std::string flite = vox::sanitize_for_flite(normal);
    for (unsigned char c : flite) VOX_FUZZ_CHECK(c < 0x80);
  }
  std::string whole = vox::sanitize_for_flite(in);
  for (unsigned char c : whole) VOX_FUZZ_CHECK(c < 0x80);
  return 0;
}
