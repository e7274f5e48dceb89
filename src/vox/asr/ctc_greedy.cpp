#include "vox/asr/ctc_greedy.h"

#include <algorithm>
#include <cmath>

namespace vox::asr {

std::vector<DecodedToken> ctc_greedy(std::span<const float> scores, int frames, int vocab, int blank) {
  std::vector<DecodedToken> out;
  int previous = -1;
  for (int t = 0; t < frames; ++t) {
    const float* row = scores.data() + std::size_t(t) * std::size_t(vocab);
    const int best = int(std::max_element(row, row + vocab) - row);
    const float prob = std::clamp(std::exp(row[best]), 0.0f, 1.0f);
    if (best != blank) {
      if (best == previous && !out.empty()) {
        out.back().end_frame = t + 1;
        out.back().prob = std::max(out.back().prob, prob);
      } else {
        out.push_back({best, t, t + 1, prob});
      }
    }
    previous = best;
  }
  return out;
}

}  // namespace vox::asr
