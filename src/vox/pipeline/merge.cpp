// Turning recogniser words and diarizer turns into speaker-labelled segments.
//
// Choices the header leaves open:
//   - assign_speakers leaves words untouched when there are no turns; turns with non-finite times
//     are ignored and a turn whose end precedes its start is treated as a point.
//   - build_segments drops words whose text is empty or only whitespace, trims the rest, and
//     sorts by start time (stable) so callers that forgot to sort still get ordered segments.
//   - avg_logprob is the mean natural log of the words' confidences (clamped to [1e-6, 1]);
//     no_speech_prob is 0 because every segment is built from recognised words;
//     compression_ratio keeps its default 1.0 (vox does not measure it).
#include "vox/pipeline/merge.h"

#include "vox/format/sentence_end.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace vox {
namespace {

struct CleanTurn {
  double start, end;
  int speaker;
};

std::vector<CleanTurn> clean_turns(const std::vector<SpeakerTurn>& turns) {
  std::vector<CleanTurn> out;
  for (const auto& t : turns) {
    if (!std::isfinite(t.start) || !std::isfinite(t.end)) continue;
    out.push_back(CleanTurn{t.start, std::max(t.start, t.end), t.speaker});
  }
  std::stable_sort(out.begin(), out.end(), [](const CleanTurn& a, const CleanTurn& b) { return a.start < b.start; });
  return out;
}

// Finds, for one word, the speaker with the most overlap, else the speaker of the nearest turn.
class TurnIndex {
 public:
  explicit TurnIndex(std::vector<CleanTurn> turns) : turns_(std::move(turns)) {
    double running = -INFINITY;
    size_t arg = 0;
    for (size_t i = 0; i < turns_.size(); ++i) {
      if (turns_[i].end > running) running = turns_[i].end, arg = i;
      max_end_.push_back(running);
      max_end_at_.push_back(arg);
    }
  }

  bool empty() const { return turns_.empty(); }

  int speaker_for(double ws, double we) const {
    if (!std::isfinite(ws)) ws = 0.0;
    if (!std::isfinite(we) || we < ws) we = ws;
    // Turns starting before the word ends; walk back while an earlier turn can still reach it.
    size_t upper = size_t(std::upper_bound(turns_.begin(), turns_.end(), we,
                                           [](double v, const CleanTurn& t) { return v < t.start; }) -
                          turns_.begin());
    std::map<int, double> overlap;  // per speaker: a word can touch several turns of one speaker
    for (size_t i = upper; i-- > 0 && max_end_[i] > ws;) {
      double o = std::min(we, turns_[i].end) - std::max(ws, turns_[i].start);
      if (o > 0) overlap[turns_[i].speaker] += o;
    }
    if (!overlap.empty()) {
      auto best = std::max_element(overlap.begin(), overlap.end(),
                                   [](const auto& a, const auto& b) { return a.second < b.second; });
      return best->first;  // ties go to the lower speaker index: deterministic
    }
    // No overlap: the closest turn on either side (a zero-length word inside a turn is at distance 0).
    int speaker = turns_.front().speaker;
    double best_distance = INFINITY;
    if (upper > 0) {
      size_t left = max_end_at_[upper - 1];
      best_distance = std::max(0.0, ws - turns_[left].end);
      speaker = turns_[left].speaker;
    }
    if (upper < turns_.size() && turns_[upper].start - we < best_distance) speaker = turns_[upper].speaker;
    return speaker;
  }

 private:
  std::vector<CleanTurn> turns_;
  std::vector<double> max_end_;     // max end over turns_[0..i]
  std::vector<size_t> max_end_at_;  // the turn holding that max
};

std::string trimmed(const std::string& s) {
  const char* ws = " \t\r\n\f\v";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

Segment make_segment(std::vector<Word> words) {
  Segment s;
  s.start = words.front().start;
  s.end = s.start;
  double logprob_sum = 0.0;
  for (const auto& w : words) {
    if (!s.text.empty()) s.text += ' ';
    s.text += w.text;
    s.end = std::max(s.end, w.end);
    double c = std::isfinite(w.confidence) ? std::clamp(double(w.confidence), 1e-6, 1.0) : 1e-6;
    logprob_sum += std::log(c);
  }
  s.speaker = words.front().speaker;
  s.avg_logprob = logprob_sum / double(words.size());
  s.no_speech_prob = 0.0;
  s.words = std::move(words);
  return s;
}

}  // namespace

std::string speaker_label(int index) {
  if (index < 0) return {};
  // Bijective base 26: A..Z, then AA, AB, ... like spreadsheet columns.
  std::string label;
  long long n = static_cast<long long>(index) + 1;
  while (n > 0) {
    --n;
    label.insert(label.begin(), char('A' + n % 26));
    n /= 26;
  }
  return label;
}

const std::string& SpeakerLabeller::operator()(int cluster) {
  auto it = labels_.find(cluster);
  if (it == labels_.end()) it = labels_.emplace(cluster, speaker_label(letters_++)).first;
  return it->second;
}

void assign_speakers(std::vector<Word>& words, const std::vector<SpeakerTurn>& turns,
                     const std::map<int, std::string>& names) {
  TurnIndex index(clean_turns(turns));
  if (index.empty()) return;
  std::vector<int> cluster(words.size());
  for (size_t i = 0; i < words.size(); ++i) cluster[i] = index.speaker_for(words[i].start, words[i].end);
  // Relabel by first appearance in time, whatever order the words arrived in.
  std::vector<size_t> order(words.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return words[a].start < words[b].start; });
  SpeakerLabeller label(names);
  for (size_t i : order) words[i].speaker = label(cluster[i]);
}

std::vector<Segment> build_segments(const std::vector<Word>& input, const SegmentRules& rules) {
  std::vector<Word> words;
  for (const auto& w : input) {
    Word clean = w;
    clean.text = trimmed(w.text);
    if (clean.text.empty()) continue;
    if (!std::isfinite(clean.start)) clean.start = 0.0;
    if (!std::isfinite(clean.end) || clean.end < clean.start) clean.end = clean.start;
    words.push_back(std::move(clean));
  }
  std::stable_sort(words.begin(), words.end(), [](const Word& a, const Word& b) { return a.start < b.start; });

  std::vector<Segment> segments;
  std::vector<Word> current;
  auto flush = [&](size_t count) {  // the first `count` words of `current` become a segment
    std::vector<Word> head(current.begin(), current.begin() + long(count));
    current.erase(current.begin(), current.begin() + long(count));
    segments.push_back(make_segment(std::move(head)));
  };
  for (auto& w : words) {
    if (!current.empty()) {
      double current_end = 0.0;
      for (const auto& c : current) current_end = std::max(current_end, c.end);
      bool speaker_change = w.speaker != current.front().speaker;
      bool long_pause = w.start - current_end > rules.max_pause_s;
      if (speaker_change || long_pause) {
        flush(current.size());
      } else if (w.end - current.front().start > rules.max_segment_s) {
        // Too long with this word: cut at the last sentence end in the second half, if any, so
        // segments end on full sentences; otherwise right here.
        size_t cut = current.size();
        double earliest_cut = current.front().start + rules.max_segment_s / 2;
        for (size_t i = current.size(); i-- > 0;) {
          if (current[i].end < earliest_cut) break;
          if (ends_sentence(current[i].text)) {
            cut = i + 1;
            break;
          }
        }
        flush(cut);
      }
    }
    current.push_back(std::move(w));
  }
  if (!current.empty()) flush(current.size());
  for (size_t i = 0; i < segments.size(); ++i) segments[i].id = int(i);
  return segments;
}

void finalize_transcript(Transcript& t) {
  t.text.clear();
  for (size_t i = 0; i < t.segments.size(); ++i) {
    Segment& s = t.segments[i];
    s.id = int(i);
    if (s.text.empty()) continue;
    if (!t.text.empty()) t.text += ' ';
    t.text += s.text;
  }
}

}  // namespace vox
