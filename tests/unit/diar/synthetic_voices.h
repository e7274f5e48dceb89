// Deterministic "voices" for diarizer tests that need no corpus: harmonic sources with a
// per-speaker pitch and vocal-tract length (formants scaled), cycling through vowels.
#pragma once

#include <cmath>
#include <random>
#include <vector>

#include "vox/diar/diarizer.h"

namespace vox::diar::testing {

struct SyntheticVoice {
  double f0;            // Hz
  double tract_scale;   // formant multiplier (shorter tract -> higher formants)
  double tilt;          // spectral slope per kHz (dB)
};

inline void append_speech(std::vector<float>& out, const SyntheticVoice& v, double seconds, std::mt19937& rng) {
  static const double vowels[4][3] = {{730, 1090, 2440}, {270, 2290, 3010}, {530, 1840, 2480}, {300, 870, 2240}};
  std::uniform_int_distribution<int> pick(0, 3);
  std::uniform_real_distribution<double> jitter(-0.05, 0.05);
  const int n = int(seconds * 16000);
  double phase = 0.0;
  const int syllable = 3200;  // 200 ms
  for (int start = 0; start < n; start += syllable) {
    const double* f = vowels[pick(rng)];
    const double f0 = v.f0 * (1.0 + jitter(rng));
    std::vector<double> amps;
    for (int h = 1; h * f0 < 7000; ++h) {
      const double hz = h * f0;
      double a = 0.0;
      for (int k = 0; k < 3; ++k) {
        const double centre = f[k] * v.tract_scale, bw = 80.0 + 40.0 * k;
        a += 1.0 / (1.0 + std::pow((hz - centre) / bw, 2));
      }
      amps.push_back(a * std::pow(10.0, v.tilt * hz / 1000.0 / 20.0) / h);
    }
    for (int i = start; i < std::min(n, start + syllable); ++i) {
      const double env = std::sin(M_PI * (i - start) / syllable);  // syllable loudness contour
      phase += 2 * M_PI * f0 / 16000.0;
      double s = 0.0;
      for (std::size_t h = 0; h < amps.size(); ++h) s += amps[h] * std::sin(double(h + 1) * phase);
      out.push_back(float(0.1 * env * s));
    }
  }
}

struct SyntheticConversation {
  std::vector<float> samples;
  std::vector<SpeakerTurn> truth;  // speakers numbered by first appearance
};

// Turns of 1.5-3.5 s separated by `gap` seconds; `order` lists the voice index of each turn and
// voices must first appear in index order.
inline SyntheticConversation make_conversation(const std::vector<SyntheticVoice>& voices, const std::vector<int>& order,
                                               double gap, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> len(1.5, 3.5);
  std::normal_distribution<float> hiss(0.0f, 0.001f);
  SyntheticConversation c;
  c.samples.assign(8000, 0.0f);
  for (int who : order) {
    const double start = c.samples.size() / 16000.0;
    append_speech(c.samples, voices[std::size_t(who)], len(rng), rng);
    c.truth.push_back({start, c.samples.size() / 16000.0, who});
    c.samples.resize(c.samples.size() + std::size_t(gap * 16000), 0.0f);
  }
  c.samples.resize(c.samples.size() + 8000, 0.0f);
  for (auto& s : c.samples) s += hiss(rng);
  return c;
}

// Fraction of truth speech time whose hypothesis label differs or is missing (labels compared
// directly: both are numbered by first appearance). Short gaps the hypothesis bridges are free.
inline double frame_error(const std::vector<SpeakerTurn>& truth, const std::vector<SpeakerTurn>& hyp, double duration) {
  const int n = int(duration * 100);
  std::vector<int> ref(std::size_t(n), -1), got(std::size_t(n), -1);
  for (const auto& t : truth)
    for (int i = int(t.start * 100); i < std::min(n, int(t.end * 100)); ++i) ref[std::size_t(i)] = t.speaker;
  for (const auto& t : hyp)
    for (int i = int(t.start * 100); i < std::min(n, int(t.end * 100)); ++i) got[std::size_t(i)] = t.speaker;
  int speech = 0, wrong = 0;
  for (int i = 0; i < n; ++i) {
    speech += ref[std::size_t(i)] >= 0;
    wrong += ref[std::size_t(i)] >= 0 && ref[std::size_t(i)] != got[std::size_t(i)];
  }
  return speech ? double(wrong) / speech : 0.0;
}

}  // namespace vox::diar::testing
