// The FFmpeg decoder: libavformat demuxes from a MediaSource (memory or file, read in 64 KiB
// pieces), libavcodec decodes the best audio stream, MonoResampler makes 16 kHz mono float.
// Only the decoded samples are kept; the compressed input is never copied.
//
// Each failure has its own code (FFmpeg itself says "Invalid data found" for nearly all of them):
//   kEmptyInput      zero bytes, or a stream that decodes to no sample
//   kInvalidAudio    nothing FFmpeg recognises, or a stream whose every packet fails to decode
//   kNoAudioStream   a container with streams but no audio (a silent video)
//   kTruncatedAudio  decoded audio much shorter than the container declares (cut-off uploads)
//   kTooLarge        over DecodeLimits::max_bytes; kTooLong over max_duration_s (declared or decoded)
#include <algorithm>
#include <cmath>

#include "vox/audio/decoder.h"
#include "vox/audio/ffmpeg_util.h"
#include "vox/audio/media_source.h"
#include "vox/audio/resampler.h"
#include "vox/audio/riff_header.h"

namespace vox {
namespace {

// A file is "truncated" when at least this share of its declared duration is missing and the gap
// is longer than kTruncatedMinGapS: estimates from bitrate are rough, real cut-offs are large.
constexpr double kTruncatedMissingShare = 0.10;
constexpr double kTruncatedMinGapS = 1.0;
constexpr int kMaxBadPacketsBeforeGivingUp = 64;  // consecutive undecodable packets

struct FormatCloser {
  void operator()(AVFormatContext* f) const { avformat_close_input(&f); }
};
using FormatPtr = std::unique_ptr<AVFormatContext, FormatCloser>;

std::string human_duration(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f:%02.0f:%02.0f", std::floor(s / 3600), std::floor(std::fmod(s, 3600) / 60),
                std::floor(std::fmod(s, 60)));
  return buf;
}

// Declared duration of the stream (or the container), in seconds; 0 when unknown.
double declared_duration(const AVFormatContext& fmt, const AVStream& st) {
  if (st.duration > 0 && st.time_base.den > 0) return double(st.duration) * av_q2d(st.time_base);
  if (fmt.duration > 0) return double(fmt.duration) / AV_TIME_BASE;
  return 0.0;
}

class Decoding {
 public:
  Decoding(ffmpeg::MediaSource& source, const DecodeOptions& options)
      : source_(source), options_(options), resampler_(options.target_sample_rate) {}

  Result<AudioBuffer> run() {
    if (source_.size() == 0) return Error(ErrorCode::kEmptyInput, "the audio file is empty (0 bytes)");
    if (source_.size() > options_.limits.max_bytes)
      return Error(ErrorCode::kTooLarge, "the file is " + std::to_string(source_.size()) + " bytes; the limit is " +
                                             std::to_string(options_.limits.max_bytes));
    if (Status s = open(); !s) return s.error();
    if (Status s = decode_all(); !s) return s.error();
    if (out_.samples.empty())
      return Error(ErrorCode::kEmptyInput, "the audio stream contains no samples");
    if (Status s = check_complete(); !s) return s.error();
    report(options_.progress, "decode", 1.0);
    out_.samples.shrink_to_fit();
    return std::move(out_);
  }

 private:
  Status open() {
    riff_declared_s_ = ffmpeg::riff_declared_seconds(source_);
    auto avio = source_.avio();
    if (!avio) return avio.error();
    AVFormatContext* raw = avformat_alloc_context();
    if (!raw) return Error(ErrorCode::kInternal, "out of memory");
    raw->pb = *avio;
    raw->flags |= AVFMT_FLAG_CUSTOM_IO;
    int rc = avformat_open_input(&raw, nullptr, nullptr, nullptr);  // frees raw on failure
    if (rc < 0) {
      if (source_.io_failed()) return Error(ErrorCode::kIo, "reading the audio failed");
      return Error(ErrorCode::kInvalidAudio, "not a recognised audio or video file (" + ffmpeg::error_string(rc) + ")");
    }
    fmt_.reset(raw);
    rc = avformat_find_stream_info(fmt_.get(), nullptr);
    if (rc < 0) return Error(ErrorCode::kInvalidAudio, "cannot read the media streams: " + ffmpeg::error_string(rc));
    const AVCodec* codec = nullptr;
    stream_index_ = av_find_best_stream(fmt_.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    if (stream_index_ == AVERROR_STREAM_NOT_FOUND)
      return Error(ErrorCode::kNoAudioStream, fmt_->nb_streams == 0 ? "the file contains no media streams"
                                                                    : "the file has no audio track");
    if (stream_index_ < 0 || !codec)
      return Error(ErrorCode::kInvalidAudio, "no decoder for this audio codec (" + ffmpeg::error_string(stream_index_) + ")");
    AVStream* st = fmt_->streams[stream_index_];
    for (unsigned i = 0; i < fmt_->nb_streams; ++i)
      if (int(i) != stream_index_) fmt_->streams[i]->discard = AVDISCARD_ALL;
    declared_s_ = declared_duration(*fmt_, *st);
    if (declared_s_ > options_.limits.max_duration_s) return too_long(declared_s_);

    ctx_.reset(avcodec_alloc_context3(codec));
    if (!ctx_) return Error(ErrorCode::kInternal, "out of memory");
    if ((rc = avcodec_parameters_to_context(ctx_.get(), st->codecpar)) < 0 ||
        (rc = avcodec_open2(ctx_.get(), codec, nullptr)) < 0)
      return Error(ErrorCode::kInvalidAudio, std::string("cannot open the ") + codec->name + " decoder: " +
                                                 ffmpeg::error_string(rc));
    if (declared_s_ > 0) out_.samples.reserve(size_t(declared_s_ * options_.target_sample_rate * 1.01) + 1024);
    out_.sample_rate = options_.target_sample_rate;
    return Status::Ok();
  }

  // `seconds`: the declared duration, or 0 when the limit was crossed while decoding.
  Status too_long(double seconds) const {
    const std::string limit = human_duration(options_.limits.max_duration_s);
    return Error(ErrorCode::kTooLong, seconds > 0 ? "the audio lasts " + human_duration(seconds) + "; the limit is " + limit
                                                  : "the audio is longer than the limit of " + limit);
  }

  Status decode_all() {
    ffmpeg::PacketPtr pkt(av_packet_alloc());
    ffmpeg::FramePtr frame(av_frame_alloc());
    if (!pkt || !frame) return Error(ErrorCode::kInternal, "out of memory");
    const size_t max_samples = size_t(options_.limits.max_duration_s * options_.target_sample_rate);
    int packets = 0;
    for (;;) {
      int rc = av_read_frame(fmt_.get(), pkt.get());
      if (rc < 0) {
        if (source_.io_failed()) return Error(ErrorCode::kIo, "reading the audio failed");
        break;  // end of data, or a damaged tail: check_complete() judges what was decoded
      }
      if (pkt->stream_index == stream_index_) {
        rc = avcodec_send_packet(ctx_.get(), pkt.get());
        if (rc < 0 && rc != AVERROR(EAGAIN)) ++bad_packets_, ++consecutive_bad_;
        else consecutive_bad_ = 0;
        if (consecutive_bad_ > kMaxBadPacketsBeforeGivingUp && out_.samples.empty())
          return Error(ErrorCode::kInvalidAudio, "the audio stream cannot be decoded (" + ffmpeg::error_string(rc) + ")");
        if (Status s = receive(frame.get()); !s) return s;
      }
      av_packet_unref(pkt.get());
      if (out_.samples.size() > max_samples) return too_long(0);
      if (++packets % 256 == 0) {
        if (options_.cancel.cancelled()) return Error(ErrorCode::kCancelled, "decoding cancelled");
        report(options_.progress, "decode", std::min(0.99, double(source_.position()) / double(source_.size())));
      }
    }
    avcodec_send_packet(ctx_.get(), nullptr);  // drain
    if (Status s = receive(frame.get()); !s) return s;
    if (Status s = resampler_.flush(out_.samples); !s) return s;
    // Float PCM (WAV, CAF, ...) can carry NaN and infinity, which no engine expects (fuzz/regressions).
    for (float& sample : out_.samples)
      if (!std::isfinite(sample)) sample = 0.0f;
    if (out_.samples.empty() && bad_packets_ > 0)
      return Error(ErrorCode::kInvalidAudio, "the audio stream cannot be decoded");
    if (out_.samples.size() > max_samples) return too_long(0);
    return Status::Ok();
  }

  Status receive(AVFrame* frame) {
    for (;;) {
      int rc = avcodec_receive_frame(ctx_.get(), frame);
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return Status::Ok();
      if (rc < 0) {
        ++bad_packets_;
        return Status::Ok();  // a damaged frame: skip it as ffmpeg(1) does
      }
      Status s = resampler_.push(*frame, out_.samples);
      av_frame_unref(frame);
      if (!s) return s;
    }
  }

  Status check_complete() const {
    const double decoded = out_.duration();
    const double declared = std::max(declared_s_, riff_declared_s_);
    const double missing = declared - decoded;
    if (declared > 0 && missing > kTruncatedMinGapS && missing > kTruncatedMissingShare * declared) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "the file ends early: %.1f s of a declared %.1f s could be decoded (truncated upload?)",
                    decoded, declared);
      return Error(ErrorCode::kTruncatedAudio, buf);
    }
    return Status::Ok();
  }

  ffmpeg::MediaSource& source_;
  const DecodeOptions& options_;
  ffmpeg::MonoResampler resampler_;
  FormatPtr fmt_;
  ffmpeg::CodecContextPtr ctx_;
  int stream_index_ = -1;
  double declared_s_ = 0.0;       // what the container tells FFmpeg
  double riff_declared_s_ = 0.0;  // what a WAV header promises (FFmpeg clamps it to the bytes present)
  int bad_packets_ = 0;
  int consecutive_bad_ = 0;
  AudioBuffer out_;
};

class FfmpegDecoder final : public AudioDecoder {
 public:
  Result<AudioBuffer> decode_file(const std::string& path, const DecodeOptions& options) override {
    ffmpeg::init_once();
    auto source = ffmpeg::open_file_source(path);
    if (!source) return source.error();
    return Decoding(**source, options).run();
  }

  Result<AudioBuffer> decode_memory(std::string_view data, const DecodeOptions& options) override {
    ffmpeg::init_once();
    auto source = ffmpeg::make_memory_source(data);
    return Decoding(*source, options).run();
  }
};

}  // namespace

std::unique_ptr<AudioDecoder> make_ffmpeg_decoder() { return std::make_unique<FfmpegDecoder>(); }

}  // namespace vox
