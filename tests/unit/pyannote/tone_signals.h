// Synthetic "voices" for the pyannote tests: the tones tests/models/pyannote_test_models.py's
// stand-in models know (A 300 Hz, B 900 Hz, C 1500 Hz, D 2000 Hz).
#pragma once

#include <cmath>
#include <vector>

namespace vox::testing {

struct ToneSpan {
  double start, end;  // seconds
  double hz;
};

inline constexpr double kVoiceA = 300, kVoiceB = 900, kVoiceC = 1500, kVoiceD = 2000;

// Sum of the spans' tones (amplitude 0.3 each) over `seconds` of 16 kHz audio.
inline std::vector<float> tones(double seconds, const std::vector<ToneSpan>& spans) {
  std::vector<float> x(std::size_t(seconds * 16000), 0.f);
  for (const auto& s : spans)
    for (auto i = std::size_t(s.start * 16000); i < std::size_t(s.end * 16000) && i < x.size(); ++i)
      x[i] += 0.3f * float(std::sin(2 * M_PI * s.hz * double(i) / 16000.0));
  return x;
}

}  // namespace vox::testing
