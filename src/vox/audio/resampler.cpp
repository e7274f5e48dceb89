#include "vox/audio/resampler.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace vox::ffmpeg {

Status MonoResampler::configure(const AVChannelLayout& layout, AVSampleFormat format, int rate) {
  if (swr_ && format == format_ && rate == in_rate_ && av_channel_layout_compare(&layout, &layout_) == 0)
    return Status::Ok();
  if (rate <= 0 || layout.nb_channels <= 0)
    return Error(ErrorCode::kInvalidAudio, "the audio stream declares no sample rate or no channels");
  // Frames of a layout change: whatever the old converter still buffers is a few samples of
  // filter delay; dropping it is inaudible and keeps the timeline aligned with the input.
  AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
  AVChannelLayout in_layout{};
  if (layout.order == AV_CHANNEL_ORDER_UNSPEC) av_channel_layout_default(&in_layout, layout.nb_channels);
  else if (av_channel_layout_copy(&in_layout, &layout) < 0) return Error(ErrorCode::kInternal, "out of memory");
  SwrContext* raw = nullptr;
  int rc = swr_alloc_set_opts2(&raw, &mono, AV_SAMPLE_FMT_FLT, out_rate_, &in_layout, format, rate, 0, nullptr);
  av_channel_layout_uninit(&in_layout);
  SwrPtr swr(raw);
  if (rc < 0 || (rc = swr_init(swr.get())) < 0)
    return Error(ErrorCode::kInvalidAudio, "cannot convert this audio layout: " + error_string(rc));
  swr_ = std::move(swr);
  av_channel_layout_uninit(&layout_);
  if (av_channel_layout_copy(&layout_, &layout) < 0) return Error(ErrorCode::kInternal, "out of memory");
  format_ = format;
  in_rate_ = rate;
  return Status::Ok();
}

Status MonoResampler::convert(const std::uint8_t** in, int in_count, std::vector<float>& out) {
  int room = swr_get_out_samples(swr_.get(), in_count);
  if (room < 0) return Error(ErrorCode::kInternal, "resampler: " + error_string(room));
  size_t old = out.size();
  out.resize(old + size_t(room));
  auto* dst = reinterpret_cast<std::uint8_t*>(out.data() + old);
  int got = swr_convert(swr_.get(), &dst, room, in, in_count);
  if (got < 0) {
    out.resize(old);
    return Error(ErrorCode::kInternal, "resampler: " + error_string(got));
  }
  out.resize(old + size_t(got));
  return Status::Ok();
}

Status MonoResampler::push(const AVFrame& frame, std::vector<float>& out) {
  if (Status s = configure(frame.ch_layout, AVSampleFormat(frame.format), frame.sample_rate); !s) return s;
  return convert(const_cast<const std::uint8_t**>(frame.extended_data), frame.nb_samples, out);
}

Status MonoResampler::push(const float* samples, int count, int in_rate, std::vector<float>& out) {
  AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
  if (Status s = configure(mono, AV_SAMPLE_FMT_FLT, in_rate); !s) return s;
  const auto* in = reinterpret_cast<const std::uint8_t*>(samples);
  return convert(&in, count, out);
}

Status MonoResampler::flush(std::vector<float>& out) {
  if (!swr_) return Status::Ok();
  return convert(nullptr, 0, out);
}

}  // namespace vox::ffmpeg
