#include "vox/asr/transducer_greedy.h"

#include <algorithm>
#include <cmath>

namespace vox::asr {

namespace {

int argmax(const float* p, int n) { return int(std::max_element(p, p + n) - p); }

// Softmax probability of `best` among the n scores.
float probability(const float* p, int n, int best) {
  double sum = 0;
  for (int i = 0; i < n; ++i) sum += std::exp(double(p[i]) - double(p[best]));
  return float(1.0 / sum);
}

}  // namespace

Result<std::vector<DecodedToken>> transducer_greedy(const TransducerSteps& model, std::span<const float> encoder,
                                                    int frames, int dim, const GreedyOptions& o) {
  std::vector<DecodedToken> out;
  auto pred = model.predict(o.blank, PredictorState{});
  if (!pred) return pred.error();
  const bool tdt = !o.durations.empty();
  const int want = o.vocab + int(o.durations.size());
  int symbols_here = 0;
  for (int t = 0; t < frames;) {
    auto scores = model.join(encoder.subspan(std::size_t(t) * std::size_t(dim), std::size_t(dim)), *pred);
    if (!scores) return scores.error();
    if (int(scores->size()) != want)
      return Error(ErrorCode::kInternal, "joiner returned " + std::to_string(scores->size()) + " scores, expected " +
                                             std::to_string(want));
    const float* s = scores->data();
    const int token = argmax(s, o.vocab);
    const int skip = tdt ? o.durations[std::size_t(argmax(s + o.vocab, int(o.durations.size())))] : 0;
    if (token != o.blank) {
      out.push_back({token, t, t + std::max(1, skip), probability(s, o.vocab, token)});
      auto next = model.predict(token, *pred);
      if (!next) return next.error();
      pred = std::move(next);
      ++symbols_here;
    }
    int advance = tdt ? skip : (token == o.blank ? 1 : 0);
    if (symbols_here >= o.max_symbols_per_frame || (token == o.blank && advance == 0)) advance = std::max(advance, 1);
    if (advance > 0) symbols_here = 0;
    t += advance;
  }
  return out;
}

}  // namespace vox::asr
