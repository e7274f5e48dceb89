// Any FFmpeg sample layout/format/rate → mono float at one target rate. Shared by the decoder
// (codec frames → 16 kHz for the engines) and the encoder (synthesiser rate → codec rate).
#pragma once

#include <cstdint>
#include <vector>

#include "vox/audio/ffmpeg_util.h"
#include "vox/core/error.h"

namespace vox::ffmpeg {

class MonoResampler {
 public:
  explicit MonoResampler(int out_rate) : out_rate_(out_rate) {}
  ~MonoResampler() { av_channel_layout_uninit(&layout_); }
  MonoResampler(const MonoResampler&) = delete;
  MonoResampler& operator=(const MonoResampler&) = delete;

  // Appends the converted samples of `frame` to `out`. Re-creates the converter when the input
  // layout, format or rate changes mid-stream (chained ogg, adaptive streams).
  Status push(const AVFrame& frame, std::vector<float>& out);
  // Mono float input at `in_rate`.
  Status push(const float* samples, int count, int in_rate, std::vector<float>& out);
  // Drains the samples the converter still holds.
  Status flush(std::vector<float>& out);

 private:
  Status configure(const AVChannelLayout& layout, AVSampleFormat format, int rate);
  Status convert(const std::uint8_t** in, int in_count, std::vector<float>& out);

  int out_rate_;
  SwrPtr swr_;
  AVChannelLayout layout_{};
  AVSampleFormat format_ = AV_SAMPLE_FMT_NONE;
  int in_rate_ = 0;
};

}  // namespace vox::ffmpeg
