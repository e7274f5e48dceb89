// Cue building in three steps: segments → timed tokens, tokens → cues (greedy, within the line
// and duration limits), then one pass over all cues that makes the times valid subtitle times.
#include "vox/format/subtitle_cues.h"
#include "vox/format/sentence_end.h"

#include <algorithm>
#include <cmath>

#include "vox/format/utf8.h"

namespace vox {
namespace {

struct Token {
  std::string text;
  double start = 0.0;
  double end = 0.0;
};

bool is_utf8_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Control characters (newlines, tabs) would break the cue structure of the file: make them spaces.
std::string sanitize(std::string_view s) {
  std::string out = utf8_valid(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return out;
}

std::vector<std::string> split_whitespace(std::string_view s) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) parts.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return parts;
}

// Pieces of at most `max_chars` code points.
std::vector<std::string> break_long(const std::string& word, size_t max_chars) {
  std::vector<std::string> pieces;
  size_t begin = 0, chars = 0;
  for (size_t i = 0; i < word.size(); ++i) {
    if (is_utf8_continuation(static_cast<unsigned char>(word[i]))) continue;
    if (chars == max_chars) {
      pieces.push_back(word.substr(begin, i - begin));
      begin = i;
      chars = 0;
    }
    ++chars;
  }
  if (begin < word.size()) pieces.push_back(word.substr(begin));
  return pieces;
}

// Splits `text` at spaces (and over-long words into line-sized pieces), sharing [start, end]
// between the pieces in proportion to their length.
void append_tokens(std::string_view text, double start, double end, size_t max_chars, std::vector<Token>& out) {
  std::vector<std::string> pieces;
  for (const auto& word : split_whitespace(sanitize(text)))
    for (auto& piece : break_long(word, max_chars)) pieces.push_back(std::move(piece));
  if (pieces.empty()) return;
  if (!std::isfinite(start)) start = 0.0;
  if (!std::isfinite(end) || end < start) end = start;
  double total = 0.0;
  for (const auto& p : pieces) total += double(utf8_length(p)) + 1.0;  // +1: the following space
  double done = 0.0;
  for (auto& p : pieces) {
    double share = double(utf8_length(p)) + 1.0;
    double a = start + (end - start) * done / total;
    done += share;
    double b = start + (end - start) * done / total;
    out.push_back(Token{std::move(p), a, b});
  }
}

std::vector<Token> segment_tokens(const Segment& s, size_t max_chars) {
  std::vector<Token> tokens;
  for (const auto& w : s.words) append_tokens(w.text, w.start, w.end, max_chars, tokens);
  if (tokens.empty()) append_tokens(s.text, s.start, s.end, max_chars, tokens);
  return tokens;
}

class LineLayout {
 public:
  explicit LineLayout(const CueRules& rules)
      : first_(size_t(std::max(1, rules.max_line_chars - rules.first_line_reserve))),
        other_(size_t(std::max(1, rules.max_line_chars))),
        max_lines_(std::max(1, rules.max_lines)) {}

  // Lines for tokens[b, e), balanced; empty when they do not fit.
  std::vector<std::string> lay_out(const std::vector<Token>& tokens, size_t b, size_t e) const {
    std::vector<size_t> len;
    for (size_t i = b; i < e; ++i) len.push_back(utf8_length(tokens[i].text));
    auto width = [&](size_t from, size_t to) {  // code points of len[from, to) joined by spaces
      size_t w = 0;
      for (size_t i = from; i < to; ++i) w += len[i] + (i > from ? 1 : 0);
      return w;
    };
    size_t n = len.size();
    if (width(0, n) <= first_) return {join(tokens, b, e)};
    if (max_lines_ < 2) return {};
    // Two lines, split where the longer line is shortest (cues with more than two lines are
    // rare enough on screen that two is the limit we lay out).
    size_t best = 0, best_width = SIZE_MAX;
    for (size_t k = 1; k < n; ++k) {
      size_t w1 = width(0, k), w2 = width(k, n);
      if (w1 > first_ || w2 > other_) continue;
      if (std::max(w1, w2) < best_width) best_width = std::max(w1, w2), best = k;
    }
    if (best == 0) return {};
    return {join(tokens, b, b + best), join(tokens, b + best, e)};
  }

  size_t first_line_chars() const { return first_; }

 private:
  static std::string join(const std::vector<Token>& tokens, size_t b, size_t e) {
    std::string s;
    for (size_t i = b; i < e; ++i) {
      if (i > b) s += ' ';
      s += tokens[i].text;
    }
    return s;
  }
  size_t first_, other_;
  int max_lines_;
};

// Clamped to about 31 years so that absurd engine times cannot overflow the conversion.
long long to_ms(double seconds) {
  return std::isfinite(seconds) && seconds > 0 ? std::llround(std::min(seconds, 1e9) * 1000.0) : 0;
}

void append_segment_cues(const Segment& s, const CueRules& rules, const LineLayout& layout,
                         std::vector<SubtitleCue>& cues) {
  std::vector<Token> tokens = segment_tokens(s, layout.first_line_chars());
  // Speaker labels can be caller-supplied names: keep them on one line like the text.
  std::string speaker;
  for (const auto& part : split_whitespace(sanitize(s.speaker))) speaker += (speaker.empty() ? "" : " ") + part;
  const double max_cue_s = double(rules.max_cue_ms) / 1000.0;
  size_t b = 0;
  while (b < tokens.size()) {
    size_t e = b + 1;  // a single token always fits: break_long made it line-sized
    std::vector<std::string> lines = layout.lay_out(tokens, b, e);
    double end = tokens[b].end;
    // A new sentence starts a new cue once the current one holds half a line or more.
    while (e < tokens.size() &&
           !(ends_sentence(tokens[e - 1].text) && utf8_length(lines.front()) * 2 >= layout.first_line_chars())) {
      if (std::max(end, tokens[e].end) - tokens[b].start > max_cue_s) break;
      std::vector<std::string> wider = layout.lay_out(tokens, b, e + 1);
      if (wider.empty()) break;
      lines = std::move(wider);
      end = std::max(end, tokens[e].end);
      ++e;
    }
    // A full cue whose sentence ends within the next two words would leave them alone on
    // screen ("every morning."): move words over until that tail has three.
    size_t tail_end = e;  // index of the sentence's last word, if it is near
    while (tail_end < tokens.size() && tail_end < e + 2 && !ends_sentence(tokens[tail_end].text)) ++tail_end;
    if (tail_end < tokens.size() && ends_sentence(tokens[tail_end].text)) {
      size_t moved = 0;
      while (tail_end + 1 - e < 3 && e - b > 3 && !ends_sentence(tokens[e - 1].text)) --e, ++moved;
      if (moved > 0) {
        lines = layout.lay_out(tokens, b, e);
        end = tokens[b].end;
        for (size_t i = b; i < e; ++i) end = std::max(end, tokens[i].end);
      }
    }
    cues.push_back(SubtitleCue{to_ms(tokens[b].start), to_ms(end), speaker, std::move(lines)});
    b = e;
  }
}

// Makes times valid for strict players: non-overlapping, end > start, at most max_cue_ms long,
// at least min_cue_ms long unless the next cue starts sooner (then it ends where that one starts).
void fix_times(std::vector<SubtitleCue>& cues, const CueRules& rules) {
  const long long min_ms = std::max(1LL, rules.min_cue_ms);
  const long long max_ms = std::max(min_ms, rules.max_cue_ms);
  long long prev_end = 0;
  for (size_t i = 0; i < cues.size(); ++i) {
    long long s = std::max(cues[i].start_ms, prev_end);
    long long e = std::min(std::max(cues[i].end_ms, s + min_ms), s + max_ms);
    if (i + 1 < cues.size() && cues[i + 1].start_ms > s) e = std::min(e, cues[i + 1].start_ms);
    cues[i].start_ms = s;
    cues[i].end_ms = e;
    prev_end = e;
  }
}

}  // namespace

std::vector<SubtitleCue> build_subtitle_cues(const Transcript& t, const CueRules& rules) {
  LineLayout layout(rules);
  std::vector<SubtitleCue> cues;
  for (const auto& s : t.segments) append_segment_cues(s, rules, layout, cues);
  std::stable_sort(cues.begin(), cues.end(),
                   [](const SubtitleCue& a, const SubtitleCue& b) { return a.start_ms < b.start_ms; });
  fix_times(cues, rules);
  return cues;
}

}  // namespace vox
