// plan_chunks: speech regions → recogniser-sized chunks (see chunker.h).
//
// Rules, in order:
//  * Regions are clamped to the recording, sorted and merged where they touch or overlap; empty or
//    non-finite ones are dropped.
//  * The length limit covers the padding too: the speech inside a chunk spans at most
//    max_chunk_s - 2 * pad, so a padded chunk never exceeds max_chunk_s. (The padding is reduced to
//    a quarter of max_chunk_s when it would otherwise eat more than half of it.) A non-positive or
//    non-finite max_chunk_s means "no limit".
//  * Regions are grouped greedily: the next region joins the current chunk while the chunk still
//    fits, so chunks are cut only in the pauses between regions.
//  * A region that alone is too long is cut at the quietest 10 ms frame in the second half of the
//    allowed span ("near the limit"); the rest continues as a region of its own. Cutting inside
//    speech is a last resort, and the quietest frame is the likeliest gap between words.
//  * Padding is pad_s either side, clamped to the recording and to half the pause to the
//    neighbouring chunk, so chunks never overlap. Pieces of one cut region touch: no padding there.
#include "vox/vad/chunker.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vox {

namespace {

// The start of the quietest 10 ms frame whose start lies in [lo, hi) seconds (frames on the
// recording's 10 ms grid). Falls back to hi when the window holds no whole frame.
double quietest_frame(std::span<const float> samples, int sample_rate, double lo, double hi) {
  const std::size_t frame = std::size_t(std::max(1, sample_rate / 100));
  std::size_t f = std::size_t(std::ceil(lo * sample_rate / double(frame)));
  const std::size_t f_end = std::size_t(std::floor(hi * sample_rate / double(frame)));
  double best = std::numeric_limits<double>::infinity();
  std::size_t best_frame = f_end;
  for (; f < f_end; ++f) {
    const std::size_t a = f * frame, b = std::min(samples.size(), a + frame);
    if (a >= b) break;
    double sum = 0;
    for (std::size_t i = a; i < b; ++i) sum += double(samples[i]) * samples[i];
    const double mean = sum / double(b - a);
    if (mean < best) best = mean, best_frame = f;
  }
  return double(best_frame * frame) / sample_rate;
}

std::vector<SpeechRegion> normalised(const std::vector<SpeechRegion>& speech, double duration) {
  std::vector<SpeechRegion> regions;
  regions.reserve(speech.size());
  for (const auto& r : speech) {
    if (!std::isfinite(r.start) || !std::isfinite(r.end)) continue;
    const double s = std::clamp(r.start, 0.0, duration), e = std::clamp(r.end, 0.0, duration);
    if (e > s) regions.push_back({s, e});
  }
  std::sort(regions.begin(), regions.end(), [](const SpeechRegion& a, const SpeechRegion& b) { return a.start < b.start; });
  std::vector<SpeechRegion> merged;
  for (const auto& r : regions) {
    if (!merged.empty() && r.start <= merged.back().end)
      merged.back().end = std::max(merged.back().end, r.end);
    else
      merged.push_back(r);
  }
  return merged;
}

}  // namespace

std::vector<ChunkPlan> plan_chunks(const std::vector<SpeechRegion>& speech, std::span<const float> samples,
                                   int sample_rate, double max_chunk_s, double pad_s) {
  if (sample_rate <= 0 || samples.empty()) return {};
  const double duration = double(samples.size()) / sample_rate;
  const bool limited = std::isfinite(max_chunk_s) && max_chunk_s > 0;
  double pad = std::isfinite(pad_s) && pad_s > 0 ? pad_s : 0.0;
  if (limited) pad = std::min(pad, max_chunk_s / 4);
  const double limit = limited ? max_chunk_s - 2 * pad : std::numeric_limits<double>::infinity();

  // Unpadded chunk extents; `joined_to_next` marks a cut inside a region (no pause to pad into).
  struct Piece {
    double start, end;
    bool joined_to_next;
  };
  std::vector<Piece> pieces;
  auto regions = normalised(speech, duration);
  std::size_t i = 0;
  while (i < regions.size()) {
    double start = regions[i].start, end = regions[i].end;
    if (end - start > limit) {  // too long on its own: cut near the limit, keep the rest for later
      double cut = quietest_frame(samples, sample_rate, start + limit / 2, start + limit);
      if (!(cut > start && cut <= start + limit)) cut = start + limit;
      pieces.push_back({start, cut, true});
      regions[i].start = cut;
      continue;
    }
    ++i;
    while (i < regions.size() && regions[i].end - start <= limit) end = regions[i++].end;
    pieces.push_back({start, end, false});
  }

  std::vector<ChunkPlan> chunks;
  chunks.reserve(pieces.size());
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    double before = std::min(pad, pieces[k].start);
    double after = std::min(pad, duration - pieces[k].end);
    if (k > 0) before = pieces[k - 1].joined_to_next ? 0.0 : std::min(before, (pieces[k].start - pieces[k - 1].end) / 2);
    if (k + 1 < pieces.size())
      after = pieces[k].joined_to_next ? 0.0 : std::min(after, (pieces[k + 1].start - pieces[k].end) / 2);
    chunks.push_back({pieces[k].start - before, pieces[k].end + after});
  }
  return chunks;
}

}  // namespace vox
