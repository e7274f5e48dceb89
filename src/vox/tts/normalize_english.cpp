// normalize_english (text.h): rewrites digits, symbols and abbreviations as the words a reader
// would say. Works token by token (runs of non-space characters) so whitespace is preserved.
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vox/tts/number_words.h"
#include "vox/tts/text.h"

namespace vox {
namespace {

struct Token {
  std::string space;  // whitespace before the token, kept verbatim
  std::string text;
};

struct Currency {
  std::string_view symbol, one, many, sub_one, sub_many;
};
constexpr Currency kCurrencies[] = {
    {"$", "dollar", "dollars", "cent", "cents"},
    {"\xC2\xA3", "pound", "pounds", "penny", "pence"},      // £
    {"\xE2\x82\xAC", "euro", "euros", "cent", "cents"},     // €
};

struct Abbreviation {
  std::string_view written;  // lowercase, with its dots
  std::string_view spoken;
};
constexpr Abbreviation kAbbreviations[] = {
    {"mr.", "mister"},     {"mr", "mister"},       {"mrs.", "missus"},       {"mrs", "missus"},
    {"ms.", "miz"},        {"dr.", "doctor"},       {"dr", "doctor"},         {"jr.", "junior"},
    {"sr.", "senior"},     {"prof.", "professor"},  {"vs.", "versus"},        {"vs", "versus"},
    {"etc.", "et cetera"}, {"e.g.", "for example"}, {"i.e.", "that is"},      {"approx.", "approximately"},
    {"mt.", "mount"},      {"ave.", "avenue"},      {"fig.", "figure"},       {"dept.", "department"},
    {"&", "and"},
};
constexpr std::string_view kMagnitudes[] = {"thousand", "million", "billion", "trillion"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
bool is_leading_punct(char c) { return c == '(' || c == '[' || c == '{' || c == '"' || c == '\''; }
bool is_trailing_punct(char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == ']' ||
         c == '}' || c == '"' || c == '\'';
}
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    Token t;
    while (i < text.size() && is_space(text[i])) t.space += text[i++];
    while (i < text.size() && !is_space(text[i])) t.text += text[i++];
    tokens.push_back(std::move(t));
  }
  return tokens;
}

// A plain number: digits with optional well-formed thousands separators and an optional
// fraction ("1,250.75", ".5", "007").
struct Number {
  std::string whole;     // digits only, may be empty (".5")
  std::string fraction;  // digits after the point, empty if none
  bool has_point = false;
};

std::optional<Number> parse_number(std::string_view s) {
  Number n;
  std::size_t i = 0;
  std::size_t group = 0;
  bool commas = false;
  while (i < s.size() && (is_digit(s[i]) || s[i] == ',')) {
    if (s[i] == ',') {
      // Thousands separators: 1-3 digits first, then exactly three per group.
      if (n.whole.empty() || (commas ? group != 3 : group > 3) || i + 1 >= s.size()) return std::nullopt;
      commas = true;
      group = 0;
    } else {
      n.whole += s[i];
      ++group;
    }
    ++i;
  }
  if (commas && group != 3) return std::nullopt;
  if (i < s.size() && s[i] == '.') {
    n.has_point = true;
    ++i;
    while (i < s.size() && is_digit(s[i])) n.fraction += s[i++];
    if (n.fraction.empty()) return std::nullopt;
  }
  if (i != s.size() || (n.whole.empty() && n.fraction.empty())) return std::nullopt;
  return n;
}

// Whole-number words; very long digit strings and leading-zero codes ("007") are read digit by digit.
std::string whole_words(std::string_view digits) {
  if (digits.empty()) return "zero";
  if (digits.size() > 1 && digits[0] == '0') return digit_words(digits);
  if (digits.size() > 18) return digit_words(digits);
  return cardinal_words(std::stoull(std::string(digits)));
}

std::string number_words(const Number& n) {
  std::string out = n.whole.empty() ? std::string() : whole_words(n.whole);
  if (n.has_point) out += std::string(out.empty() ? "" : " ") + "point " + digit_words(n.fraction);
  return out;
}

std::string currency_words(const Currency& cur, const Number& n, std::string_view magnitude) {
  if (!magnitude.empty()) return number_words(n) + " " + std::string(magnitude) + " " + std::string(cur.many);
  if (n.fraction.size() > 2) return number_words(n) + " " + std::string(cur.many);
  const std::string whole_digits = n.whole.empty() ? "0" : n.whole;
  const bool whole_is_one = whole_digits == "1";
  std::uint64_t cents = 0;
  if (!n.fraction.empty()) cents = std::stoull(n.fraction.size() == 1 ? n.fraction + "0" : n.fraction);
  const bool has_whole = whole_digits.find_first_not_of('0') != std::string::npos;
  std::string out;
  if (has_whole || cents == 0)
    out = whole_words(whole_digits) + " " + std::string(whole_is_one ? cur.one : cur.many);
  if (cents > 0) {
    if (!out.empty()) out += " and ";
    out += cardinal_words(cents) + " " + std::string(cents == 1 ? cur.sub_one : cur.sub_many);
  }
  return out;
}

// "3:30", "15:45", "3:05pm", "3:00" (am/pm handled by the caller when a separate token).
std::optional<std::string> time_words(std::string_view s) {
  std::string suffix;
  const std::string low = lower(s);
  for (std::string_view ampm : {"am", "pm", "a.m.", "p.m.", "a.m", "p.m"}) {
    if (low.size() > ampm.size() && low.ends_with(ampm)) {
      suffix = ampm[0] == 'a' ? " a m" : " p m";
      s = s.substr(0, s.size() - ampm.size());
      break;
    }
  }
  const auto colon = s.find(':');
  if (colon == std::string_view::npos && !suffix.empty() && !s.empty() && s.size() <= 2 &&
      s.find_first_not_of("0123456789") == std::string_view::npos && std::stoi(std::string(s)) <= 12)
    return cardinal_words(std::stoull(std::string(s))) + suffix;  // "3pm"
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || s.size() != colon + 3) return std::nullopt;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (i != colon && !is_digit(s[i])) return std::nullopt;
  const int hour = std::stoi(std::string(s.substr(0, colon)));
  const int minute = std::stoi(std::string(s.substr(colon + 1)));
  if (hour > 24 || minute > 59) return std::nullopt;
  std::string out = cardinal_words(hour);
  if (minute == 0) out += suffix.empty() ? " o'clock" : "";
  else if (minute < 10) out += " oh " + cardinal_words(minute);
  else out += " " + cardinal_words(minute);
  return out + suffix;
}

// Numbers, currency, percentages, ordinals and times occupying the whole of `core`.
std::optional<std::string> numeric_words(std::string_view core, std::string_view next_word, bool& used_next) {
  if (auto t = time_words(core)) return t;
  std::string out;
  if (!core.empty() && (core[0] == '-' || core[0] == '+')) {
    if (core.size() < 2 || !(is_digit(core[1]) || core[1] == '.' || core[1] == '$' || static_cast<unsigned char>(core[1]) >= 0x80))
      return std::nullopt;
    out = core[0] == '-' ? "minus " : "plus ";
    core.remove_prefix(1);
  }
  if (!core.empty() && core[0] == '#') {
    out += "number ";
    core.remove_prefix(1);
  }
  for (const Currency& cur : kCurrencies) {
    if (!core.starts_with(cur.symbol)) continue;
    const auto n = parse_number(core.substr(cur.symbol.size()));
    if (!n) return std::nullopt;
    std::string_view magnitude;
    for (auto m : kMagnitudes)
      if (lower(next_word) == m) magnitude = m;
    used_next = !magnitude.empty();
    return out + currency_words(cur, *n, magnitude);
  }
  std::string suffix;
  if (core.ends_with('%')) {
    suffix = " percent";
    core.remove_suffix(1);
  }
  const std::string low = lower(core);
  if (core.size() > 2 && is_digit(core[core.size() - 3]) &&
      (low.ends_with("st") || low.ends_with("nd") || low.ends_with("rd") || low.ends_with("th"))) {
    const std::string_view digits = core.substr(0, core.size() - 2);
    if (digits.find_first_not_of("0123456789") != std::string_view::npos || digits.size() > 18) return std::nullopt;
    return out + ordinal_words(std::stoull(std::string(digits))) + suffix;
  }
  const auto n = parse_number(core);
  if (!n) return std::nullopt;
  return out + number_words(*n) + suffix;
}

// Digits embedded in other text ("COVID-19", "mp3", "1,2,3"): each digit run (with a decimal point
// between digits) becomes words, set off by spaces from adjacent letters.
std::string embedded_numbers(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (!is_digit(s[i])) {
      out += s[i++];
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && (is_digit(s[j]) || (s[j] == '.' && j + 1 < s.size() && is_digit(s[j + 1]) && j > i))) ++j;
    const auto n = parse_number(s.substr(i, j - i));
    std::string words = n ? number_words(*n) : digit_words(s.substr(i, j - i));
    if (!out.empty() && std::isalpha(static_cast<unsigned char>(out.back()))) out += ' ';
    out += words;
    if (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) out += ' ';
    i = j;
  }
  return out;
}

}  // namespace

std::string normalize_english(std::string_view text) {
  std::vector<Token> tokens = tokenize(text);
  std::string out;
  out.reserve(text.size() * 2);
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    out += tokens[k].space;
    std::string_view tok = tokens[k].text;
    std::size_t lead = 0;
    while (lead < tok.size() && is_leading_punct(tok[lead])) ++lead;
    std::size_t tail = tok.size();
    while (tail > lead && is_trailing_punct(tok[tail - 1])) --tail;
    std::string_view leading = tok.substr(0, lead), core = tok.substr(lead, tail - lead), trailing = tok.substr(tail);
    out += leading;
    if (core.empty()) {
      out += trailing;
      continue;
    }

    // Abbreviations, with or without the dot that trailing punctuation stripping took away.
    const std::string low = lower(core);
    const bool dot_follows = !trailing.empty() && trailing[0] == '.';
    std::optional<std::string> spoken;
    bool keep_dot = true;
    for (const auto& a : kAbbreviations) {
      if (dot_follows && a.written == low + ".") {
        spoken = std::string(a.spoken);
        keep_dot = false;
      } else if (!spoken && a.written == low && a.written.find('.') == std::string_view::npos &&
                 (low == "&" || std::isupper(static_cast<unsigned char>(core[0])))) {
        spoken = std::string(a.spoken);  // "Mr Smith", "Dr Who": dot-less titles only when capitalised
      }
    }
    // "St." is "Saint" before a name and "Street" after one.
    if (!spoken && low == "st" && (dot_follows || core == "St")) {
      const bool name_follows = k + 1 < tokens.size() && std::isupper(static_cast<unsigned char>(tokens[k + 1].text[0]));
      spoken = name_follows ? "saint" : "street";
      keep_dot = !dot_follows || !name_follows;
    }
    if (spoken) {
      if (spoken == "et cetera" && k + 1 < tokens.size()) keep_dot = false;
      out += *spoken;
      out += keep_dot ? trailing : trailing.substr(dot_follows ? 1 : 0);
      continue;
    }

    if (core.find_first_of("0123456789") == std::string_view::npos) {
      out += core;
      out += trailing;
      continue;
    }
    std::string_view next_word;
    if (k + 1 < tokens.size()) {
      next_word = tokens[k + 1].text;
      while (!next_word.empty() && is_trailing_punct(next_word.back())) next_word.remove_suffix(1);
    }
    bool used_next = false;
    if (auto words = numeric_words(core, next_word, used_next)) {
      out += *words;
      // "3:30 pm", "10 a.m.": a separate am/pm token is spelled out so it is not read as "am".
      const std::string next_low = lower(next_word);
      if (!used_next && (next_low == "am" || next_low == "pm" || next_low == "a.m" || next_low == "p.m")) {
        out += trailing;
        out += tokens[k + 1].space;
        out += next_low[0] == 'a' ? "a m" : "p m";
        std::string_view next = tokens[k + 1].text;
        out += next.substr(next_word.size());
        ++k;
        continue;
      }
      if (used_next) {
        std::string_view next = tokens[k + 1].text;
        out += next.substr(next_word.size());  // the magnitude word's own trailing punctuation
        ++k;
        continue;
      }
    } else {
      out += embedded_numbers(core);
    }
    out += trailing;
  }
  return out;
}

}  // namespace vox
