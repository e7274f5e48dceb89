// Audio decoder interface: any container/codec → 16 kHz mono float.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "vox/audio/audio.h"
#include "vox/core/error.h"
#include "vox/core/progress.h"

namespace vox {

struct DecodeLimits {
  std::uint64_t max_bytes = 1ull << 30;   // 1 GiB upload / file size
  double max_duration_s = 8 * 3600.0;     // 8 hours
};

struct DecodeOptions {
  DecodeLimits limits;
  int target_sample_rate = kAsrSampleRate;
  ProgressFn progress;  // stage "decode"
  CancelToken cancel;
};

class AudioDecoder {
 public:
  virtual ~AudioDecoder() = default;
  // Decodes a file, streaming from disk.
  virtual Result<AudioBuffer> decode_file(const std::string& path, const DecodeOptions& options) = 0;
  // Decodes an in-memory upload without copying it to disk.
  virtual Result<AudioBuffer> decode_memory(std::string_view data, const DecodeOptions& options) = 0;
};

// The FFmpeg (libavformat/libavcodec/libswresample) decoder.
std::unique_ptr<AudioDecoder> make_ffmpeg_decoder();

}  // namespace vox
