#include "vox/text/paragraphs.h"

#include <algorithm>

namespace vox {

namespace {

void append_text(std::string& text, const std::string& piece) {
  if (piece.empty()) return;
  if (!text.empty()) text += ' ';
  text += piece;
}

struct SentenceSpan {
  size_t first, last;  // word indices, inclusive
};

std::vector<SentenceSpan> split_sentences(const std::vector<Word>& words, double max_pause_s) {
  std::vector<SentenceSpan> out;
  size_t first = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    bool last = i + 1 == words.size();
    bool cut = last || ends_sentence(words[i].text) || words[i + 1].speaker != words[i].speaker ||
               words[i + 1].start - words[i].end >= max_pause_s;
    if (cut) {
      out.push_back({first, i});
      first = i + 1;
    }
  }
  return out;
}

}  // namespace

std::vector<Paragraph> build_paragraphs(const std::vector<Word>& words, const ParagraphRules& rules) {
  std::vector<Paragraph> out;
  int words_in_paragraph = 0;
  for (const SentenceSpan& s : split_sentences(words, rules.max_pause_s)) {
    const Word& head = words[s.first];
    Sentence sentence;
    sentence.start = head.start;
    for (size_t i = s.first; i <= s.last; ++i) {
      append_text(sentence.text, words[i].text);
      sentence.end = std::max(sentence.end, words[i].end);
    }
    const int n_words = int(s.last - s.first + 1);
    bool fresh = out.empty() || out.back().speaker != head.speaker ||
                 head.start - out.back().end >= rules.max_pause_s ||
                 int(out.back().sentences.size()) >= rules.max_sentences ||
                 words_in_paragraph + n_words > rules.max_words;
    if (fresh) {
      Paragraph p;
      p.start = sentence.start;
      p.speaker = head.speaker;
      out.push_back(std::move(p));
      words_in_paragraph = 0;
    }
    Paragraph& p = out.back();
    p.end = std::max(p.end, sentence.end);
    append_text(p.text, sentence.text);
    words_in_paragraph += n_words;
    p.sentences.push_back(std::move(sentence));
  }
  return out;
}

}  // namespace vox
