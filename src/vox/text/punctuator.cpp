// Punctuation and casing for lowercase, unpunctuated word streams (see punctuator.h).
//
// Sentence ends: every gap between two words of one speaker gets a score
//   ln P(... w_i </s>) + ln P(<s> w_i+1 w_i+2)  -  ln P(... w_i w_i+1 w_i+2)      (trigram LM)
//   + a weight times the pause before w_i+1 + a bias,
// decided left to right so that the history after a chosen end starts again at <s>. A speaker
// change, a very long pause and the last word always end a sentence.
// Questions: the sentence's form (a wh-word or an auxiliary followed by its subject at the start,
// after any discourse words; a tag such as "right" or "isn't it" at the end).
// Commas: after sentence-initial discourse words, before tags and clause conjunctions, and at
// gaps whose sentence-end score falls short of an end but is still high (a phrase boundary).
// Capitals: sentence starts, "I" and its contractions, and proper nouns from a cased word list.
#include "vox/text/punctuator.h"

#include <sphinxbase/err.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "vox/text/punct_tuning.h"

namespace vox {
namespace punct_detail {
namespace {

using WordSet = std::unordered_set<std::string_view>;

// Closed-class words and other common words that are never proper nouns in running text, even
// where a cased word list also has a capitalised form (e.g. "Will", "May", "Born").
const WordSet& never_proper() {
  static const WordSet s = {
      "a", "an", "the", "and", "or", "but", "nor", "so", "if", "as", "at", "by", "for", "from", "in",
      "into", "of", "off", "on", "onto", "out", "over", "to", "up", "with", "about", "after", "before",
      "under", "down", "here", "there", "now", "then", "it", "is", "be", "been", "am", "are", "was",
      "were", "will", "would", "shall", "should", "may", "might", "must", "can", "could", "do", "does",
      "did", "have", "has", "had", "he", "he's", "she", "we", "they", "me", "him", "her", "us", "them",
      "who", "who's", "what", "which", "whom", "whose", "why", "how", "when", "where", "more", "most",
      "no", "not", "none", "oh", "hi", "ha", "hm", "mm", "nah", "here's", "forth", "plenty", "born",
      "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
      "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
      "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand",
      "million", "billion", "first", "second", "third", "fourth", "fifth", "sixth", "tenth", "all",
      "any", "some", "each", "every", "this", "that", "these", "those", "my", "your", "our", "their",
      "his", "its", "yes", "yeah", "okay", "ok", "well", "very", "too", "also", "just", "still"};
  return s;
}

const WordSet& wh_words() {
  static const WordSet s = {"what", "what's", "where", "where's", "when", "when's", "why", "who",
                            "who's", "whom", "whose", "which", "how", "how's"};
  return s;
}

// Auxiliaries that start a yes/no question when their subject follows ("can you", "is it").
const WordSet& aux_words() {
  static const WordSet s = {
      "is", "are", "was", "were", "am", "do", "does", "did", "can", "could", "will", "would",
      "shall", "should", "may", "might", "must", "have", "has", "had", "isn't", "aren't", "wasn't",
      "weren't", "don't", "doesn't", "didn't", "can't", "couldn't", "won't", "wouldn't",
      "shouldn't", "haven't", "hasn't", "hadn't", "mustn't"};
  return s;
}

// Words that can be the subject right after an inverted auxiliary.
const WordSet& subject_words() {
  static const WordSet s = {
      "i", "you", "he", "she", "it", "we", "they", "there", "this", "that", "these", "those", "the",
      "a", "an", "my", "your", "our", "his", "her", "their", "its", "anyone", "anybody", "everyone",
      "everybody", "someone", "somebody", "anything", "something", "everything", "nothing",
      "nobody", "people", "all", "any", "some"};
  return s;
}

const WordSet& personal_pronouns() {
  static const WordSet s = {"i", "you", "he", "she", "we", "they"};
  return s;
}

// Negative auxiliaries that form a tag question with a pronoun at a sentence's end.
const WordSet& tag_aux() {
  static const WordSet s = {"isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't",
                            "can't", "couldn't", "won't", "wouldn't", "shouldn't", "haven't",
                            "hasn't", "hadn't"};
  return s;
}

// Words that open a sentence and are followed by a comma when more of the sentence follows.
const WordSet& discourse_openers() {
  static const WordSet s = {"well", "yes", "yeah", "yep", "no", "nope", "okay", "ok", "oh", "actually",
                            "however", "anyway", "alright", "sure", "hi", "hello", "hey", "honestly",
                            "basically", "unfortunately", "fortunately", "meanwhile", "besides",
                            "otherwise", "sorry", "thanks", "instead", "still", "finally",
                            "personally", "obviously", "apparently", "luckily", "sadly", "seriously",
                            "frankly", "indeed", "therefore", "plus", "look", "listen", "wow"};
  return s;
}

// Words that open a subordinate clause; when a sentence starts with one, a comma goes where the
// main clause starts.
const WordSet& subordinators() {
  static const WordSet s = {"if", "when", "before", "after", "since", "although", "though",
                            "because", "while", "once", "unless", "whenever", "until"};
  return s;
}

// Words that start a main clause (its subject, or "let's" / "please").
const WordSet& clause_starters() {
  static const WordSet s = {"i", "we", "you", "he", "she", "they", "it", "there", "let's", "please",
                            "i'm", "i'll", "i've", "i'd", "we're", "we'll", "we've", "you're",
                            "you'll", "he's", "she's", "it's", "they're", "they'll", "that's",
                            "this", "that"};
  return s;
}

// Conjunctions that join two clauses; a comma goes before them when the next clause has a subject.
const WordSet& clause_conjunctions() {
  static const WordSet s = {"but", "so", "and", "or", "because", "although", "though", "yet"};
  return s;
}

// Words before "right" that make it part of a phrase ("that's right", "all right"), not a tag.
const WordSet& right_phrase_heads() {
  static const WordSet s = {"that's", "that", "all", "is", "are", "was", "were", "be", "it's",
                            "you're", "turn", "the", "your", "my", "his", "her", "their", "our",
                            "go", "exactly", "quite", "just", "alright", "absolutely", "feel",
                            "feels", "looks", "seems", "sounds", "right", "not", "left"};
  return s;
}

// Words that never end a written sentence (articles, subject pronouns and their contractions,
// possessive determiners, conjunctions, "of" / "to"): a pause after them is a hesitation.
const WordSet& never_last() {
  static const WordSet s = {"a", "an", "the", "i", "we", "they", "he", "she", "my", "your", "our",
                            "their", "his", "its", "and", "but", "or", "nor", "because", "if",
                            "of", "to", "i'm", "i'll", "i've", "i'd", "we're", "we'll", "we've",
                            "you're", "you'll", "they're", "they'll", "he's", "she's", "it's",
                            "that's", "there's", "let's", "mr", "mrs", "ms", "dr", "prof"};
  return s;
}

const WordSet& titles() {
  static const WordSet s = {"mr", "mrs", "ms", "dr", "prof"};
  return s;
}

bool has(const WordSet& s, const std::string& w) { return s.count(std::string_view(w)) != 0; }

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int count_upper(std::string_view s) {
  return static_cast<int>(std::count_if(s.begin(), s.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }));
}

// The base of sphinxbase's integer log probabilities (scores are multiples of ln(kLogBase)).
constexpr double kLogBase = 1.0001;

// One word as the passes see it.
struct Tok {
  std::string lead;   // leading whitespace of the original text, kept
  std::string core;   // lowercase, without a trailing mark
  std::string given;  // the word as given, without a trailing mark, when it has capitals
  int32 wid = NGRAM_INVALID_WID;
  char mark = 0;      // '.', '?', ',' or 0
  bool cap = false;   // sentence start or proper noun
  const std::string* cased = nullptr;  // the word list's form, when it is a proper noun
};

class NgramPunctuator final : public Punctuator {
 public:
  NgramPunctuator(ngram_model_t* lm, logmath_t* lmath, const Tuning& t) : lm_(lm), lmath_(lmath), t_(t) {
    bos_ = ngram_wid(lm_, "<s>");
    eos_ = ngram_wid(lm_, "</s>");
    to_ln_ = std::log(kLogBase);
  }
  // The model does not free the logmath it was read with (LeakSanitizer, make test-asan).
  ~NgramPunctuator() override {
    ngram_model_free(lm_);
    logmath_free(lmath_);
  }
  NgramPunctuator(const NgramPunctuator&) = delete;
  NgramPunctuator& operator=(const NgramPunctuator&) = delete;

  Status load_words(const std::string& path);
  void apply(std::vector<Word>& words) const override;

 private:
  // ln P(w | h1 h2), h1 the word before w. Ids may be NGRAM_INVALID_WID (unknown): an unknown w
  // gets a fixed probability, an unknown history word cuts the history there.
  double lp(int32 w, int32 h1, int32 h2) const;
  void find_sentence_ends(std::vector<Tok>& toks, const std::vector<Word>& words,
                          std::vector<double>& gap_score) const;
  void mark_sentence(std::vector<Tok>& toks, const std::vector<Word>& words, size_t s, size_t e,
                     const std::vector<double>& gap_score) const;
  bool is_question(const std::vector<Tok>& toks, size_t s, size_t e) const;
  const std::string* proper_form(const std::string& core) const;

  ngram_model_t* lm_;
  logmath_t* lmath_;
  Tuning t_;
  int32 bos_ = NGRAM_INVALID_WID;
  int32 eos_ = NGRAM_INVALID_WID;
  double to_ln_ = 0.0;
  // sphinxbase's trie model (the format of en-us.lm.bin) caches the last full-order history and
  // its backoff weights inside the model struct (lm_trie_t's hist_cache / backoff_cache), which
  // every trigram lookup reads and rewrites. Lookups from two threads at once would corrupt each
  // other's scores, so apply() holds this mutex over all its model calls (word ids and scores;
  // about 2 us a word). load_words() scores before the object is shared, without it.
  mutable std::mutex lm_mutex_;
  std::unordered_map<std::string, std::string> proper_;  // lowercase -> cased form
};

double NgramPunctuator::lp(int32 w, int32 h1, int32 h2) const {
  if (w == NGRAM_INVALID_WID) return t_.unknown_logprob;
  int32 hist[2];
  int32 n_hist = 0;
  if (h1 != NGRAM_INVALID_WID) {
    hist[n_hist++] = h1;
    if (h2 != NGRAM_INVALID_WID && h1 != bos_) hist[n_hist++] = h2;
  }
  int32 n_used = 0;
  int32 score = ngram_ng_score(lm_, w, n_hist ? hist : nullptr, n_hist, &n_used);
  return score * to_ln_;
}

Status NgramPunctuator::load_words(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kModelNotFound, "cannot read the cased word list " + path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Error(ErrorCode::kIo, "cannot read the cased word list " + path);
  const std::string folded = ascii_lower(text);  // same offsets as text
  std::unordered_set<std::string_view> lower;               // forms listed in lowercase
  std::unordered_map<std::string_view, std::string_view> cased;  // lowercase -> a capitalised form
  lower.reserve(1 << 19);
  cased.reserve(1 << 17);
  for (size_t pos = 0; pos < text.size();) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    size_t len = eol - pos;
    if (len && text[pos + len - 1] == '\r') --len;
    const std::string_view line(text.data() + pos, len), l(folded.data() + pos, len);
    pos = eol + 1;
    if (line.empty()) continue;
    if (line == l) {
      lower.insert(l);
    } else if (std::isupper(static_cast<unsigned char>(line[0]))) {
      auto [it, fresh] = cased.emplace(l, line);
      // Prefer the form with the fewest capitals ("Mac" over "MAC").
      if (!fresh && count_upper(line) < count_upper(it->second)) it->second = line;
    }
  }
  // Only-capitalised words are proper nouns. Where the list also has the lowercase form (a big
  // list has "john" and "paris" as common nouns too), the language model decides: common nouns,
  // adjectives and verbs are likelier after determiners, "very" or a subject pronoun than on
  // their own, names are not. Plurals and third-person verbs of listed lowercase words stay
  // lowercase.
  static const char* kCommonContexts[] = {"the", "a", "an", "my", "your", "our", "their", "his",
                                          "very", "i", "we", "they", "you", "can", "will"};
  int32 ctx[std::size(kCommonContexts)];
  for (size_t i = 0; i < std::size(kCommonContexts); ++i) ctx[i] = ngram_wid(lm_, kCommonContexts[i]);
  proper_.reserve(cased.size());
  for (const auto& [l, form] : cased) {
    if (never_proper().count(l)) continue;
    if (!lower.count(l)) {
      proper_.emplace(l, form);
      continue;
    }
    if (l.size() < 3) continue;
    if (l.back() == 's' && (lower.count(l.substr(0, l.size() - 1)) ||
                            (l.size() > 4 && l.compare(l.size() - 2, 2, "es") == 0 && lower.count(l.substr(0, l.size() - 2)))))
      continue;
    const std::string key(l);
    int32 w = ngram_wid(lm_, key.c_str());
    if (w == NGRAM_INVALID_WID || w == ngram_unknown_wid(lm_)) continue;
    double uni = lp(w, NGRAM_INVALID_WID, NGRAM_INVALID_WID);
    double best = -1e9;
    for (int32 c : ctx)
      if (c != NGRAM_INVALID_WID) best = std::max(best, lp(w, c, NGRAM_INVALID_WID) - uni);
    if (best < 0.1) proper_.emplace(key, form);
  }
  return Status::Ok();
}

const std::string* NgramPunctuator::proper_form(const std::string& core) const {
  auto it = proper_.find(core);
  return it != proper_.end() ? &it->second : nullptr;
}

void NgramPunctuator::find_sentence_ends(std::vector<Tok>& toks, const std::vector<Word>& words,
                                         std::vector<double>& gap_score) const {
  const size_t n = toks.size();
  size_t start = 0;  // first word of the current sentence
  for (size_t i = 0; i + 1 < n; ++i) {
    const bool same_speaker = words[i].speaker == words[i + 1].speaker;
    const double pause = std::max(0.0, words[i + 1].start - words[i].end);
    if (!same_speaker || pause >= t_.forced_pause) {
      toks[i].mark = '.';
      gap_score[i] = 1e9;
      start = i + 1;
      continue;
    }
    // History of w_i+1 within the sentence: w_i, w_i-1 or <s>.
    const int32 h1 = toks[i].wid;
    const int32 h2 = i > start ? toks[i - 1].wid : bos_;
    const int32 w1 = toks[i + 1].wid;
    const bool has_w2 = i + 2 < n && words[i + 2].speaker == words[i + 1].speaker;
    const int32 w2 = has_w2 ? toks[i + 2].wid : eos_;
    const double end_here = lp(eos_, h1, h2) + lp(w1, bos_, NGRAM_INVALID_WID) + lp(w2, w1, bos_);
    const double go_on = lp(w1, h1, h2) + lp(w2, w1, h1);
    double score = end_here - go_on + t_.pause_weight * std::max(0.0, std::min(pause, t_.pause_cap) - t_.pause_offset) +
                   t_.sentence_bias;
    const size_t len = i + 1 - start;
    if (len <= 2 && !has(discourse_openers(), toks[start].core)) score -= t_.short_sentence_penalty;
    if (has(never_last(), toks[i].core)) score = std::min(score, t_.comma_score - 1.0);
    gap_score[i] = score;
    if (score > 0) {
      toks[i].mark = '.';
      start = i + 1;
    }
  }
  if (n) toks[n - 1].mark = '.';
  // A tag is not a sentence by itself: "you finished it. right." is "you finished it, right?".
  size_t prev_end = n;  // the end of the sentence before the current one
  for (size_t s = 0, e = 0; s < n; s = e + 1) {
    e = s;
    while (e < n && toks[e].mark != '.') ++e;
    if (e >= n) break;
    const bool tag = (e == s && toks[s].core == "right") ||
                     (e == s + 1 && has(tag_aux(), toks[s].core) &&
                      (has(personal_pronouns(), toks[e].core) || toks[e].core == "it"));
    if (tag && prev_end != n && gap_score[prev_end] < 1e8 && !has(right_phrase_heads(), toks[prev_end].core)) {
      toks[prev_end].mark = 0;
      gap_score[prev_end] = t_.comma_score;
    }
    prev_end = e;
  }
}

bool NgramPunctuator::is_question(const std::vector<Tok>& toks, size_t s, size_t e) const {
  static const WordSet skip = {"so", "and", "but", "okay", "ok", "well", "oh", "now", "then", "also",
                               "hey", "alright", "yes", "yeah", "no", "um", "uh", "actually", "anyway", "or"};
  size_t k = s;
  // Skip opening discourse words and a vocative name before a wh-word ("so john, what ...").
  // A name before an auxiliary is more often the subject ("emily has the keys").
  while (k < e && k < s + 2 && (has(skip, toks[k].core) || (toks[k].cased && has(wh_words(), toks[k + 1].core))))
    ++k;
  auto at = [&](size_t j) -> const std::string& {
    static const std::string none;
    return j <= e ? toks[j].core : none;
  };
  const std::string& first = at(k);
  if (has(wh_words(), first)) {
    if (k == e) return true;  // "why?"
    const std::string& next = at(k + 1);
    if (has(aux_words(), next)) return true;
    // "what time is it", "how many people are ...": an inverted auxiliary soon after.
    for (size_t j = k + 1; j < e && j <= k + 4; ++j)
      if (has(aux_words(), toks[j].core) && has(subject_words(), at(j + 1))) return true;
    // "when i was young, ..." / "when the meeting starts": a subordinate clause, a statement.
    if (has(subject_words(), next) || next.find('\'') != std::string::npos) return false;
    return true;  // "who wants coffee", "what about tomorrow"
  }
  if (has(aux_words(), first) && k < e) {
    const std::string& next = at(k + 1);
    if (first == "do" || first == "have" || first == "don't")  // else an imperative: "do it", "have a seat"
      return has(personal_pronouns(), next);
    if (has(subject_words(), next)) return true;
  }
  // "..., or should i ..."
  for (size_t j = k + 1; j + 2 <= e; ++j)
    if (toks[j].core == "or" && has(aux_words(), toks[j + 1].core) && has(personal_pronouns(), toks[j + 2].core))
      return true;
  // Tags: "..., right", "..., isn't it", "..., don't you", "... or not".
  if (e >= s + 2) {
    const std::string& last = toks[e].core;
    const std::string& prev = toks[e - 1].core;
    if (last == "right" && !has(right_phrase_heads(), prev)) return true;
    if (has(tag_aux(), prev) && (has(personal_pronouns(), last) || last == "it" || last == "there")) return true;
    if (last == "not" && prev == "or") return true;
  }
  return false;
}

void NgramPunctuator::mark_sentence(std::vector<Tok>& toks, const std::vector<Word>& words, size_t s,
                                    size_t e, const std::vector<double>& gap_score) const {
  toks[s].cap = true;
  const bool question = is_question(toks, s, e);
  toks[e].mark = question ? '?' : '.';
  if (e == s) return;
  auto set_comma = [&](size_t j) {
    if (j >= s && j < e && toks[j].mark == 0) toks[j].mark = ',';
  };
  // Opening discourse words: "well, ...", "yes, ...", "okay so, ...". "no" + a noun is a
  // determiner ("no problem"), which the language model knows: it prefers the next word after
  // "no" to the next word at a sentence start.
  for (size_t j = s; j < e && j < s + 2; ++j) {
    const std::string& w = toks[j].core;
    if (!has(discourse_openers(), w)) break;
    if (gap_score[j] < t_.comma_score - 4.0 && w != "well" && w != "yes" && w != "yeah" && w != "okay" && w != "ok")
      break;
    if (toks[j + 1].core == "you" && (w == "thanks")) break;
    set_comma(j);
  }
  // A subordinate opening clause ends where the main clause's subject starts.
  if (has(subordinators(), toks[s].core)) {
    size_t best = 0;
    double best_score = -1e9;
    for (size_t j = s + 2; j < e; ++j) {
      if (!has(clause_starters(), toks[j + 1].core) || toks[j].mark) continue;
      double sc = gap_score[j] + 10.0 * std::max(0.0, words[j + 1].start - words[j].end);
      if (sc > best_score) best_score = sc, best = j;
    }
    if (best) set_comma(best);
  }
  for (size_t j = s; j < e; ++j) {
    if (toks[j].mark) continue;
    const std::string& next = toks[j + 1].core;
    const double pause = std::max(0.0, words[j + 1].start - words[j].end);
    // Tags and trailing vocatives / "please".
    if (j + 1 == e && ((next == "right" && question && !has(right_phrase_heads(), toks[j].core)) || next == "please" ||
                       (toks[j + 1].cased && j > s && (toks[j].core == "thanks" || toks[j].core == "you")))) {
      set_comma(j);
      continue;
    }
    if (j + 2 == e && has(tag_aux(), next) && question) {
      set_comma(j);
      continue;
    }
    if (j == s) continue;
    // Clause conjunctions with a subject after them: "..., but we ...", "..., so i ...".
    if (has(clause_conjunctions(), next) && j + 2 <= e && j >= s + 2) {
      const std::string& after = toks[j + 2].core;
      const bool clause = has(clause_starters(), after) || has(subject_words(), after);
      if (next == "but" || (clause && (next != "and" || pause >= t_.comma_pause)) ||
          (next == "so" && after == "that")) {
        set_comma(j);
        continue;
      }
    }
    // A phrase boundary: a pause with some sentence-end evidence.
    if (pause >= t_.comma_pause && gap_score[j] > t_.comma_score && j >= s + 1 && j + 1 < e) set_comma(j);
  }
}

void NgramPunctuator::apply(std::vector<Word>& words) const {
  const size_t n = words.size();
  if (n == 0) return;
  std::vector<Tok> toks(n);
  std::unique_lock<std::mutex> lock(lm_mutex_);
  for (size_t i = 0; i < n; ++i) {
    const std::string& text = words[i].text;
    size_t b = 0;
    while (b < text.size() && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
    size_t e = text.size();
    while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
    // Drop a trailing mark, except the dot of an abbreviation or letter ("a.m.", "b.").
    while (e > b && std::strchr(",?!;:", text[e - 1])) --e;
    if (e > b + 2 && text[e - 1] == '.' && std::string_view(text).substr(b, e - 1 - b).find('.') == std::string_view::npos)
      --e;
    toks[i].lead = text.substr(0, b);
    toks[i].core = ascii_lower(std::string_view(text).substr(b, e - b));
    if (toks[i].core != std::string_view(text).substr(b, e - b)) toks[i].given = text.substr(b, e - b);
    const std::string& c = toks[i].core;
    int32 wid = c.empty() ? NGRAM_INVALID_WID : ngram_wid(lm_, c.c_str());
    if (wid == ngram_unknown_wid(lm_)) wid = NGRAM_INVALID_WID;
    toks[i].wid = wid;
    toks[i].cased = proper_form(c);
  }
  // Possessives of proper nouns and names after titles.
  for (size_t i = 0; i < n; ++i) {
    const std::string& c = toks[i].core;
    if (!toks[i].cased && c.size() > 2 && c.compare(c.size() - 2, 2, "'s") == 0 &&
        proper_.count(c.substr(0, c.size() - 2)))
      toks[i].cap = true;
    if (i > 0 && has(titles(), toks[i - 1].core) && words[i].speaker == words[i - 1].speaker) toks[i].cap = true;
    if (has(titles(), c)) toks[i].cap = true;
  }
  std::vector<double> gap_score(n, 0.0);
  find_sentence_ends(toks, words, gap_score);
  lock.unlock();  // the rest reads only this object's immutable tables
  for (size_t s = 0; s < n;) {
    size_t e = s;
    while (e < n && toks[e].mark != '.') ++e;
    if (e >= n) e = n - 1;
    mark_sentence(toks, words, s, e, gap_score);
    s = e + 1;
  }
  for (size_t i = 0; i < n; ++i) {
    Tok& t = toks[i];
    if (t.core.empty()) continue;
    // A recogniser's own capitals ("NASA") are kept; otherwise the word list's form.
    std::string out = !t.given.empty() ? t.given : t.cased ? *t.cased : t.core;
    const std::string& c = t.core;
    if (c == "i" || c.rfind("i'", 0) == 0) out[0] = 'I';
    if (t.cap && !out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    if (t.mark && !(t.mark == '.' && out.back() == '.')) out += t.mark;
    words[i].text = t.lead + out;
  }
}

}  // namespace

Result<std::unique_ptr<Punctuator>> load_punctuator(const PunctuatorPaths& paths, const Tuning& tuning) {
  static std::once_flag quiet;
  std::call_once(quiet, [] { err_set_logfp(nullptr); });  // sphinxbase logs to stderr by default
  if (paths.language_model.empty())
    return Error(ErrorCode::kInvalidArgument, "the punctuator needs a language model", "language_model");
  {
    std::ifstream probe(paths.language_model, std::ios::binary);
    if (!probe) return Error(ErrorCode::kModelNotFound, "cannot read the language model " + paths.language_model);
  }
  logmath_t* lmath = logmath_init(kLogBase, 0, 0);
  if (!lmath) return Error(ErrorCode::kInternal, "logmath_init failed");
  ngram_model_t* lm = ngram_model_read(nullptr, paths.language_model.c_str(), NGRAM_AUTO, lmath);
  // lmath stays ours: ngram_model_free does not free it (sphinxbase keeps at most a reference of
  // its own), so it is freed after the model, here or by ~NgramPunctuator.
  if (!lm) {
    logmath_free(lmath);
    return Error(ErrorCode::kUnavailable, "cannot load the language model " + paths.language_model);
  }
  if (ngram_wid(lm, "<s>") == NGRAM_INVALID_WID || ngram_wid(lm, "</s>") == NGRAM_INVALID_WID) {
    ngram_model_free(lm);
    logmath_free(lmath);
    return Error(ErrorCode::kUnavailable, "the language model has no <s> / </s>: " + paths.language_model);
  }
  auto p = std::make_unique<NgramPunctuator>(lm, lmath, tuning);
  if (!paths.cased_words.empty()) {
    Status st = p->load_words(paths.cased_words);
    if (!st.ok()) return st.error();
  }
  return std::unique_ptr<Punctuator>(std::move(p));
}

}  // namespace punct_detail

Result<std::unique_ptr<Punctuator>> Punctuator::load(const PunctuatorPaths& paths) {
  return punct_detail::load_punctuator(paths, punct_detail::Tuning{});
}

}  // namespace vox
