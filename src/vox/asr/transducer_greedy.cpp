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

struct Search {
  const EncodedUtterance* utterance = nullptr;
  std::vector<DecodedToken>* out = nullptr;
  PredictorState predictor;
  int t = 0;
  int symbols_here = 0;  // tokens emitted since the search last moved
};

// Runs the searches of one group in lockstep until every one has passed its last frame.
Status search_group(const TransducerSteps& model, std::span<Search> group, int dim, const GreedyOptions& o) {
  const bool tdt = !o.durations.empty();
  const int width = o.vocab + int(o.durations.size());
  {
    const std::vector<int> blanks(group.size(), o.blank);
    const PredictorState fresh;
    const std::vector<const PredictorState*> from(group.size(), &fresh);
    auto first = model.predict(blanks, from);
    if (!first) return first.error();
    for (std::size_t i = 0; i < group.size(); ++i) group[i].predictor = std::move((*first)[i]);
  }
  std::vector<Search*> active, emitted;
  std::vector<const PredictorState*> predictors;
  std::vector<float> frames;
  std::vector<int> tokens;
  for (;;) {
    active.clear();
    for (auto& s : group)
      if (s.t < s.utterance->n_frames) active.push_back(&s);
    if (active.empty()) return Status::Ok();
    frames.resize(active.size() * std::size_t(dim));
    predictors.clear();
    for (std::size_t i = 0; i < active.size(); ++i) {
      const auto row = active[i]->utterance->frames.subspan(std::size_t(active[i]->t) * std::size_t(dim), std::size_t(dim));
      std::copy(row.begin(), row.end(), frames.begin() + std::ptrdiff_t(i * std::size_t(dim)));
      predictors.push_back(&active[i]->predictor);
    }
    auto scores = model.join(frames, dim, predictors);
    if (!scores) return scores.error();
    if (scores->size() != active.size() * std::size_t(width))
      return Error(ErrorCode::kInternal, "joiner returned " + std::to_string(scores->size()) + " scores for " +
                                             std::to_string(active.size()) + " x " + std::to_string(width));
    emitted.clear();
    tokens.clear();
    for (std::size_t i = 0; i < active.size(); ++i) {
      Search& s = *active[i];
      const float* row = scores->data() + i * std::size_t(width);
      const int token = argmax(row, o.vocab);
      const int skip = tdt ? o.durations[std::size_t(argmax(row + o.vocab, int(o.durations.size())))] : 0;
      if (token != o.blank) {
        s.out->push_back({token, s.t, s.t + std::max(1, skip), probability(row, o.vocab, token)});
        emitted.push_back(&s);
        tokens.push_back(token);
        ++s.symbols_here;
      }
      int advance = tdt ? skip : (token == o.blank ? 1 : 0);
      if (s.symbols_here >= o.max_symbols_per_frame || (token == o.blank && advance == 0)) advance = std::max(advance, 1);
      if (advance > 0) s.symbols_here = 0;
      s.t += advance;
    }
    if (emitted.empty()) continue;
    predictors.clear();
    for (auto* s : emitted) predictors.push_back(&s->predictor);
    auto next = model.predict(tokens, predictors);
    if (!next) return next.error();
    for (std::size_t i = 0; i < emitted.size(); ++i) emitted[i]->predictor = std::move((*next)[i]);
  }
}

}  // namespace

Result<std::vector<std::vector<DecodedToken>>> transducer_greedy(const TransducerSteps& model,
                                                                 std::span<const EncodedUtterance> utterances, int dim,
                                                                 const GreedyOptions& options) {
  std::vector<std::vector<DecodedToken>> out(utterances.size());
  std::vector<Search> searches(utterances.size());
  for (std::size_t i = 0; i < utterances.size(); ++i) {
    if (utterances[i].frames.size() < std::size_t(std::max(0, utterances[i].n_frames)) * std::size_t(dim))
      return Error(ErrorCode::kInternal, "encoder output shorter than its frame count");
    searches[i].utterance = &utterances[i];
    searches[i].out = &out[i];
  }
  const std::size_t group = std::size_t(std::max(1, options.max_batch));
  for (std::size_t first = 0; first < searches.size(); first += group) {
    const std::size_t n = std::min(group, searches.size() - first);
    if (Status st = search_group(model, std::span<Search>(searches).subspan(first, n), dim, options); !st)
      return st.error();
  }
  return out;
}

}  // namespace vox::asr
