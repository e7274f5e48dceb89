#include "vox/asr/token_words.h"

#include <string_view>

namespace vox::asr {

namespace {

constexpr std::string_view kWordMark = "\xE2\x96\x81";  // U+2581, SentencePiece's word start

struct Building {
  std::string text;
  int first = 0, end = 0;
  double prob_sum = 0.0;
  int count = 0;
};

}  // namespace

std::vector<RecognizedWord> tokens_to_words(const TokenTable& tokens, const std::vector<DecodedToken>& decoded,
                                            double frame_seconds) {
  std::vector<RecognizedWord> words;
  Building cur;
  auto flush = [&] {
    if (!cur.text.empty())
      words.push_back({cur.text, cur.first * frame_seconds, cur.end * frame_seconds,
                       float(cur.prob_sum / std::max(1, cur.count))});
    cur = Building{};
  };
  for (const auto& d : decoded) {
    if (d.id < 0 || d.id >= tokens.size() || d.id == tokens.blank() || tokens.is_special(d.id)) continue;
    std::string_view piece = tokens.symbol(d.id);
    if (piece == " ") {  // character vocabularies: a space ends the word
      flush();
      continue;
    }
    bool starts_word = false;
    while (piece.substr(0, kWordMark.size()) == kWordMark) {
      piece.remove_prefix(kWordMark.size());
      starts_word = true;
    }
    if (starts_word) flush();
    if (piece.empty()) continue;
    if (cur.text.empty()) cur.first = d.frame;
    cur.text += piece;
    cur.end = std::max(d.end_frame, d.frame + 1);
    cur.prob_sum += d.prob;
    ++cur.count;
  }
  flush();
  return words;
}

}  // namespace vox::asr
