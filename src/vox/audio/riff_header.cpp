#include "vox/audio/riff_header.h"

#include <cstring>

namespace vox::ffmpeg {

namespace {
std::uint32_t le32(const std::uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (std::uint32_t(p[3]) << 24); }
}  // namespace

double riff_declared_seconds(MediaSource& source) {
  constexpr int kScan = 4096;  // the fmt and data chunks sit at the start of any real WAV
  std::uint8_t buf[kScan];
  if (source.seek_to(0) != 0) return 0.0;
  int n = 0;
  while (n < kScan) {
    int got = source.read(buf + n, kScan - n);
    if (got <= 0) break;
    n += got;
  }
  source.seek_to(0);
  if (n < 12 || std::memcmp(buf, "RIFF", 4) != 0 || std::memcmp(buf + 8, "WAVE", 4) != 0) return 0.0;
  std::uint32_t byte_rate = 0;
  for (int pos = 12; pos + 8 <= n;) {
    const std::uint32_t size = le32(buf + pos + 4);
    if (std::memcmp(buf + pos, "fmt ", 4) == 0 && pos + 20 <= n) byte_rate = le32(buf + pos + 16);
    if (std::memcmp(buf + pos, "data", 4) == 0) {
      if (size == 0 || size == 0xFFFFFFFFu || byte_rate == 0) return 0.0;
      return double(size) / double(byte_rate);
    }
    pos += 8 + int(size + (size & 1));  // chunks are word-aligned
    if (size > std::uint32_t(kScan)) break;
  }
  return 0.0;
}

}  // namespace vox::ffmpeg
