// WAV and raw PCM: 16-bit little-endian mono, written by hand (no codec needed). A streamed WAV
// has no known length when its header goes out, so it uses the 0xFFFFFFFF "unknown size" that
// streaming readers (FFmpeg, browsers) accept.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "vox/audio/encoder.h"
#include "vox/audio/encoders.h"
#include "vox/audio/resampler.h"

namespace vox {
namespace {

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(char((v >> (8 * i)) & 0xFF));
}
void put_u16(std::string& out, std::uint16_t v) {
  out.push_back(char(v & 0xFF));
  out.push_back(char(v >> 8));
}

std::string wav_header(int rate, std::uint32_t data_bytes) {
  std::string h;
  h += "RIFF";
  put_u32(h, data_bytes == 0xFFFFFFFFu ? 0xFFFFFFFFu : 36 + data_bytes);
  h += "WAVEfmt ";
  put_u32(h, 16);
  put_u16(h, 1);  // PCM
  put_u16(h, 1);  // mono
  put_u32(h, std::uint32_t(rate));
  put_u32(h, std::uint32_t(rate) * 2);
  put_u16(h, 2);
  put_u16(h, 16);
  h += "data";
  put_u32(h, data_bytes);
  return h;
}

void append_s16(std::string& out, std::span<const float> samples) {
  out.reserve(out.size() + samples.size() * 2);
  for (float x : samples) {
    float c = std::clamp(x, -1.0f, 1.0f);
    auto v = std::int16_t(std::lrint(c * 32767.0f));
    put_u16(out, std::uint16_t(v));
  }
}

class PcmEncoder final : public AudioEncoder {
 public:
  PcmEncoder(int input_rate, bool wav_header) : input_rate_(input_rate), header_(wav_header), resampler_(kSpeechOutputRate) {}

  Result<std::string> write(std::span<const float> samples) override {
    std::string out = take_header();
    if (samples.empty()) return out;
    std::vector<float> resampled;
    if (Status s = resampler_.push(samples.data(), int(samples.size()), input_rate_, resampled); !s) return s.error();
    append_s16(out, resampled);
    return out;
  }

  Result<std::string> finish() override {
    std::string out = take_header();
    std::vector<float> tail;
    if (Status s = resampler_.flush(tail); !s) return s.error();
    append_s16(out, tail);
    return out;
  }

 private:
  std::string take_header() {
    if (!header_) return {};
    header_ = false;
    return wav_header(kSpeechOutputRate, 0xFFFFFFFFu);
  }

  int input_rate_;
  bool header_;
  ffmpeg::MonoResampler resampler_;
};

}  // namespace

std::string wav_bytes(const AudioBuffer& audio) {
  std::string out = wav_header(audio.sample_rate, std::uint32_t(audio.samples.size() * 2));
  append_s16(out, audio.samples);
  return out;
}

std::unique_ptr<AudioEncoder> make_pcm_encoder(int input_rate, bool wav_header) {
  return std::make_unique<PcmEncoder>(input_rate, wav_header);
}

}  // namespace vox
