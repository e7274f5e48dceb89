// Uploads: arbitrary bytes through the FFmpeg decoder (probe, demux, decode, resample to 16 kHz
// mono), as a transcription request's file is decoded (decode_memory, no copy to disk).
#include <cmath>
#include <cstdint>

#include "fuzz_input.h"
#include "vox/audio/decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static auto decoder = vox::make_ffmpeg_decoder();
  vox::DecodeOptions options;
  options.limits.max_bytes = 1 << 20;
  options.limits.max_duration_s = 30.0;  // a bogus header claiming hours is refused, not decoded
  auto audio = decoder->decode_memory(vox::fuzz::as_view(data, size), options);
  if (audio) {
    VOX_FUZZ_CHECK(audio->sample_rate == vox::kAsrSampleRate);
    VOX_FUZZ_CHECK(audio->duration() <= options.limits.max_duration_s + 1.0);
    for (float s : audio->samples) VOX_FUZZ_CHECK(std::isfinite(s));
  }
  return 0;
}
