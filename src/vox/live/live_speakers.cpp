#include "vox/live/live_speakers.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "vox/diar/mfcc.h"
#include "vox/pipeline/merge.h"

namespace vox::live {

namespace {

// Frames whose log energy (natural log of the mean power) lies within this of the loudest frame's
// count as speech: 7 is ~30 dB, which keeps voiced and most unvoiced speech and drops pauses.
constexpr float kLevelRange = 7.0f;
// Frames quieter than this never count (digital silence, a muted microphone): ln(mean power) of
// a -66 dBFS signal.
constexpr float kSilenceLevel = -15.0f;
constexpr double kMinVariance = 1e-3;

const diar::MfccExtractor& extractor() {
  static const diar::MfccExtractor mfcc;  // read-only after construction
  return mfcc;
}

void mean_var(const VoiceStats& s, std::vector<double>& mean, std::vector<double>& var) {
  const std::size_t d = s.sum.size();
  mean.resize(d);
  var.resize(d);
  for (std::size_t i = 0; i < d; ++i) {
    mean[i] = s.sum[i] / s.frames;
    var[i] = std::max(s.sum_sq[i] / s.frames - mean[i] * mean[i], kMinVariance);
  }
}

}  // namespace

void VoiceStats::add(const VoiceStats& other) {
  if (sum.empty()) {
    *this = other;
    return;
  }
  frames += other.frames;
  for (std::size_t i = 0; i < sum.size() && i < other.sum.size(); ++i) {
    sum[i] += other.sum[i];
    sum_sq[i] += other.sum_sq[i];
  }
}

VoiceStats voice_stats(std::span<const float> samples) {
  const auto& mfcc = extractor();
  const int frames = diar::MfccExtractor::frame_count(samples.size());
  const auto dim = std::size_t(mfcc.dim());
  VoiceStats s;
  s.sum.assign(dim, 0.0);
  s.sum_sq.assign(dim, 0.0);
  if (samples.size() < std::size_t(diar::kFrameLength)) return s;
  std::vector<float> ceps(std::size_t(frames) * dim);
  std::vector<float> level(static_cast<std::size_t>(frames));
  float loudest = -std::numeric_limits<float>::infinity();
  for (int i = 0; i < frames; ++i) {
    level[std::size_t(i)] = mfcc.compute(samples, i, ceps.data() + std::size_t(i) * dim);
    loudest = std::max(loudest, level[std::size_t(i)]);
  }
  for (int i = 0; i < frames; ++i) {
    if (!(level[std::size_t(i)] >= std::max(loudest - kLevelRange, kSilenceLevel))) continue;
    const float* c = ceps.data() + std::size_t(i) * dim;
    s.frames += 1;
    for (std::size_t k = 0; k < dim; ++k) {
      s.sum[k] += c[k];
      s.sum_sq[k] += double(c[k]) * c[k];
    }
  }
  return s;
}

double voice_distance(const VoiceStats& a, const VoiceStats& b) {
  if (a.frames < 2 || b.frames < 2 || a.sum.size() != b.sum.size() || a.sum.empty())
    return std::numeric_limits<double>::infinity();
  std::vector<double> ma, va, mb, vb;
  mean_var(a, ma, va);
  mean_var(b, mb, vb);
  double d = 0;
  for (std::size_t i = 0; i < ma.size(); ++i) {
    const double dm = ma[i] - mb[i];
    d += 0.5 * (va[i] / vb[i] + vb[i] / va[i] - 2.0 + dm * dm * (1.0 / va[i] + 1.0 / vb[i]));
  }
  return d / double(ma.size());
}

Status LiveSpeakers::enroll(const std::string& name, std::span<const float> samples) {
  VoiceStats s = voice_stats(samples);
  if (s.frames * diar::kFrameSeconds < params_.min_voiced_s)
    return Error(ErrorCode::kInvalidArgument, "the reference clip of known speaker '" + name + "' holds too little speech",
                 "known_speaker_references");
  speakers_.push_back({name, std::move(s)});
  return Status::Ok();
}

std::string LiveSpeakers::next_letter() { return speaker_label(letters_++); }

std::string LiveSpeakers::assign(std::span<const float> samples) {
  VoiceStats s = voice_stats(samples);
  int best = -1;
  double best_distance = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < speakers_.size(); ++i) {
    const double d = voice_distance(s, speakers_[i].stats);
    if (d < best_distance) {
      best_distance = d;
      best = int(i);
    }
  }
  const bool reliable = s.frames * diar::kFrameSeconds >= params_.min_voiced_s;
  if (best >= 0 && (!reliable || best_distance < params_.threshold)) {
    if (reliable) speakers_[std::size_t(best)].stats.add(s);
    return speakers_[std::size_t(best)].label;
  }
  speakers_.push_back({next_letter(), std::move(s)});
  return speakers_.back().label;
}

}  // namespace vox::live
