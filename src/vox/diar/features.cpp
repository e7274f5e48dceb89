#include "vox/diar/features.h"

#include <algorithm>
#include <cmath>

#include "vox/diar/mfcc.h"

namespace vox::diar {

int RecordingFeatures::speech_frames() const {
  return int(std::count(speech.begin(), speech.end(), std::uint8_t{1}));
}

std::vector<std::uint8_t> speech_mask(const std::vector<SpeechRegion>& regions, int num_frames) {
  std::vector<std::uint8_t> mask(std::size_t(std::max(num_frames, 0)), 0);
  for (const auto& r : regions) {
    if (!(r.end > r.start)) continue;  // also rejects NaN
    const long first = std::max(0L, std::lround(r.start / kFrameSeconds));
    const long last = std::min(long(num_frames), std::lround(r.end / kFrameSeconds));
    for (long i = first; i < last; ++i) mask[std::size_t(i)] = 1;
  }
  return mask;
}

void drop_long_silences(RecordingFeatures& f, int max_pause_frames) {
  std::vector<float> levels;
  for (int i = 0; i < f.num_frames; ++i)
    if (f.speech[std::size_t(i)]) levels.push_back(f.log_energy[std::size_t(i)]);
  if (levels.size() < 50) return;
  std::sort(levels.begin(), levels.end());
  const float floor_level = levels[levels.size() / 20];
  const float speech_level = levels[levels.size() * 9 / 10];
  // Too little dynamic range (steady noise or wall-to-wall speech): nothing to trust.
  if (speech_level - floor_level < std::log(10.0f)) return;
  const float threshold = floor_level + 0.3f * (speech_level - floor_level);
  int i = 0;
  while (i < f.num_frames) {
    if (!f.speech[std::size_t(i)] || f.log_energy[std::size_t(i)] >= threshold) {
      ++i;
      continue;
    }
    int j = i;
    while (j < f.num_frames && f.speech[std::size_t(j)] && f.log_energy[std::size_t(j)] < threshold) ++j;
    if (j - i > max_pause_frames)
      for (int k = i; k < j; ++k) f.speech[std::size_t(k)] = 0;
    i = j;
  }
}

Result<RecordingFeatures> extract_features(std::span<const float> samples, const std::vector<SpeechRegion>& regions,
                                           const ProgressFn& progress, double progress_share,
                                           const CancelToken& cancel) {
  MfccExtractor mfcc;
  RecordingFeatures f;
  f.num_frames = MfccExtractor::frame_count(samples.size());
  f.dim = mfcc.dim();
  f.speech = speech_mask(regions, f.num_frames);
  f.ceps.assign(std::size_t(f.num_frames) * std::size_t(f.dim), 0.0f);
  f.log_energy.assign(std::size_t(f.num_frames), -30.0f);
  constexpr int kPollEvery = 2000;  // ~20 s of audio, a few ms of work
  for (int i = 0; i < f.num_frames; ++i) {
    if (i % kPollEvery == 0) {
      if (cancel.cancelled()) return Error(ErrorCode::kCancelled, "diarization cancelled");
      report(progress, "diarize", progress_share * i / f.num_frames);
    }
    if (f.speech[std::size_t(i)]) f.log_energy[std::size_t(i)] = mfcc.compute(samples, i, f.frame(i));
  }
  return f;
}

void normalise_features(RecordingFeatures& f) {
  const int n = f.speech_frames();
  if (n < 2) return;
  std::vector<double> sum(std::size_t(f.dim), 0.0), sq(std::size_t(f.dim), 0.0);
  for (int i = 0; i < f.num_frames; ++i) {
    if (!f.speech[std::size_t(i)]) continue;
    const float* x = f.frame(i);
    for (int d = 0; d < f.dim; ++d) {
      sum[std::size_t(d)] += x[d];
      sq[std::size_t(d)] += double(x[d]) * x[d];
    }
  }
  std::vector<float> mean(static_cast<std::size_t>(f.dim)), inv_std(static_cast<std::size_t>(f.dim));
  for (int d = 0; d < f.dim; ++d) {
    const double m = sum[std::size_t(d)] / n;
    const double var = std::max(sq[std::size_t(d)] / n - m * m, 1e-8);
    mean[std::size_t(d)] = float(m);
    inv_std[std::size_t(d)] = float(1.0 / std::sqrt(var));
  }
  for (int i = 0; i < f.num_frames; ++i) {
    if (!f.speech[std::size_t(i)]) continue;
    float* x = f.frame(i);
    for (int d = 0; d < f.dim; ++d) x[d] = (x[d] - mean[std::size_t(d)]) * inv_std[std::size_t(d)];
  }
}

}  // namespace vox::diar
