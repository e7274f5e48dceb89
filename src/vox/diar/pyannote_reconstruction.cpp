#include "vox/diar/pyannote_reconstruction.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace vox::diar {

std::vector<SpeakerTurn> reconstruct_turns(const Segmentation& seg, const SpeakerAssignment& assignment,
                                           std::size_t num_samples, const ReconstructionParams& params) {
  const SegmentationGeometry& g = seg.geometry;
  const int k = assignment.num_speakers;
  const int locals = g.num_speakers;
  if (k <= 0 || seg.windows.empty() || num_samples == 0) return {};
  const double sr = 16000.0;
  const double step = g.receptive_field_shift;
  // Recording-wide frame grid with the segmentation model's own frame step.
  const std::size_t frames = std::size_t(std::ceil(double(num_samples) / step)) + 1;
  std::vector<float> activity(frames * std::size_t(k), 0.f);
  std::vector<float> count(frames, 0.f), coverage(frames, 0.f);

  for (std::size_t w = 0; w < seg.windows.size(); ++w) {
    const auto offset = std::size_t(std::lround(double(seg.windows[w].start) / step));
    for (int f = 0; f < seg.frames_per_window; ++f) {
      const std::size_t gf = offset + std::size_t(f);
      if (gf >= frames) break;
      coverage[gf] += 1.f;
      for (int s = 0; s < locals; ++s) {
        if (!seg.at(w, f, s)) continue;
        count[gf] += 1.f;
        const int spk = w < assignment.speaker.size() ? assignment.speaker[w][std::size_t(s)] : -1;
        if (spk >= 0) activity[gf * std::size_t(k) + std::size_t(spk)] += 1.f;
      }
    }
  }

  // Per frame: the `count` most active speakers (ties: lower index).
  std::vector<std::vector<std::uint8_t>> on(std::size_t(k), std::vector<std::uint8_t>(frames, 0));
  std::vector<int> order(static_cast<std::size_t>(k));
  for (std::size_t gf = 0; gf < frames; ++gf) {
    if (coverage[gf] <= 0) continue;
    const int n = int(std::lround(count[gf] / coverage[gf]));
    if (n <= 0) continue;
    const float* a = activity.data() + gf * std::size_t(k);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return a[x] > a[y]; });
    for (int i = 0; i < std::min(n, k); ++i)
      if (a[order[std::size_t(i)]] > 0) on[std::size_t(order[std::size_t(i)])][gf] = 1;
  }

  // Frame gf stands for the step-long span around the centre of its receptive field.
  const double half_rf = g.receptive_field_size / 2.0;
  const double duration = double(num_samples) / sr;
  auto frame_start = [&](std::size_t gf) { return std::clamp((double(gf) * step + half_rf - step / 2) / sr, 0.0, duration); };
  std::vector<SpeakerTurn> turns;
  for (int s = 0; s < k; ++s) {
    std::vector<SpeakerTurn> mine;
    for (std::size_t gf = 0; gf < frames;) {
      if (!on[std::size_t(s)][gf]) { ++gf; continue; }
      std::size_t end = gf;
      while (end < frames && on[std::size_t(s)][end]) ++end;
      SpeakerTurn t{frame_start(gf), frame_start(end), s};
      if (!mine.empty() && t.start - mine.back().end < params.min_duration_off) mine.back().end = t.end;
      else mine.push_back(t);
      gf = end;
    }
    for (const auto& t : mine)
      if (t.end - t.start > 0 && t.end - t.start >= params.min_duration_on) turns.push_back(t);
  }
  std::sort(turns.begin(), turns.end(), [](const SpeakerTurn& a, const SpeakerTurn& b) {
    return a.start != b.start ? a.start < b.start : a.speaker < b.speaker;
  });
  std::vector<int> relabel(std::size_t(k), -1);
  int next = 0;
  for (auto& t : turns) {
    if (relabel[std::size_t(t.speaker)] < 0) relabel[std::size_t(t.speaker)] = next++;
    t.speaker = relabel[std::size_t(t.speaker)];
  }
  return turns;
}

}  // namespace vox::diar
