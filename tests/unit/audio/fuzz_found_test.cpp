// Inputs the fuzzers (fuzz/media_decoder_fuzz.cpp) found; the raw inputs are also replayed from
// fuzz/regressions/media_decoder/ by `make fuzz`.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "vox/audio/decoder.h"

namespace vox {
namespace {

// A 32-bit float WAV (format 3) at 16 kHz mono with these samples.
std::string float_wav(const std::vector<float>& samples) {
  auto u32 = [](std::string& s, std::uint32_t v) { for (int i = 0; i < 4; ++i) s += char((v >> (8 * i)) & 0xff); };
  auto u16 = [](std::string& s, std::uint16_t v) { s += char(v & 0xff); s += char(v >> 8); };
  const std::uint32_t data_bytes = std::uint32_t(samples.size() * 4);
  std::string w = "RIFF";
  u32(w, 36 + data_bytes);
  w += "WAVEfmt ";
  u32(w, 16);
  u16(w, 3);  // IEEE float
  u16(w, 1);
  u32(w, 16000);
  u32(w, 16000 * 4);
  u16(w, 4);
  u16(w, 32);
  w += "data";
  u32(w, data_bytes);
  for (float f : samples) {
    char b[4];
    std::memcpy(b, &f, 4);
    w.append(b, 4);
  }
  return w;
}

// NaN and infinity in float PCM reached the engines as samples.
TEST(DecoderFuzzFound, NonFiniteFloatSamplesBecomeSilence) {
  std::vector<float> samples(16000, 0.25f);
  for (size_t i = 0; i < samples.size(); i += 7) samples[i] = std::numeric_limits<float>::quiet_NaN();
  for (size_t i = 3; i < samples.size(); i += 11) samples[i] = std::numeric_limits<float>::infinity();
  auto audio = make_ffmpeg_decoder()->decode_memory(float_wav(samples), {});
  ASSERT_TRUE(audio.ok()) << audio.error().message;
  ASSERT_GT(audio->samples.size(), 15000u);
  for (float s : audio->samples) ASSERT_TRUE(std::isfinite(s));
}

}  // namespace
}  // namespace vox
