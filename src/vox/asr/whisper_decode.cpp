#include "vox/asr/whisper_decode.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vox::asr {

namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();
constexpr int kMaxInitialTimestamp = 50;  // 1.0 s, as OpenAI's decoder allows

// Applies the rules to `logits` for the tokens sampled so far (after the start sequence).
void apply_rules(const WhisperVocab& v, const std::vector<int>& seq, std::vector<float>& logits) {
  const int tb = v.timestamp_begin;
  const int n = int(logits.size());
  for (int id = v.eot + 1; id < std::min(tb, n); ++id) logits[id] = kNegInf;  // specials
  const bool last_ts = !seq.empty() && seq.back() >= tb;
  const bool penultimate_ts = seq.size() < 2 || seq[seq.size() - 2] >= tb;
  if (last_ts) {
    if (penultimate_ts) std::fill(logits.begin() + tb, logits.end(), kNegInf);  // a pair closed: text or eot
    else std::fill(logits.begin(), logits.begin() + v.eot, kNegInf);           // an end time: no text
  }
  int last_time = -1;
  for (int t : seq)
    if (t >= tb) last_time = t;
  if (last_time >= 0) {
    // Never backwards; a segment needs a positive length.
    const int limit = (last_ts && !penultimate_ts) ? last_time : last_time + 1;
    std::fill(logits.begin() + tb, logits.begin() + std::min(limit, n), kNegInf);
  }
  if (seq.empty()) {
    std::fill(logits.begin(), logits.begin() + tb, kNegInf);
    if (tb + kMaxInitialTimestamp + 1 < n) std::fill(logits.begin() + tb + kMaxInitialTimestamp + 1, logits.end(), kNegInf);
  }
  // If all timestamps together are likelier than the best text token, take a timestamp.
  const float top = *std::max_element(logits.begin(), logits.end());
  if (top == kNegInf) return;
  double total = 0, ts_total = 0;
  float best_text = kNegInf;
  for (int id = 0; id < n; ++id) {
    const double p = std::exp(double(logits[id]) - top);
    total += p;
    if (id >= tb) ts_total += p;
    else best_text = std::max(best_text, logits[id]);
  }
  if (ts_total > 0 && best_text > kNegInf && ts_total > std::exp(double(best_text) - top))
    std::fill(logits.begin(), logits.begin() + tb, kNegInf);
}

}  // namespace

Result<std::vector<WhisperSegment>> whisper_greedy(const WhisperVocab& v, std::vector<float> logits,
                                                   const WhisperStep& step, int max_tokens, double window_seconds,
                                                   double& sum_logprob, int& token_count) {
  std::vector<int> seq;
  std::vector<float> probs;
  sum_logprob = 0;
  token_count = 0;
  for (int i = 0; i < max_tokens; ++i) {
    if (int(logits.size()) != v.n_vocab)
      return Error(ErrorCode::kInternal, "Whisper decoder returned " + std::to_string(logits.size()) + " scores, expected " +
                                             std::to_string(v.n_vocab));
    apply_rules(v, seq, logits);
    const int best = int(std::max_element(logits.begin(), logits.end()) - logits.begin());
    const float top = logits[best];
    double z = 0;
    for (float l : logits) z += std::exp(double(l) - top);
    const float prob = float(1.0 / z);
    if (best == v.eot) break;
    seq.push_back(best);
    probs.push_back(prob);
    sum_logprob += std::log(std::max(1e-12f, prob));
    ++token_count;
    auto next = step(best);
    if (!next) return next.error();
    logits = std::move(*next);
  }
  // Segments: <|t0|> text <|t1|> [<|t1|> text <|t2|>] ...
  std::vector<WhisperSegment> segments;
  WhisperSegment cur;
  bool open = false;
  for (std::size_t i = 0; i < seq.size(); ++i) {
    const int t = seq[i];
    if (t >= v.timestamp_begin) {
      const double time = 0.02 * (t - v.timestamp_begin);
      if (!open) {
        cur = WhisperSegment{time, time, {}, {}};
        open = true;
      } else {
        cur.end = time;
        if (!cur.tokens.empty()) segments.push_back(cur);
        open = false;
      }
    } else if (t < v.eot) {
      if (!open) {  // text without an opening timestamp: continue from the last end
        cur = WhisperSegment{segments.empty() ? 0.0 : segments.back().end, 0, {}, {}};
        open = true;
      }
      cur.tokens.push_back(t);
      cur.probs.push_back(probs[i]);
    }
  }
  if (open && !cur.tokens.empty()) {
    cur.end = std::max(cur.start, window_seconds);
    segments.push_back(cur);
  }
  return segments;
}

std::vector<RecognizedWord> whisper_words(const WhisperVocab& v, const std::vector<WhisperSegment>& segments) {
  std::vector<RecognizedWord> words;
  for (const auto& seg : segments) {
    struct Piece {
      std::string text;
      double prob_sum = 0;
      int n = 0;
    };
    std::vector<Piece> pieces;
    bool new_word = true;
    for (std::size_t i = 0; i < seg.tokens.size(); ++i) {
      const int id = seg.tokens[i];
      if (id < 0 || id >= int(v.text.size())) continue;
      bool counted = false;  // a token's probability counts once for each word it is part of
      for (char c : v.text[std::size_t(id)]) {
        if (c == ' ') {
          new_word = true;
          continue;
        }
        if (new_word || pieces.empty()) {
          pieces.push_back({});
          new_word = false;
          counted = false;
        }
        pieces.back().text += c;
        if (!counted) {
          pieces.back().prob_sum += seg.probs[i];
          ++pieces.back().n;
          counted = true;
        }
      }
    }
    std::size_t total = 0;
    for (const auto& p : pieces) total += p.text.size();
    double at = seg.start;
    const double span = std::max(0.0, seg.end - seg.start);
    for (const auto& p : pieces) {
      const double len = total ? span * double(p.text.size()) / double(total) : 0.0;
      words.push_back({p.text, at, at + len, float(p.prob_sum / std::max(1, p.n))});
      at += len;
    }
  }
  return words;
}

}  // namespace vox::asr
