// The WAV (RIFF) header check that catches truncated uploads, on arbitrary bytes.
#include <cmath>
#include <cstdint>

#include "fuzz_input.h"
#include "vox/audio/media_source.h"
#include "vox/audio/riff_header.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto source = vox::ffmpeg::make_memory_source(vox::fuzz::as_view(data, size));
  double seconds = vox::ffmpeg::riff_declared_seconds(*source);
  VOX_FUZZ_CHECK(seconds >= 0.0 && !std::isnan(seconds));
  VOX_FUZZ_CHECK(source->position() == 0);
  return 0;
}
