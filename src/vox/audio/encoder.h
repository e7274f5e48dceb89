// Audio encoder interface: mono float → the bytes of one response format, produced piece by piece
// so the speech API can stream each sentence as soon as it is synthesised.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "vox/audio/audio.h"
#include "vox/core/error.h"

namespace vox {

enum class AudioFormat { kMp3, kOpus, kAac, kFlac, kWav, kPcm };

// Rates of the encoded output. PCM is raw 16-bit little-endian mono at 24 kHz like OpenAI's;
// Opus is always 48 kHz (the only rate every Opus decoder reports).
inline constexpr int kSpeechOutputRate = 24000;
inline constexpr int kOpusRate = 48000;

// "mp3" | "opus" | "aac" | "flac" | "wav" | "pcm".
Result<AudioFormat> parse_audio_format(std::string_view name);
const char* audio_format_name(AudioFormat format);
const char* audio_format_content_type(AudioFormat format);
int audio_format_sample_rate(AudioFormat format);

// A complete 16-bit PCM WAV file of `audio` at its own sample rate.
std::string wav_bytes(const AudioBuffer& audio);

class AudioEncoder {
 public:
  virtual ~AudioEncoder() = default;
  // `input_rate`: the rate of the samples given to write(); `bitrate` in bit/s, 0 = the format's default.
  static Result<std::unique_ptr<AudioEncoder>> create(AudioFormat format, int input_rate, int bitrate);
  // Encodes more samples; returns the bytes that are ready (possibly none).
  virtual Result<std::string> write(std::span<const float> samples) = 0;
  // Flushes the codec and the container; returns the last bytes. Call once, after the last write.
  virtual Result<std::string> finish() = 0;
};

}  // namespace vox
