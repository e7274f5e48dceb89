// mp3 (libmp3lame in MPEG audio), opus (libopus in Ogg), aac (ADTS), flac — through libavcodec and
// libavformat, muxed into memory. mp3, opus and aac are written without seek-back (no Xing
// totals), which is what lets every piece be sent before the next sentence exists. FLAC readers
// take the duration from STREAMINFO, which the muxer can only fill in by seeking back at the end,
// so FLAC is muxed into a seekable buffer and handed out whole by finish().
#include <algorithm>
#include <cstring>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include "vox/audio/encoders.h"
#include "vox/audio/ffmpeg_util.h"
#include "vox/audio/resampler.h"

namespace vox {
namespace {

struct Target {
  const char* muxer;
  const char* encoder;  // preferred encoder name; falls back to the codec id's default
  AVCodecID codec;
  int default_bitrate;
  bool seekable;  // mux into a seekable buffer, emitted only by finish()
};

Target target_of(AudioFormat f) {
  switch (f) {
    case AudioFormat::kMp3: return {"mp3", "libmp3lame", AV_CODEC_ID_MP3, 64000, false};
    case AudioFormat::kOpus: return {"ogg", "libopus", AV_CODEC_ID_OPUS, 32000, false};
    case AudioFormat::kAac: return {"adts", "aac", AV_CODEC_ID_AAC, 64000, false};
    default: return {"flac", "flac", AV_CODEC_ID_FLAC, 0, true};
  }
}

// Sample formats we can fill from floats, best first.
constexpr AVSampleFormat kFillable[] = {AV_SAMPLE_FMT_FLTP, AV_SAMPLE_FMT_FLT, AV_SAMPLE_FMT_S16P,
                                        AV_SAMPLE_FMT_S16, AV_SAMPLE_FMT_S32P, AV_SAMPLE_FMT_S32};

AVSampleFormat pick_sample_format(const AVCodec& codec) {
  if (!codec.sample_fmts) return AV_SAMPLE_FMT_FLT;
  for (AVSampleFormat want : kFillable)
    for (const AVSampleFormat* f = codec.sample_fmts; *f != AV_SAMPLE_FMT_NONE; ++f)
      if (*f == want) return want;
  return AV_SAMPLE_FMT_NONE;
}

// Mono, so planar and packed layouts are the same bytes.
void fill(AVFrame& frame, const float* src, int n) {
  auto fmt = av_get_packed_sample_fmt(AVSampleFormat(frame.format));
  std::uint8_t* dst = frame.data[0];
  for (int i = 0; i < n; ++i) {
    float x = std::clamp(src[i], -1.0f, 1.0f);
    if (fmt == AV_SAMPLE_FMT_FLT) reinterpret_cast<float*>(dst)[i] = x;
    else if (fmt == AV_SAMPLE_FMT_S16) reinterpret_cast<std::int16_t*>(dst)[i] = std::int16_t(x * 32767.0f);
    else reinterpret_cast<std::int32_t*>(dst)[i] = std::int32_t(double(x) * 2147483647.0);
  }
}

class FfmpegEncoder final : public AudioEncoder {
 public:
  FfmpegEncoder(int input_rate, int output_rate)
      : input_rate_(input_rate), output_rate_(output_rate), resampler_(output_rate) {}

  ~FfmpegEncoder() override {
    if (oc_) {
      if (oc_->pb) {
        av_freep(&oc_->pb->buffer);
        avio_context_free(&oc_->pb);
      }
      avformat_free_context(oc_);
    }
  }

  Status open(AudioFormat format, int bitrate) {
    ffmpeg::init_once();
    const Target t = target_of(format);
    const AVCodec* codec = avcodec_find_encoder_by_name(t.encoder);
    if (!codec) codec = avcodec_find_encoder(t.codec);
    if (!codec) return Error(ErrorCode::kUnavailable, std::string("this FFmpeg build has no ") + t.encoder + " encoder");
    ctx_.reset(avcodec_alloc_context3(codec));
    if (!ctx_) return Error(ErrorCode::kInternal, "out of memory");
    ctx_->sample_rate = output_rate_;
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    av_channel_layout_copy(&ctx_->ch_layout, &mono);
    ctx_->sample_fmt = pick_sample_format(*codec);
    if (ctx_->sample_fmt == AV_SAMPLE_FMT_NONE)
      return Error(ErrorCode::kUnavailable, std::string("no usable sample format for ") + codec->name);
    ctx_->time_base = AVRational{1, ctx_->sample_rate};
    if (int b = bitrate > 0 ? bitrate : t.default_bitrate; b > 0) ctx_->bit_rate = b;
    if (int rc = avformat_alloc_output_context2(&oc_, nullptr, t.muxer, nullptr); rc < 0 || !oc_)
      return Error(ErrorCode::kUnavailable, std::string("no ") + t.muxer + " muxer: " + ffmpeg::error_string(rc));
    if (oc_->oformat->flags & AVFMT_GLOBALHEADER) ctx_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (int rc = avcodec_open2(ctx_.get(), codec, nullptr); rc < 0)
      return Error(ErrorCode::kInternal, std::string("cannot open the ") + codec->name + " encoder: " + ffmpeg::error_string(rc));
    frame_size_ = ctx_->frame_size > 0 ? ctx_->frame_size : 1024;
    variable_last_ = codec->capabilities & (AV_CODEC_CAP_SMALL_LAST_FRAME | AV_CODEC_CAP_VARIABLE_FRAME_SIZE);

    stream_ = avformat_new_stream(oc_, nullptr);
    if (!stream_) return Error(ErrorCode::kInternal, "out of memory");
    stream_->time_base = ctx_->time_base;
    if (int rc = avcodec_parameters_from_context(stream_->codecpar, ctx_.get()); rc < 0)
      return Error(ErrorCode::kInternal, "encoder parameters: " + ffmpeg::error_string(rc));
    constexpr int kBuf = 32 * 1024;
    auto* buf = static_cast<std::uint8_t*>(av_malloc(kBuf));
    if (!buf) return Error(ErrorCode::kInternal, "out of memory");
    seekable_ = t.seekable;
    oc_->pb = avio_alloc_context(buf, kBuf, 1, this, nullptr, &FfmpegEncoder::write_cb,
                                 seekable_ ? &FfmpegEncoder::seek_cb : nullptr);
    if (!oc_->pb) {
      av_free(buf);
      return Error(ErrorCode::kInternal, "out of memory");
    }
    oc_->flags |= AVFMT_FLAG_CUSTOM_IO | AVFMT_FLAG_FLUSH_PACKETS;
    if (int rc = avformat_write_header(oc_, nullptr); rc < 0)
      return Error(ErrorCode::kInternal, std::string("cannot start the ") + t.muxer + " stream: " + ffmpeg::error_string(rc));
    frame_.reset(av_frame_alloc());
    packet_.reset(av_packet_alloc());
    if (!frame_ || !packet_) return Error(ErrorCode::kInternal, "out of memory");
    return Status::Ok();
  }

  Result<std::string> write(std::span<const float> samples) override {
    if (!samples.empty())
      if (Status s = resampler_.push(samples.data(), int(samples.size()), input_rate_, pending_); !s) return s.error();
    if (Status s = encode_full_frames(); !s) return s.error();
    return take();
  }

  Result<std::string> finish() override {
    if (Status s = resampler_.flush(pending_); !s) return s.error();
    if (Status s = encode_full_frames(); !s) return s.error();
    if (!pending_.empty()) {
      if (!variable_last_) pending_.resize(size_t(frame_size_), 0.0f);  // pad the final frame with silence
      if (Status s = encode(pending_.data(), int(pending_.size())); !s) return s.error();
      pending_.clear();
    }
    if (Status s = send(nullptr); !s) return s.error();
    if (int rc = av_write_trailer(oc_); rc < 0)
      return Error(ErrorCode::kInternal, "cannot finish the stream: " + ffmpeg::error_string(rc));
    finished_ = true;
    return take();
  }

 private:
  static int write_cb(void* opaque, std::uint8_t* buf, int size) {
    auto* self = static_cast<FfmpegEncoder*>(opaque);
    std::string& out = self->out_;
    if (self->pos_ + size_t(size) > out.size()) out.resize(self->pos_ + size_t(size));
    std::memcpy(out.data() + self->pos_, buf, size_t(size));
    self->pos_ += size_t(size);
    return size;
  }

  static std::int64_t seek_cb(void* opaque, std::int64_t offset, int whence) {
    auto* self = static_cast<FfmpegEncoder*>(opaque);
    const auto size = std::int64_t(self->out_.size());
    switch (whence & ~AVSEEK_FORCE) {
      case AVSEEK_SIZE: return size;
      case SEEK_SET: break;
      case SEEK_CUR: offset += std::int64_t(self->pos_); break;
      case SEEK_END: offset += size; break;
      default: return AVERROR(EINVAL);
    }
    if (offset < 0 || offset > size) return AVERROR(EINVAL);
    self->pos_ = size_t(offset);
    return offset;
  }

  Status encode_full_frames() {
    size_t used = 0;
    while (pending_.size() - used >= size_t(frame_size_)) {
      if (Status s = encode(pending_.data() + used, frame_size_); !s) return s;
      used += size_t(frame_size_);
    }
    pending_.erase(pending_.begin(), pending_.begin() + std::ptrdiff_t(used));
    return Status::Ok();
  }

  Status encode(const float* samples, int n) {
    av_frame_unref(frame_.get());
    frame_->nb_samples = n;
    frame_->format = ctx_->sample_fmt;
    frame_->sample_rate = ctx_->sample_rate;
    av_channel_layout_copy(&frame_->ch_layout, &ctx_->ch_layout);
    if (int rc = av_frame_get_buffer(frame_.get(), 0); rc < 0)
      return Error(ErrorCode::kInternal, "frame buffer: " + ffmpeg::error_string(rc));
    fill(*frame_, samples, n);
    frame_->pts = next_pts_;
    next_pts_ += n;
    return send(frame_.get());
  }

  Status send(AVFrame* frame) {
    if (int rc = avcodec_send_frame(ctx_.get(), frame); rc < 0)
      return Error(ErrorCode::kInternal, "encoding failed: " + ffmpeg::error_string(rc));
    for (;;) {
      int rc = avcodec_receive_packet(ctx_.get(), packet_.get());
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return Status::Ok();
      if (rc < 0) return Error(ErrorCode::kInternal, "encoding failed: " + ffmpeg::error_string(rc));
      av_packet_rescale_ts(packet_.get(), ctx_->time_base, stream_->time_base);
      packet_->stream_index = stream_->index;
      rc = av_write_frame(oc_, packet_.get());
      av_packet_unref(packet_.get());
      if (rc < 0) return Error(ErrorCode::kInternal, "muxing failed: " + ffmpeg::error_string(rc));
    }
  }

  std::string take() {
    avio_flush(oc_->pb);
    if (seekable_ && !finished_) return {};
    std::string bytes;
    bytes.swap(out_);
    pos_ = 0;
    return bytes;
  }

  int input_rate_;
  int output_rate_;
  ffmpeg::MonoResampler resampler_;
  ffmpeg::CodecContextPtr ctx_;
  AVFormatContext* oc_ = nullptr;
  AVStream* stream_ = nullptr;
  ffmpeg::FramePtr frame_;
  ffmpeg::PacketPtr packet_;
  std::vector<float> pending_;  // resampled, not yet a full frame
  std::int64_t next_pts_ = 0;
  int frame_size_ = 1024;
  bool variable_last_ = false;
  std::string out_;  // muxed bytes not yet handed out
  size_t pos_ = 0;   // write position in out_
  bool seekable_ = false;
  bool finished_ = false;
};

}  // namespace

Result<std::unique_ptr<AudioEncoder>> make_ffmpeg_encoder(AudioFormat format, int input_rate, int bitrate) {
  auto enc = std::make_unique<FfmpegEncoder>(input_rate, audio_format_sample_rate(format));
  if (Status s = enc->open(format, bitrate); !s) return s.error();
  return std::unique_ptr<AudioEncoder>(std::move(enc));
}

}  // namespace vox
