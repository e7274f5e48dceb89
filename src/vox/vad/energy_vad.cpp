// Adaptive energy voice activity detector ("energy" VAD).
//
// How it decides:
//  1. The signal is high-passed at 120 Hz (hum and rumble carry energy but no speech) and cut into
//     10 ms frames; each frame gets its log-energy in dB relative to full scale.
//  2. The noise floor is the 10th percentile of frame energies in a ±30 s window around each
//     second of audio, so a floor that drifts over a long recording is followed. Every
//     conversation pauses within a minute, so the low percentile lands on the background.
//  3. Hysteresis: a region opens on a frame `on_db` above the floor and stays open while frames are
//     at least `on_db / 2` above it. Frames under an absolute -60 dBFS never open a region, so a
//     digitally silent recording (floor at -120 dB) yields nothing.
//  4. A region closes after silence_duration_ms below the lower threshold; regions shorter than
//     min_speech_ms are dropped; prefix_padding_ms is added on both sides (half the gap where two
//     regions are closer than two paddings, so regions never overlap).
//
// VadOptions::threshold t in [0, 1] maps linearly onto the opening margin:
//     on_db = 3 + 15 t   (t = 0.5, the default, opens 10.5 dB above the noise floor)
// so a higher threshold asks for louder speech relative to the background, like a higher speech
// probability does for a neural VAD. 10 ms frames of stationary white noise stay within ~3 dB of
// their 10th percentile, so any t >= 0.2 ignores such noise.
//
// The detector keeps no state between calls: every buffer lives on the caller's stack, so one
// instance serves concurrent requests.
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "vox/audio/audio.h"
#include "vox/engines/factories.h"
#include "vox/vad/vad.h"

namespace vox {

namespace {

constexpr int kFrame = kAsrSampleRate / 100;  // 10 ms
constexpr double kSilenceDb = -120.0;          // energy of an all-zero frame
constexpr double kAbsoluteGateDb = -60.0;      // quieter frames never open a region
constexpr int kFloorBlock = 100;               // frames per noise-floor estimate (1 s)
constexpr int kFloorHalfWindow = 3000;         // frames either side that the estimate looks at (30 s)
constexpr double kFloorPercentile = 0.10;
constexpr std::size_t kCancelEvery = 6000;     // frames (one minute of audio) between polls

// RBJ biquad high-pass at 120 Hz, Q = 0.707 (Butterworth), for 16 kHz input.
struct HighPass {
  double b0, b1, b2, a1, a2;
  double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  HighPass() {
    const double pi = 3.14159265358979323846;
    const double w0 = 2.0 * pi * 120.0 / kAsrSampleRate;
    const double alpha = std::sin(w0) / (2.0 * 0.7071067811865476);
    const double cw = std::cos(w0), a0 = 1.0 + alpha;
    b0 = (1.0 + cw) / 2.0 / a0;
    b1 = -(1.0 + cw) / a0;
    b2 = b0;
    a1 = -2.0 * cw / a0;
    a2 = (1.0 - alpha) / a0;
  }
  double operator()(double x) {
    const double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1, x1 = x, y2 = y1, y1 = y;
    return y;
  }
};

std::vector<double> frame_energies_db(std::span<const float> samples) {
  const std::size_t frames = samples.size() / kFrame;  // a partial last frame is ignored
  std::vector<double> db(frames);
  HighPass hp;
  for (std::size_t f = 0; f < frames; ++f) {
    double sum = 0;
    for (int i = 0; i < kFrame; ++i) {
      const double y = hp(samples[f * kFrame + i]);
      sum += y * y;
    }
    const double mean = sum / kFrame;
    db[f] = mean > 1e-12 ? std::max(kSilenceDb, 10.0 * std::log10(mean)) : kSilenceDb;
  }
  return db;
}

// One floor value per frame, estimated once per second of audio from its ±30 s neighbourhood.
std::vector<double> noise_floor_db(const std::vector<double>& energy) {
  const std::size_t n = energy.size();
  std::vector<double> floor(n, kSilenceDb);
  std::vector<double> scratch;
  for (std::size_t block = 0; block * kFloorBlock < n; ++block) {
    const std::size_t centre = block * kFloorBlock;
    const std::size_t lo = centre > std::size_t(kFloorHalfWindow) ? centre - kFloorHalfWindow : 0;
    const std::size_t hi = std::min(n, centre + kFloorBlock + kFloorHalfWindow);
    scratch.assign(energy.begin() + std::ptrdiff_t(lo), energy.begin() + std::ptrdiff_t(hi));
    auto nth = scratch.begin() + std::ptrdiff_t(double(scratch.size() - 1) * kFloorPercentile);
    std::nth_element(scratch.begin(), nth, scratch.end());
    std::fill(floor.begin() + std::ptrdiff_t(centre), floor.begin() + std::ptrdiff_t(std::min(n, centre + kFloorBlock)),
              *nth);
  }
  return floor;
}

struct FrameSpan {
  std::size_t start, end;  // frames, end exclusive
};

class EnergyVad : public VoiceActivityDetector {
 public:
  std::string name() const override { return "energy"; }

  Result<std::vector<SpeechRegion>> detect(std::span<const float> samples, const VadOptions& options,
                                           const ProgressFn& progress, const CancelToken& cancel) override {
    if (!(options.threshold >= 0.f && options.threshold <= 1.f))
      return Error(ErrorCode::kInvalidArgument, "VAD threshold must lie in [0, 1]", "threshold");
    if (options.silence_duration_ms < 0 || options.prefix_padding_ms < 0 || options.min_speech_ms < 0)
      return Error(ErrorCode::kInvalidArgument, "VAD durations must not be negative");
    if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "voice activity detection cancelled");

    const auto energy = frame_energies_db(samples);
    report(progress, "vad", 0.4);
    const auto floor = noise_floor_db(energy);
    report(progress, "vad", 0.6);

    auto spans = find_spans(energy, floor, options, cancel);
    if (!spans) return spans.error();
    report(progress, "vad", 1.0);
    return pad_regions(*spans, samples.size(), options);
  }

 private:
  static Result<std::vector<FrameSpan>> find_spans(const std::vector<double>& energy, const std::vector<double>& floor,
                                                   const VadOptions& options, const CancelToken& cancel) {
    const double on_db = 3.0 + 15.0 * options.threshold;
    const double off_db = on_db / 2.0;
    const std::size_t min_silence = std::size_t(options.silence_duration_ms / 10);
    const std::size_t min_speech = std::size_t(options.min_speech_ms / 10);

    std::vector<FrameSpan> spans;
    bool open = false;
    std::size_t start = 0, last_active = 0;  // last_active: last frame above the lower threshold
    for (std::size_t f = 0; f < energy.size(); ++f) {
      if (f % kCancelEvery == 0 && cancel.cancelled())
        return Error(ErrorCode::kCancelled, "voice activity detection cancelled");
      const bool loud = energy[f] >= floor[f] + on_db && energy[f] >= kAbsoluteGateDb;
      const bool active = energy[f] >= floor[f] + off_db && energy[f] >= kAbsoluteGateDb;
      if (!open) {
        if (loud) open = true, start = f, last_active = f;
        continue;
      }
      if (active) {
        last_active = f;
      } else if (f - last_active > min_silence) {
        if (last_active + 1 - start >= min_speech) spans.push_back({start, last_active + 1});
        open = false;
      }
    }
    if (open && last_active + 1 - start >= min_speech) spans.push_back({start, last_active + 1});
    return spans;
  }

  // Padding in samples: the full amount where there is room, half the gap between close regions.
  static std::vector<SpeechRegion> pad_regions(const std::vector<FrameSpan>& spans, std::size_t num_samples,
                                               const VadOptions& options) {
    const std::size_t pad = std::size_t(options.prefix_padding_ms) * kAsrSampleRate / 1000;
    std::vector<SpeechRegion> regions;
    regions.reserve(spans.size());
    for (std::size_t i = 0; i < spans.size(); ++i) {
      const std::size_t s = spans[i].start * kFrame, e = spans[i].end * kFrame;
      std::size_t before = std::min(pad, s), after = std::min(pad, num_samples - std::min(num_samples, e));
      if (i > 0) before = std::min(before, (s - spans[i - 1].end * kFrame) / 2);
      if (i + 1 < spans.size()) after = std::min(after, (spans[i + 1].start * kFrame - e) / 2);
      regions.push_back({double(s - before) / kAsrSampleRate, double(std::min(num_samples, e + after)) / kAsrSampleRate});
    }
    return regions;
  }
};

}  // namespace

Result<std::unique_ptr<VoiceActivityDetector>> make_energy_vad(const Config&) {
  return std::unique_ptr<VoiceActivityDetector>(new EnergyVad());
}

}  // namespace vox
