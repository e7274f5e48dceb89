#include <array>

#include "vox/audio/encoders.h"

namespace vox {
namespace {

struct FormatInfo {
  AudioFormat format;
  const char* name;
  const char* content_type;
};

constexpr std::array<FormatInfo, 6> kFormats = {{
    {AudioFormat::kMp3, "mp3", "audio/mpeg"},
    {AudioFormat::kOpus, "opus", "audio/ogg"},
    {AudioFormat::kAac, "aac", "audio/aac"},
    {AudioFormat::kFlac, "flac", "audio/flac"},
    {AudioFormat::kWav, "wav", "audio/wav"},
    {AudioFormat::kPcm, "pcm", "audio/pcm"},
}};

const FormatInfo& info(AudioFormat f) {
  for (const auto& i : kFormats)
    if (i.format == f) return i;
  return kFormats[0];
}

}  // namespace

Result<AudioFormat> parse_audio_format(std::string_view name) {
  for (const auto& i : kFormats)
    if (name == i.name) return i.format;
  return Error(ErrorCode::kInvalidArgument,
               "unsupported audio format '" + std::string(name) + "' (use mp3, opus, aac, flac, wav or pcm)");
}

const char* audio_format_name(AudioFormat format) { return info(format).name; }
const char* audio_format_content_type(AudioFormat format) { return info(format).content_type; }
int audio_format_sample_rate(AudioFormat format) { return format == AudioFormat::kOpus ? kOpusRate : kSpeechOutputRate; }

Result<std::unique_ptr<AudioEncoder>> AudioEncoder::create(AudioFormat format, int input_rate, int bitrate) {
  if (input_rate <= 0) return Error(ErrorCode::kInvalidArgument, "encoder input rate must be positive");
  if (bitrate < 0) return Error(ErrorCode::kInvalidArgument, "bitrate must not be negative");
  switch (format) {
    case AudioFormat::kWav: return make_pcm_encoder(input_rate, true);
    case AudioFormat::kPcm: return make_pcm_encoder(input_rate, false);
    default: return make_ffmpeg_encoder(format, input_rate, bitrate);
  }
}

}  // namespace vox
