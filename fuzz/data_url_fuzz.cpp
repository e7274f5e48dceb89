// Base64 and the data: URLs of known_speaker_references[]: decode_reference and base64_decode on
// arbitrary text, and the encode/decode round trip on arbitrary bytes.
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "vox/core/base64.h"
#include "vox/pipeline/known_speakers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = vox::fuzz::as_view(data, size);
  (void)vox::decode_reference(std::string(in));
  auto decoded = vox::base64_decode(in);
  if (decoded) {
    auto again = vox::base64_decode(vox::base64_encode(*decoded));
    VOX_FUZZ_CHECK(again && *again == *decoded);
  }
  std::string encoded = vox::base64_encode(in);
  VOX_FUZZ_CHECK(encoded.size() == (size + 2) / 3 * 4);
  auto back = vox::base64_decode(encoded);
  VOX_FUZZ_CHECK(back && *back == in);
  return 0;
}
