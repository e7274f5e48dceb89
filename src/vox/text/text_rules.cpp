// Text rules, filler removal and the profanity filter.
//
// Matching works on a word's "core": its text without leading quotes/brackets and trailing marks,
// ASCII-lowercased (other bytes compare as they are). A Word whose text holds several words (the
// result of an earlier rule such as "ny => New York") is matched as those words, so later rules see
// "new york" too; a match always covers whole Words.
#include "vox/text/text_rules.h"

#include <algorithm>
#include <array>
#include <string>

#include <nlohmann/json.hpp>

namespace vox {
namespace {

constexpr std::size_t kMaxJsonRules = 1000;
constexpr std::size_t kMaxRuleChars = 200;

bool ascii_punct(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (u >= 0x21 && u <= 0x2F) || (u >= 0x3A && u <= 0x40) || (u >= 0x5B && u <= 0x60) ||
         (u >= 0x7B && u <= 0x7E);
}
bool ascii_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

// A word split into leading punctuation, core and trailing mark.
struct Parts {
  std::size_t b = 0;  // core = text[b, e)
  std::size_t e = 0;
};

Parts parts(std::string_view text) {
  Parts p{0, text.size()};
  while (p.b < p.e && ascii_punct(text[p.b])) ++p.b;
  while (p.e > p.b && ascii_punct(text[p.e - 1])) --p.e;
  return p;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower_ascii(c);
  return out;
}

// Lowercase cores of the space-separated pieces of `text`; a piece that is all punctuation ("%",
// "&") is kept whole so it can still be matched.
std::vector<std::string> keys(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && ascii_space(text[i])) ++i;
    std::size_t j = i;
    while (j < text.size() && !ascii_space(text[j])) ++j;
    if (j > i) {
      std::string_view piece = text.substr(i, j - i);
      Parts p = parts(piece);
      out.push_back(lower(p.e > p.b ? piece.substr(p.b, p.e - p.b) : piece));
    }
    i = j;
  }
  return out;
}

std::string leading(const std::string& text) { return text.substr(0, parts(text).b); }
std::string trailing(const std::string& text) { return text.substr(parts(text).e); }

bool ends_sentence(const std::string& mark) { return mark.find_first_of(".?!") != std::string::npos; }

// Word i starts a sentence: first word, a new speaker, or the word before ends a sentence.
bool starts_sentence(const std::vector<Word>& words, std::size_t i) {
  return i == 0 || words[i - 1].speaker != words[i].speaker || ends_sentence(trailing(words[i - 1].text));
}

bool has_capital(const std::string& text) {
  Parts p = parts(text);
  return p.e > p.b && is_upper(text[p.b]);
}

void capitalise(std::string& text) {
  Parts p = parts(text);
  if (p.e > p.b && is_lower(text[p.b])) text[p.b] = char(text[p.b] - 'a' + 'A');
}

// Rank of a trailing mark: a sentence end beats a comma beats nothing.
int mark_rank(const std::string& mark) {
  if (ends_sentence(mark)) return 2;
  return mark.empty() ? 0 : 1;
}

// Moves `mark` onto `w` unless w already carries one at least as strong.
void give_mark(Word& w, const std::string& mark) {
  const std::string own = trailing(w.text);
  if (mark_rank(mark) <= mark_rank(own)) return;
  w.text.resize(w.text.size() - own.size());
  w.text += mark;
}

Error rules_error(std::string message, std::string param) {
  return Error(ErrorCode::kInvalidArgument, std::move(message), std::move(param));
}

// ---- profanity ----------------------------------------------------------------------------------

// Masked when they occur anywhere inside a word: "fucking", "motherfucker", "bullshit".
constexpr std::array<std::string_view, 3> kInfix = {"fuck", "shit", "bitch"};
// Masked when a word starts with them: "cunts", "wanker", "twats", "whores".
constexpr std::array<std::string_view, 11> kPrefix = {"cunt",   "wank",     "twat",     "whore",  "slut",   "bastard",
                                                      "asshole", "arsehole", "dickhead", "bollock", "motherfuck"};
// Masked only as whole words (they are inside innocent words: "class", "cocktail", "Dickens").
constexpr std::array<std::string_view, 32> kWhole = {
    "ass",     "asses",    "arse",     "arses",   "cock",   "cocks",    "dick",      "dicks",
    "pussy",   "pussies",  "tits",     "titties", "piss",   "pissed",   "pissing",   "jackass",
    "dumbass", "dipshit",  "prick",    "pricks",  "nigger", "niggers",  "nigga",     "niggas",
    "faggot",  "faggots",  "fag",      "fags",    "kike",   "kikes",    "wetback",   "wetbacks"};

bool profane(const std::string& w) {
  for (std::string_view s : kInfix)
    if (w.find(s) != std::string::npos) return true;
  for (std::string_view s : kPrefix)
    if (w.rfind(s, 0) == 0) return true;
  return std::find(kWhole.begin(), kWhole.end(), w) != kWhole.end();
}

// Masks one space-free piece: "Fucking," -> "F******,".
void mask_piece(std::string& piece) {
  Parts p = parts(piece);
  if (p.e <= p.b) return;
  if (!profane(lower(std::string_view(piece).substr(p.b, p.e - p.b)))) return;
  std::size_t i = p.b + 1;
  // Keep the first letter whole even if it is a multi-byte UTF-8 sequence.
  while (i < p.e && (static_cast<unsigned char>(piece[i]) & 0xC0) == 0x80) ++i;
  std::string masked;
  for (std::size_t k = i; k < p.e; ++k)
    if ((static_cast<unsigned char>(piece[k]) & 0xC0) != 0x80) masked += '*';
  piece = piece.substr(0, i) + masked + piece.substr(p.e);
}

// ---- fillers ------------------------------------------------------------------------------------

constexpr std::array<std::string_view, 12> kFillers = {"um", "uh", "er", "erm", "hmm", "mm",
                                                       "mhm", "ah", "umm", "uhm", "hm", "mmm"};

bool is_filler(const std::string& text) {
  std::vector<std::string> k = keys(text);
  return k.size() == 1 && std::find(kFillers.begin(), kFillers.end(), k[0]) != kFillers.end();
}

}  // namespace

Result<std::vector<TextRule>> parse_text_rules(std::string_view text) {
  std::vector<TextRule> rules;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = trim(text.substr(pos, nl - pos));
    ++line_no;
    pos = nl + 1;
    if (line.empty() || line.front() == '#') continue;
    std::size_t arrow = line.find("=>");
    if (arrow == std::string_view::npos)
      return rules_error("text rules line " + std::to_string(line_no) + ": expected \"from => to\"", "");
    TextRule r{std::string(trim(line.substr(0, arrow))), std::string(trim(line.substr(arrow + 2)))};
    if (r.from.empty())
      return rules_error("text rules line " + std::to_string(line_no) + ": the text before \"=>\" is empty", "");
    rules.push_back(std::move(r));
  }
  return rules;
}

Result<std::vector<TextRule>> parse_text_rules_json(std::string_view json) {
  const std::string param = "text_rules";
  nlohmann::json doc = nlohmann::json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return rules_error("text_rules is not valid JSON", param);
  if (!doc.is_array()) return rules_error("text_rules must be a list of {\"from\": ..., \"to\": ...}", param);
  if (doc.size() > kMaxJsonRules)
    return rules_error("text_rules has " + std::to_string(doc.size()) + " rules; at most " +
                           std::to_string(kMaxJsonRules) + " are allowed",
                       param);
  std::vector<TextRule> rules;
  rules.reserve(doc.size());
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const nlohmann::json& item = doc[i];
    const std::string where = "text_rules[" + std::to_string(i) + "]";
    if (!item.is_object()) return rules_error(where + " must be an object {\"from\": ..., \"to\": ...}", param);
    TextRule r;
    for (const char* field : {"from", "to"}) {
      auto it = item.find(field);
      if (it == item.end() || !it->is_string())
        return rules_error(where + "." + field + " must be a string", param);
      std::string value = it->get<std::string>();
      if (value.size() > kMaxRuleChars)
        return rules_error(where + "." + field + " is longer than " + std::to_string(kMaxRuleChars) + " characters",
                           param);
      (std::string_view(field) == "from" ? r.from : r.to) = std::string(trim(value));
    }
    if (r.from.empty()) return rules_error(where + ".from must not be empty", param);
    rules.push_back(std::move(r));
  }
  return rules;
}

std::vector<Word> apply_text_rules(const std::vector<Word>& words, const std::vector<TextRule>& rules) {
  std::vector<Word> cur = words;
  std::vector<std::vector<std::string>> cur_keys;  // keys(cur[i].text), kept in step with cur
  cur_keys.reserve(cur.size());
  for (const Word& w : cur) cur_keys.push_back(keys(w.text));
  for (const TextRule& rule : rules) {
    const std::vector<std::string> from = keys(rule.from);
    if (from.empty()) continue;
    // Most rules match nothing: skip those without rebuilding the words.
    if (std::none_of(cur_keys.begin(), cur_keys.end(),
                     [&](const std::vector<std::string>& k) { return !k.empty() && k[0] == from[0]; }))
      continue;
    const std::string to(trim(rule.to));
    const std::vector<std::string> to_keys = keys(to);
    std::vector<Word> out;
    std::vector<std::vector<std::string>> out_keys;
    out.reserve(cur.size());
    out_keys.reserve(cur.size());
    bool pending_capital = false;  // a deleted match started a sentence with a capital
    std::string pending_speaker;
    std::size_t i = 0;
    while (i < cur.size()) {
      // Match whole Words i..j whose pieces spell `from`; only the last may carry a mark, only the
      // first a leading quote, all of one speaker.
      std::size_t pos = 0, j = i;
      bool matched = false;
      while (j < cur.size() && cur[j].speaker == cur[i].speaker) {
        const std::vector<std::string>& k = cur_keys[j];
        if (k.empty() || pos + k.size() > from.size() || !std::equal(k.begin(), k.end(), from.begin() + long(pos)))
          break;
        if (j > i && (!trailing(cur[j - 1].text).empty() || !leading(cur[j].text).empty())) break;
        pos += k.size();
        ++j;
        if (pos == from.size()) {
          matched = true;
          break;
        }
      }
      if (!matched) {
        out.push_back(std::move(cur[i]));
        out_keys.push_back(std::move(cur_keys[i]));
        if (pending_capital && out.back().speaker == pending_speaker) capitalise(out.back().text);
        pending_capital = false;
        ++i;
        continue;
      }
      const Word& first = cur[i];
      const Word& last = cur[j - 1];
      // (cur before i has been moved into out: the word before is out.back().)
      const bool starts = out.empty() || out.back().speaker != first.speaker || ends_sentence(trailing(out.back().text));
      const bool sentence_capital = starts && has_capital(first.text);
      const std::string mark = trailing(last.text);
      if (to.empty()) {
        // Deleted: the mark moves to the word before, the capital to the word after.
        if (!out.empty() && out.back().speaker == first.speaker && !mark.empty()) give_mark(out.back(), mark);
        if (sentence_capital) {
          pending_capital = true;
          pending_speaker = first.speaker;
        }
        i = j;
        continue;
      }
      Word w;
      w.text = leading(first.text) + to;
      if (sentence_capital || (pending_capital && pending_speaker == first.speaker)) capitalise(w.text);
      pending_capital = false;
      std::string m = mark;
      if (!m.empty() && !w.text.empty() && ascii_punct(w.text.back()) && w.text.back() == m.front()) m.erase(0, 1);
      w.text += m;
      w.start = first.start;
      w.end = last.end;
      w.confidence = first.confidence;
      for (std::size_t k = i; k < j; ++k) w.confidence = std::min(w.confidence, cur[k].confidence);
      w.speaker = first.speaker;
      out.push_back(std::move(w));
      out_keys.push_back(to_keys);
      i = j;
    }
    cur = std::move(out);
    cur_keys = std::move(out_keys);
  }
  return cur;
}

std::vector<Word> remove_fillers(const std::vector<Word>& words) {
  std::vector<Word> out;
  out.reserve(words.size());
  bool pending_capital = false;
  std::string pending_speaker;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const Word& w = words[i];
    if (!is_filler(w.text)) {
      out.push_back(w);
      if (pending_capital && w.speaker == pending_speaker) capitalise(out.back().text);
      pending_capital = false;
      continue;
    }
    const std::string mark = trailing(w.text);
    if (!mark.empty() && !out.empty() && out.back().speaker == w.speaker) give_mark(out.back(), mark);
    if (has_capital(w.text) && starts_sentence(words, i)) {
      pending_capital = true;
      pending_speaker = w.speaker;
    }
  }
  return out;
}

void filter_profanity(std::vector<Word>& words) {
  for (Word& w : words) {
    std::string out;
    std::size_t i = 0;
    const std::string& t = w.text;
    while (i < t.size()) {
      std::size_t j = i;
      while (j < t.size() && !ascii_space(t[j])) ++j;
      std::string piece = t.substr(i, j - i);
      mask_piece(piece);
      out += piece;
      while (j < t.size() && ascii_space(t[j])) out += t[j++];
      i = j;
    }
    w.text = std::move(out);
  }
}

}  // namespace vox
