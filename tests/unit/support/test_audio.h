// Audio for the VAD tests: pocketsphinx-testdata's librivox clips (real read speech) and
// synthetic signals.
#pragma once

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "vox/audio/decoder.h"

namespace vox::test {

inline const char* kLibrivoxDir = "/usr/share/pocketsphinx/test/data/librivox";

inline std::vector<std::string> librivox_files() {
  std::vector<std::string> out;
  for (const char* id : {"0870", "0880", "0890", "0920", "0930"})
    out.push_back(std::string(kLibrivoxDir) + "/sense_and_sensibility_01_austen_64kb-" + id + ".wav");
  return out;
}

// Decoded with the project's own decoder; empty on failure (the test then fails on that).
inline std::vector<float> load_audio(const std::string& path) {
  auto decoder = make_ffmpeg_decoder();
  auto audio = decoder->decode_file(path, DecodeOptions{});
  return audio ? std::move(audio->samples) : std::vector<float>{};
}

inline std::vector<float> white_noise(double seconds, double rms, unsigned seed = 1) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> n(0.f, float(rms));
  std::vector<float> s(std::size_t(seconds * 16000));
  for (auto& x : s) x = n(rng);
  return s;
}

// Brown (integrated, leaky) noise scaled to the given RMS: most energy at low frequencies.
inline std::vector<float> brown_noise(double seconds, double rms, unsigned seed = 2) {
  auto s = white_noise(seconds, 1.0, seed);
  double acc = 0, sum = 0;
  for (auto& x : s) {
    acc = 0.995 * acc + x;
    x = float(acc);
    sum += acc * acc;
  }
  const double scale = rms / std::sqrt(sum / double(s.size()));
  for (auto& x : s) x = float(x * scale);
  return s;
}

inline double rms_of(const std::vector<float>& s) {
  double sum = 0;
  for (float x : s) sum += double(x) * x;
  return s.empty() ? 0.0 : std::sqrt(sum / double(s.size()));
}

// Adds `tone` (a 300 Hz sine at the given amplitude) into s over [start, start + seconds).
inline void add_tone(std::vector<float>& s, double start, double seconds, float amplitude = 0.1f) {
  const std::size_t a = std::size_t(start * 16000), b = std::min(s.size(), std::size_t((start + seconds) * 16000));
  for (std::size_t i = a; i < b; ++i) s[i] += amplitude * float(std::sin(2 * 3.14159265358979 * 300.0 * double(i) / 16000));
}

}  // namespace vox::test
