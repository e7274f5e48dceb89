// The FFmpeg decoder and the encoders: every response format decodes back to the audio it was
// given, files and memory decode alike, and each bad input has its own error code.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "vox/audio/decoder.h"
#include "vox/audio/encoder.h"

namespace vox {
namespace {

AudioBuffer tone(double seconds, int rate, double hz = 440.0) {
  AudioBuffer a;
  a.sample_rate = rate;
  a.samples.resize(size_t(seconds * rate));
  for (size_t i = 0; i < a.samples.size(); ++i) a.samples[i] = 0.5f * float(std::sin(2 * M_PI * hz * double(i) / rate));
  return a;
}

std::string encode(AudioFormat format, const AudioBuffer& audio) {
  auto enc = AudioEncoder::create(format, audio.sample_rate, 0);
  EXPECT_TRUE(enc.ok()) << enc.error().message;
  std::string out;
  // In pieces, as the speech API streams sentences.
  const size_t piece = size_t(audio.sample_rate) / 3;
  for (size_t i = 0; i < audio.samples.size(); i += piece) {
    auto n = std::min(piece, audio.samples.size() - i);
    auto bytes = (*enc)->write(std::span<const float>(audio.samples.data() + i, n));
    EXPECT_TRUE(bytes.ok());
    out += *bytes;
  }
  auto tail = (*enc)->finish();
  EXPECT_TRUE(tail.ok());
  return out + *tail;
}

Result<AudioBuffer> decode(std::string_view bytes, DecodeOptions options = {}) {
  return make_ffmpeg_decoder()->decode_memory(bytes, options);
}

// The error code of a decode that must fail (kInternal if it unexpectedly succeeded).
ErrorCode code_of(const Result<AudioBuffer>& r) {
  EXPECT_FALSE(r.ok()) << "decoded " << (r.ok() ? r->duration() : 0) << " s";
  return r.ok() ? ErrorCode::kInternal : r.error().code;
}

double rms(std::span<const float> x) {
  double e = 0;
  for (float v : x) e += double(v) * v;
  return x.empty() ? 0 : std::sqrt(e / double(x.size()));
}

TEST(AudioCodec, EveryFormatRoundTripsToTheSameDuration) {
  const AudioBuffer src = tone(2.0, 16000);
  for (AudioFormat f : {AudioFormat::kMp3, AudioFormat::kOpus, AudioFormat::kAac, AudioFormat::kFlac, AudioFormat::kWav}) {
    SCOPED_TRACE(audio_format_name(f));
    std::string bytes = encode(f, src);
    ASSERT_FALSE(bytes.empty());
    auto back = decode(bytes);
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->sample_rate, 16000);
    EXPECT_NEAR(back->duration(), 2.0, 0.08);
    EXPECT_NEAR(rms(back->samples), rms(src.samples), 0.05);  // the tone survived, not silence
  }
}

TEST(AudioCodec, PcmIsRaw16BitAt24k) {
  const AudioBuffer src = tone(1.0, 16000);
  std::string pcm = encode(AudioFormat::kPcm, src);
  EXPECT_EQ(pcm.size() % 2, 0u);
  EXPECT_NEAR(double(pcm.size()) / 2 / 24000, 1.0, 0.01);
  EXPECT_STREQ(audio_format_content_type(AudioFormat::kMp3), "audio/mpeg");
  EXPECT_FALSE(parse_audio_format("wma").ok());
}

TEST(AudioCodec, WavBytesIsACompleteFile) {
  const AudioBuffer src = tone(0.5, 8000);
  std::string wav = wav_bytes(src);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(wav.size(), 44 + src.samples.size() * 2);
  auto back = decode(wav);
  ASSERT_TRUE(back.ok());
  EXPECT_NEAR(back->duration(), 0.5, 0.01);
}

TEST(AudioDecoder, FileAndMemoryDecodeAlike) {
  std::string flac = encode(AudioFormat::kFlac, tone(1.5, 22050));
  auto path = std::filesystem::temp_directory_path() / ("vox-codec-" + std::to_string(::getpid()) + ".bin");
  { std::ofstream(path, std::ios::binary) << flac; }
  auto from_file = make_ffmpeg_decoder()->decode_file(path.string(), {});
  auto from_memory = decode(flac);
  std::filesystem::remove(path);
  ASSERT_TRUE(from_file.ok() && from_memory.ok());
  EXPECT_EQ(from_file->samples, from_memory->samples);
}

TEST(AudioDecoder, EachBadInputHasItsOwnCode) {
  EXPECT_EQ(code_of(decode("")), ErrorCode::kEmptyInput);
  EXPECT_EQ(code_of(decode(std::string(4096, '\x5a'))), ErrorCode::kInvalidAudio);
  EXPECT_EQ(code_of(decode("hello, this is a text file\n")), ErrorCode::kInvalidAudio);
  EXPECT_EQ(code_of(make_ffmpeg_decoder()->decode_file("/nonexistent/x.wav", {})), ErrorCode::kNotFound);

  std::string wav = wav_bytes(tone(3.0, 16000));
  DecodeOptions small;
  small.limits.max_bytes = 1000;
  EXPECT_EQ(code_of(decode(wav, small)), ErrorCode::kTooLarge);
  DecodeOptions short_limit;
  short_limit.limits.max_duration_s = 1.0;
  EXPECT_EQ(code_of(decode(wav, short_limit)), ErrorCode::kTooLong);

  // A WAV header promising 3 s with 1 s of data behind it.
  EXPECT_EQ(code_of(decode(std::string_view(wav).substr(0, 44 + 16000 * 2))), ErrorCode::kTruncatedAudio);
  // A header alone: declared audio, no sample.
  AudioBuffer none;
  EXPECT_EQ(code_of(decode(wav_bytes(none))), ErrorCode::kEmptyInput);
}

TEST(AudioDecoder, CancelStopsDecoding) {
  std::string wav = wav_bytes(tone(60.0, 16000));
  DecodeOptions options;
  options.cancel.cancel();
  EXPECT_EQ(code_of(decode(wav, options)), ErrorCode::kCancelled);
}

TEST(AudioDecoder, StereoAndAnyRateBecome16kMono) {
  // Interleaved stereo WAV at 44.1 kHz: left = tone, right = silence → mono is half the tone.
  const int rate = 44100;
  AudioBuffer left = tone(1.0, rate);
  std::string wav = wav_bytes(left);  // mono header; rewrite as stereo below
  std::string stereo = wav.substr(0, 44);
  auto put16 = [&](size_t at, std::uint16_t v) { stereo[at] = char(v & 0xff), stereo[at + 1] = char(v >> 8); };
  auto put32 = [&](size_t at, std::uint32_t v) { for (int i = 0; i < 4; ++i) stereo[at + i] = char((v >> (8 * i)) & 0xff); };
  put16(22, 2);                 // channels
  put32(28, rate * 4);          // byte rate
  put16(32, 4);                 // block align
  put32(40, std::uint32_t(left.samples.size() * 4));
  put32(4, std::uint32_t(36 + left.samples.size() * 4));
  for (size_t i = 0; i < left.samples.size(); ++i) {
    stereo.append(wav, 44 + i * 2, 2);
    stereo.append(2, '\0');
  }
  auto back = decode(stereo);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->sample_rate, 16000);
  EXPECT_NEAR(back->duration(), 1.0, 0.01);
  EXPECT_GT(rms(back->samples), 0.1);
}

}  // namespace
}  // namespace vox
