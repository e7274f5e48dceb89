// Small shared pieces for code that talks to the FFmpeg libraries: one-time log silencing,
// readable error strings and RAII owners for the C structs.
#pragma once

#include <memory>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswresample/swresample.h>
}

namespace vox::ffmpeg {

// Quietens FFmpeg's own stderr logging (errors are reported through vox::Error instead).
// Cheap and safe to call from every entry point and from many threads.
void init_once();

// av_strerror as a std::string.
std::string error_string(int averror);

struct FrameDeleter { void operator()(AVFrame* f) const { av_frame_free(&f); } };
struct PacketDeleter { void operator()(AVPacket* p) const { av_packet_free(&p); } };
struct CodecContextDeleter { void operator()(AVCodecContext* c) const { avcodec_free_context(&c); } };
struct SwrDeleter { void operator()(SwrContext* s) const { swr_free(&s); } };

using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using SwrPtr = std::unique_ptr<SwrContext, SwrDeleter>;

}  // namespace vox::ffmpeg
