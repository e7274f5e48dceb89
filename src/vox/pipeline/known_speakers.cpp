#include "vox/pipeline/known_speakers.h"

#include <algorithm>
#include <cmath>

#include "vox/core/base64.h"

namespace vox {

namespace {
constexpr double kGapSeconds = 1.0;  // silence between the recording and each clip
constexpr size_t kFrame = kAsrSampleRate / 100;  // 10 ms
constexpr double kTrimRelativeRms = 0.05;        // ~ -26 dB under the clip's loudest frame

// [first, last) samples of a clip without its leading and trailing silence: a clip's silence is
// not its speaker, and marking it as speech would give it a cluster of its own.
std::pair<size_t, size_t> voiced_span(const std::vector<float>& x) {
  const size_t frames = x.size() / kFrame;
  std::vector<double> rms(frames);
  double peak = 0;
  for (size_t f = 0; f < frames; ++f) {
    double e = 0;
    for (size_t i = f * kFrame; i < (f + 1) * kFrame; ++i) e += double(x[i]) * x[i];
    rms[f] = std::sqrt(e / kFrame);
    peak = std::max(peak, rms[f]);
  }
  size_t a = 0, b = frames;
  while (a < b && rms[a] < peak * kTrimRelativeRms) ++a;
  while (b > a && rms[b - 1] < peak * kTrimRelativeRms) --b;
  if (a >= b) return {0, x.size()};
  return {a * kFrame, b * kFrame};
}
}  // namespace

Result<std::string> decode_reference(const std::string& reference) {
  std::string_view payload = reference;
  if (payload.rfind("data:", 0) == 0) {
    auto comma = payload.find(',');
    if (comma == std::string_view::npos || payload.substr(0, comma).find(";base64") == std::string_view::npos)
      return Error(ErrorCode::kInvalidArgument, "a known speaker reference must be a base64 data: URL",
                   "known_speaker_references[]");
    payload.remove_prefix(comma + 1);
  }
  auto bytes = base64_decode(payload);
  if (!bytes) return Error(ErrorCode::kInvalidArgument, "known speaker reference: " + bytes.error().message,
                           "known_speaker_references[]");
  if (bytes->empty()) return Error(ErrorCode::kInvalidArgument, "a known speaker reference is empty", "known_speaker_references[]");
  return bytes;
}

EnrolledAudio append_references(std::span<const float> recording, const std::vector<SpeechRegion>& speech,
                                const std::vector<KnownSpeaker>& speakers) {
  EnrolledAudio e;
  e.samples.assign(recording.begin(), recording.end());
  e.speech = speech;
  e.recording_end = double(recording.size()) / kAsrSampleRate;
  for (const auto& s : speakers) {
    e.samples.insert(e.samples.end(), size_t(kGapSeconds * kAsrSampleRate), 0.0f);
    auto [first, last] = voiced_span(s.audio.samples);
    double start = double(e.samples.size()) / kAsrSampleRate;
    e.samples.insert(e.samples.end(), s.audio.samples.begin() + std::ptrdiff_t(first),
                     s.audio.samples.begin() + std::ptrdiff_t(last));
    double end = double(e.samples.size()) / kAsrSampleRate;
    e.clips.emplace_back(start, end);
    e.speech.push_back(SpeechRegion{start, end});
  }
  return e;
}

std::map<int, std::string> name_clusters(const EnrolledAudio& enrolled, const std::vector<KnownSpeaker>& speakers,
                                         std::vector<SpeakerTurn>& turns) {
  // Seconds of each clip per cluster.
  std::vector<std::map<int, double>> per_clip(enrolled.clips.size());
  for (const auto& t : turns)
    for (size_t c = 0; c < enrolled.clips.size(); ++c) {
      double overlap = std::min(t.end, enrolled.clips[c].second) - std::max(t.start, enrolled.clips[c].first);
      if (overlap > 0) per_clip[c][t.speaker] += overlap;
    }
  // Best-supported claims first, so two clips of one voice cannot both take a cluster.
  struct Claim { size_t clip; int cluster; double share; };
  std::vector<Claim> claims;
  for (size_t c = 0; c < per_clip.size(); ++c) {
    double total = 0, best = 0;
    int best_cluster = -1;
    for (const auto& [cluster, secs] : per_clip[c]) {
      total += secs;
      if (secs > best) best = secs, best_cluster = cluster;
    }
    if (best_cluster >= 0 && total > 0 && best / total >= kKnownSpeakerMinShare) claims.push_back({c, best_cluster, best / total});
  }
  std::sort(claims.begin(), claims.end(), [](const Claim& a, const Claim& b) { return a.share > b.share; });
  std::map<int, std::string> names;
  std::vector<bool> name_used(speakers.size(), false);
  for (const auto& claim : claims) {
    if (names.count(claim.cluster) || name_used[claim.clip]) continue;
    names[claim.cluster] = speakers[claim.clip].name;
    name_used[claim.clip] = true;
  }
  // Keep only the recording's part of the turns.
  std::vector<SpeakerTurn> kept;
  for (auto t : turns) {
    if (t.start >= enrolled.recording_end) continue;
    t.end = std::min(t.end, enrolled.recording_end);
    if (t.end > t.start) kept.push_back(t);
  }
  turns = std::move(kept);
  return names;
}

}  // namespace vox
