// Inverse text normalisation ("smart formatting").
//
// Every form written here reads back to the words that were spoken under the eval kit's scorer
// normaliser (tests/eval/score.py normalize: digits -> US cardinal words, "$N" -> "N
// dollars", "N%" -> "N percent", "H:MM" -> "H MM" / "H oh M", "21st" -> "twenty first", decimals
// digit by digit, integers above 999999 left as digits), so formatting never moves WER. Forms that
// cannot read back are not written:
//   * years said in pairs ("nineteen eighty four", "twenty twenty") stay words ("1984" reads back
//     as "one thousand nine hundred eighty four"); "two thousand (and) five" -> "2005" does;
//   * "three dollars and fifty cents" -> "$3 and 50 cents" ("$3.50" reads "three point five zero
//     dollars"); "fifty cents" -> "50 cents" ("50¢" loses "cents"); "one dollar" stays ("$1" reads
//     "one dollars"), as does "twenty dollar bill" -> "20 dollar bill";
//   * "nine million dollars" -> "9 million dollars" ("$9 million" reads "nine dollars million");
//     numbers with a remainder below a million ("two million five hundred thousand") stay words;
//   * "twelve hundred" stays words; "one hundred and first" stays words (the scorer only drops
//     "and" before a cardinal);
//   * dates keep the ordinal: "January 5th", "5th of May" ("January 5" reads "january five");
//   * "three o'clock" -> "3 o'clock" ("3:00" reads "three"); "p m" -> "p.m." but "pm" -> "PM" (the
//     scorer reads "p.m." as "p m" and "PM" as "pm");
//   * phone numbers, e-mail addresses and URLs ("555-1234" reads "five hundred fifty five ...",
//     "john@example.com" loses "at" and "dot") are reported as entities when `found` is given but
//     the words are left as spoken.
// Other conventions: a lone zero..nine stays a word ("one of them", "at nine"); ten and above, and
// any number with a scale word, become digits; 1000..9999 are written without a comma (they are
// often years), 10,000 and above with commas, money from $1,000 with commas. Ordinals become
// "10th", "21st" from ten up, or in a date; "first".."ninth" otherwise stay words. Two number
// words that do not make one number ("five five", "twenty twenty", "twelve fifty") stay words.
// Times: "H MM" after at/by/until/till/around/from/before/after/since, or any hour followed by
// a.m./p.m. or o'clock.
#include "vox/text/numerals.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vox {
namespace {

struct Tok {
  std::string prefix;  // leading quotes / brackets
  std::string core;    // lowercase, without prefix and mark
  std::string mark;    // trailing punctuation ("." "," "?" ...)
  bool capital = false;
};

bool ascii_punct(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u < 0x80 && ((u >= 0x21 && u <= 0x2F) || (u >= 0x3A && u <= 0x40) || (u >= 0x5B && u <= 0x60) ||
                      (u >= 0x7B && u <= 0x7E));
}

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

Tok split_word(const std::string& text) {
  Tok t;
  std::size_t b = 0, e = text.size();
  while (b < e && ascii_punct(text[b])) ++b;
  while (e > b && ascii_punct(text[e - 1])) --e;
  t.prefix = text.substr(0, b);
  t.mark = text.substr(e);
  t.core.reserve(e - b);
  for (std::size_t i = b; i < e; ++i) t.core += lower_ascii(text[i]);
  t.capital = b < e && text[b] >= 'A' && text[b] <= 'Z';
  return t;
}

template <std::size_t N>
int index_of(const std::array<std::string_view, N>& table, std::string_view w) {
  for (std::size_t i = 0; i < N; ++i)
    if (table[i] == w) return int(i);
  return -1;
}

constexpr std::array<std::string_view, 10> kDigits = {"zero", "one", "two",   "three", "four",
                                                      "five", "six", "seven", "eight", "nine"};
constexpr std::array<std::string_view, 10> kTeens = {"ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                                     "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<std::string_view, 8> kTens = {"twenty", "thirty",  "forty",  "fifty",
                                                   "sixty",  "seventy", "eighty", "ninety"};
constexpr std::array<std::string_view, 10> kUnitOrd = {"",      "first",   "second", "third",  "fourth",
                                                       "fifth", "sixth",   "seventh", "eighth", "ninth"};
constexpr std::array<std::string_view, 10> kTeenOrd = {"tenth",       "eleventh",    "twelfth",    "thirteenth",
                                                       "fourteenth",  "fifteenth",   "sixteenth",  "seventeenth",
                                                       "eighteenth",  "nineteenth"};
constexpr std::array<std::string_view, 8> kTensOrd = {"twentieth", "thirtieth",  "fortieth",  "fiftieth",
                                                      "sixtieth",  "seventieth", "eightieth", "ninetieth"};
constexpr std::array<std::string_view, 12> kMonths = {"january", "february", "march",     "april",
                                                      "may",     "june",     "july",      "august",
                                                      "september", "october", "november", "december"};
constexpr std::array<std::string_view, 9> kTimeCues = {"at",   "by",     "until", "till", "around",
                                                       "from", "before", "after", "since"};
// Words before "may" that make it the month: "on may first".
constexpr std::array<std::string_view, 8> kDateCues = {"on", "by", "since", "until", "till", "from", "before", "after"};
// Words after "H MM" that make it a quantity rather than a clock time.
constexpr std::array<std::string_view, 30> kUnits = {
    "minutes", "minute",   "hours",  "hour",   "seconds", "days",     "weeks",   "months",  "years",  "percent",
    "per",     "dollars",  "dollar", "cents",  "euros",   "pounds",   "degrees", "miles",   "meters", "metres",
    "feet",    "people",   "times",  "points", "units",   "kilometers", "kilos", "grams",   "inches", "bucks"};
constexpr std::array<std::string_view, 21> kTlds = {"com", "org", "net", "edu", "gov", "io",  "co",
                                                    "uk",  "de",  "fr",  "us",  "ca",  "au",  "info",
                                                    "biz", "me",  "ai",  "app", "dev", "tv",  "eu"};
// Words that do not start an e-mail address or a bare domain ("look at example dot com").
constexpr std::array<std::string_view, 40> kNotAddress = {
    "i",    "me",   "you",  "him",  "her",  "us",    "them",   "it",    "we",   "they",
    "he",   "she",  "this", "that", "there", "here", "home",   "work",  "look", "one",
    "is",   "was",  "are",  "be",   "meet", "see",   "and",    "or",    "the",  "a",
    "an",   "to",   "of",   "in",   "on",   "like",  "called", "named", "at",   "dot"};

int digit_value(std::string_view w) { return index_of(kDigits, w); }
int unit_value(std::string_view w) {  // one..nine
  int d = digit_value(w);
  return d >= 1 ? d : -1;
}
int teen_value(std::string_view w) {
  int i = index_of(kTeens, w);
  return i < 0 ? -1 : 10 + i;
}
int tens_value(std::string_view w) {
  int i = index_of(kTens, w);
  return i < 0 ? -1 : 20 + 10 * i;
}
bool is_scale(std::string_view w) { return w == "hundred" || w == "thousand" || w == "million" || w == "billion"; }
bool is_cardinal_word(std::string_view w) {
  return digit_value(w) >= 0 || teen_value(w) >= 0 || tens_value(w) >= 0 || is_scale(w);
}
bool is_ordinal_word(std::string_view w) {
  return (index_of(kUnitOrd, w) > 0) || index_of(kTeenOrd, w) >= 0 || index_of(kTensOrd, w) >= 0 ||
         w == "hundredth" || w == "thousandth";
}

std::string ordinal_suffix(std::int64_t v) {
  int h = int(v % 100);
  if (h >= 11 && h <= 13) return "th";
  switch (v % 10) {
    case 1: return "st";
    case 2: return "nd";
    case 3: return "rd";
    default: return "th";
  }
}

std::string with_commas(std::int64_t v, std::int64_t from) {
  std::string s = std::to_string(v);
  if (v < from) return s;
  std::string out;
  int n = int(s.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

struct Num {
  std::size_t end = 0;  // one past the last word
  std::int64_t value = 0;
  bool ordinal = false;
  bool decimal = false;
  std::string frac;   // digits after the point
  std::string scale;  // "million" / "billion" after the number
};

struct Match {
  std::size_t end = 0;
  std::string text;  // written form; empty: copy the words unchanged
  std::string type;  // entity type; empty: none
  bool rewrite = true;
};

class Formatter {
 public:
  Formatter(const std::vector<Word>& words, std::vector<Entity>* found) : words_(words), found_(found) {
    toks_.reserve(words.size());
    for (const Word& w : words) toks_.push_back(split_word(w.text));
  }

  std::vector<Word> run() {
    std::vector<Word> out;
    out.reserve(words_.size());
    std::size_t i = 0;
    while (i < words_.size()) {
      std::size_t lim = limit(i);
      std::optional<Match> m = match_email(i, lim);
      if (!m) m = match_url(i, lim);
      if (!m) m = match_phone(i, lim);
      if (!m) m = match_time(i, lim);
      if (!m) m = match_date(i, lim);
      if (!m) m = match_number(i, lim);
      if (!m || m->end <= i) {
        out.push_back(words_[i]);
        ++i;
        continue;
      }
      emit(out, i, *m);
      i = m->end;
    }
    return out;
  }

 private:
  const std::string& core(std::size_t k) const { return toks_[k].core; }

  // One past the last word a span starting at i may cover: same speaker, and only the last word
  // may carry a mark (so no span crosses a sentence end or loses a comma); only the first may
  // carry a leading quote.
  // Capped: no form needs more words, and unpunctuated input must not make this quadratic.
  std::size_t limit(std::size_t i) const {
    constexpr std::size_t kMaxSpan = 24;
    std::size_t lim = i + 1;
    while (lim < words_.size() && lim - i < kMaxSpan && words_[lim].speaker == words_[i].speaker && toks_[lim - 1].mark.empty() &&
           toks_[lim].prefix.empty())
      ++lim;
    return lim;
  }

  // Word k-1 introduces the span at k from within the same sentence and speaker.
  template <std::size_t N>
  bool cued_by(std::size_t k, const std::array<std::string_view, N>& cues) const {
    if (k == 0) return false;
    const Tok& p = toks_[k - 1];
    return p.mark.empty() && words_[k - 1].speaker == words_[k].speaker && toks_[k].prefix.empty() &&
           index_of(cues, p.core) >= 0;
  }

  bool numberish(std::size_t k, std::size_t lim) const {
    if (k >= lim) return false;
    if (is_cardinal_word(core(k))) return true;
    return (core(k) == "oh" || core(k) == "point") && k + 1 < lim && digit_value(core(k + 1)) >= 0;
  }

  void emit(std::vector<Word>& out, std::size_t i, const Match& m) {
    const std::size_t last = m.end - 1;
    if (m.rewrite) {
      Word w;
      std::string text = m.text;
      if (toks_[i].capital && !text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = char(text[0] - 'a' + 'A');
      std::string mark = toks_[last].mark;
      if (!text.empty() && text.back() == '.' && !mark.empty() && mark[0] == '.') mark.erase(0, 1);
      w.text = toks_[i].prefix + text + mark;
      w.start = words_[i].start;
      w.end = words_[last].end;
      w.confidence = words_[i].confidence;
      for (std::size_t k = i; k <= last; ++k) w.confidence = std::min(w.confidence, words_[k].confidence);
      w.speaker = words_[i].speaker;
      out.push_back(std::move(w));
    } else {
      for (std::size_t k = i; k <= last; ++k) out.push_back(words_[k]);
    }
    if (found_ && !m.type.empty()) {
      Entity e;
      e.type = m.type;
      e.text = m.text;
      e.start = words_[i].start;
      e.end = words_[last].end;
      e.speaker = words_[i].speaker;
      found_->push_back(std::move(e));
    }
  }

  // ---- numbers -------------------------------------------------------------------------------

  // The longest number spoken from i: a cardinal below a million ("six hundred and twenty
  // thousand"), possibly ending in an ordinal ("twenty first"), a decimal ("two point five"), or
  // N / N.D followed by "million"/"billion" with nothing after. Only forms the scorer reads back.
  std::optional<Num> parse_number(std::size_t i, std::size_t lim) const {
    Num n;
    std::size_t k = i;
    if (k < lim && core(k) == "zero") {
      n.end = ++k;
    } else {
      enum Low { kLowNone, kLowUnit, kLowTeen, kLowTens, kLowTensUnit };
      std::int64_t total = 0, group = 0;
      bool has_hundred = false, has_thousand = false, any = false;
      Low low = kLowNone;
      for (; k < lim; ++k) {
        const std::string& w = core(k);
        int v;
        if ((v = unit_value(w)) > 0 && (low == kLowNone || low == kLowTens)) {
          group += v;
          low = low == kLowTens ? kLowTensUnit : kLowUnit;
        } else if ((v = teen_value(w)) > 0 && low == kLowNone) {
          group += v;
          low = kLowTeen;
        } else if ((v = tens_value(w)) > 0 && low == kLowNone) {
          group += v;
          low = kLowTens;
        } else if (w == "hundred" && low == kLowUnit && !has_hundred) {
          group *= 100;
          has_hundred = true;
          low = kLowNone;
        } else if (w == "thousand" && !has_thousand && group > 0) {
          total = group * 1000;
          group = 0;
          has_hundred = false;
          has_thousand = true;
          low = kLowNone;
        } else if (w == "and" && any && k > i && (core(k - 1) == "hundred" || core(k - 1) == "thousand") &&
                   k + 1 < lim && (unit_value(core(k + 1)) > 0 || teen_value(core(k + 1)) > 0 ||
                                   tens_value(core(k + 1)) > 0)) {
          continue;  // "one hundred and five": the scorer drops this "and" too
        } else if ((v = index_of(kUnitOrd, w)) > 0 && (low == kLowNone || low == kLowTens)) {
          group += v;
          n.ordinal = true;
        } else if ((v = index_of(kTeenOrd, w)) >= 0 && low == kLowNone) {
          group += 10 + v;
          n.ordinal = true;
        } else if ((v = index_of(kTensOrd, w)) >= 0 && low == kLowNone) {
          group += 20 + 10 * v;
          n.ordinal = true;
        } else if (w == "hundredth" && low == kLowUnit && !has_hundred) {
          group *= 100;
          n.ordinal = true;
        } else if (w == "thousandth" && !has_thousand && group > 0) {
          total = group * 1000;
          group = 0;
          n.ordinal = true;
        } else {
          break;
        }
        any = true;
        if (n.ordinal) {
          ++k;
          break;
        }
      }
      if (!any) return std::nullopt;
      // A dangling "and" is never consumed (the check above looks ahead), so k is the end.
      n.value = total + group;
      n.end = k;
      if (n.ordinal) return n;
      if (has_thousand) {
        // No decimal or scale after thousands: "two thousand point five" is not a form we write.
        return n;
      }
    }
    k = n.end;
    if (k + 1 < lim && core(k) == "point" && digit_value(core(k + 1)) >= 0) {
      ++k;
      while (k < lim && digit_value(core(k)) >= 0) n.frac += char('0' + digit_value(core(k++)));
      n.decimal = true;
      n.end = k;
    }
    if (k < lim && (core(k) == "million" || core(k) == "billion") && n.value > 0 && n.value < 1000 &&
        !numberish(k + 1, lim)) {
      n.scale = core(k);
      n.end = k + 1;
    }
    return n;
  }

  std::string number_text(const Num& n, std::int64_t comma_from) const {
    std::string s = with_commas(n.value, comma_from);
    if (n.decimal) s += "." + n.frac;
    if (!n.scale.empty()) s += " " + n.scale;
    return s;
  }

  // The words from i that are all number words, left as spoken ("nineteen eighty four").
  Match leave_run(std::size_t i, std::size_t lim) const {
    std::size_t k = i;
    auto joiner = [&](std::size_t j) {
      return (core(j) == "and" || core(j) == "point" || core(j) == "oh") && j > i && j + 1 < lim &&
             (is_cardinal_word(core(j + 1)) || is_ordinal_word(core(j + 1)));
    };
    while (k < lim && (numberish(k, lim) || is_ordinal_word(core(k)) || joiner(k)))
      ++k;
    return Match{std::max(k, i + 1), "", "", false};
  }

  std::optional<Match> match_number(std::size_t i, std::size_t lim) const {
    std::optional<Num> n = parse_number(i, lim);
    if (!n) return std::nullopt;
    std::size_t e = n->end;
    // A cardinal right after another ("twenty twenty", "five five", "twelve hundred") or a
    // failed decimal ("two point fifty"): leave the whole run as words.
    if (!n->ordinal && numberish(e, lim)) return leave_run(i, lim);
    if (!n->ordinal && e + 1 < lim && core(e) == "point" && numberish(e + 1, lim)) return leave_run(i, lim);
    // "one hundred and first": "101st" would read back without the "and".
    if (!n->ordinal && e + 1 < lim && core(e) == "and" && (core(e - 1) == "hundred" || core(e - 1) == "thousand") &&
        is_ordinal_word(core(e + 1)))
      return leave_run(i, lim);

    if (n->ordinal) {
      if (n->value < 10) return Match{e, "", "", false};
      return Match{e, with_commas(n->value, 10000) + ordinal_suffix(n->value), "ordinal", true};
    }
    if (e < lim) {
      const std::string& next = core(e);
      const bool per_cent = next == "per" && e + 1 < lim && core(e + 1) == "cent";
      if ((next == "percent" || per_cent) && n->scale.empty())
        return Match{e + (per_cent ? 2 : 1), number_text(*n, 10000) + "%", "percent", true};
      if (next == "dollars" || next == "euros") {
        const std::string sym = next == "dollars" ? "$" : "\xE2\x82\xAC";  // €
        if (!n->scale.empty()) return Match{e + 1, number_text(*n, 10000) + " " + next, "money", true};
        if (n->decimal || n->value != 1) return Match{e + 1, sym + number_text(*n, 1000), "money", true};
      }
      if (next == "cents" && !n->decimal && n->scale.empty() && n->value != 1)
        return Match{e + 1, number_text(*n, 10000) + " cents", "money", true};
    }
    if (!n->decimal && n->scale.empty() && n->value < 10) return Match{e, "", "", false};
    return Match{e, number_text(*n, 10000), "number", true};
  }

  // ---- times ---------------------------------------------------------------------------------

  static int hour_value(std::string_view w) {
    int v = unit_value(w);
    if (v > 0) return v;
    v = teen_value(w);
    return (v >= 10 && v <= 12) ? v : -1;
  }

  std::optional<Match> match_time(std::size_t i, std::size_t lim) const {
    const int h = hour_value(core(i));
    if (h < 0) return std::nullopt;
    std::size_t k = i + 1;
    int mm = -1;
    if (k + 1 < lim && core(k) == "oh" && unit_value(core(k + 1)) > 0) {
      mm = unit_value(core(k + 1));
      k += 2;
    } else if (k < lim && teen_value(core(k)) > 0) {
      mm = teen_value(core(k));
      ++k;
    } else if (k < lim && tens_value(core(k)) > 0 && tens_value(core(k)) <= 50) {
      mm = tens_value(core(k));
      ++k;
      if (k < lim && unit_value(core(k)) > 0) mm += unit_value(core(k++));
    }
    std::string written = std::to_string(h);
    if (mm >= 0) written += (mm < 10 ? ":0" : ":") + std::to_string(mm);
    // a.m. / p.m.: "am", "a.m.", or "a m" as two words.
    std::string ampm;
    std::size_t a = k;
    // One token stays one ("pm" -> "PM"), two stay two ("p m" -> "p.m."): the scorer reads "PM"
    // as "pm" but "p.m." as "p m".
    if (a < lim && (core(a) == "am" || core(a) == "pm")) {
      ampm = core(a) == "am" ? "AM" : "PM";
      ++a;
    } else if (a < lim && (core(a) == "a.m" || core(a) == "p.m")) {
      ampm = core(a) == "a.m" ? "a.m." : "p.m.";
      ++a;
    } else if (a + 1 < lim && (core(a) == "a" || core(a) == "p") && core(a + 1) == "m") {
      ampm = core(a) == "a" ? "a.m." : "p.m.";
      a += 2;
    }
    if (!ampm.empty()) {
      if (numberish(a, lim)) return std::nullopt;
      return Match{a, written + " " + ampm, "time", true};
    }
    if (mm < 0) {
      std::size_t o = k;
      // Only the one-token "o'clock": "o clock" written "o'clock" would read back as "oclock".
      if (o >= lim || core(o) != "o'clock") return std::nullopt;
      ++o;
      return Match{o, written + " o'clock", "time", true};
    }
    if (!cued_by(i, kTimeCues)) return std::nullopt;
    if (numberish(k, lim) || (k < lim && index_of(kUnits, core(k)) >= 0)) return std::nullopt;
    return Match{k, written, "time", true};
  }

  // ---- dates ---------------------------------------------------------------------------------

  static std::string month_name(int m) {
    std::string s(kMonths[std::size_t(m)]);
    s[0] = char(s[0] - 'a' + 'A');
    return s;
  }

  std::optional<Num> day_ordinal(std::size_t k, std::size_t lim) const {
    if (k >= lim) return std::nullopt;
    std::optional<Num> n = parse_number(k, lim);
    if (!n || !n->ordinal || n->value < 1 || n->value > 31) return std::nullopt;
    return n;
  }

  // ", 2005" after a date when a year below a million that reads back follows ("two thousand
  // five"); years said in pairs stay words.
  std::size_t append_year(std::size_t k, std::size_t lim, std::string& text) const {
    if (k >= lim) return k;
    std::optional<Num> y = parse_number(k, lim);
    if (!y || y->ordinal || y->decimal || !y->scale.empty() || y->value < 1000 || y->value > 2999 ||
        numberish(y->end, lim))
      return k;
    text += ", " + std::to_string(y->value);
    return y->end;
  }

  std::optional<Match> match_date(std::size_t i, std::size_t lim) const {
    const int month = index_of(kMonths, core(i));
    if (month >= 0) {
      // "may" is also a verb: "you may first ...".
      if (core(i) == "may" && !cued_by(i, kDateCues)) return std::nullopt;
      std::optional<Num> d = day_ordinal(i + 1, lim);
      if (!d) return std::nullopt;
      std::string text = month_name(month) + " " + std::to_string(d->value) + ordinal_suffix(d->value);
      std::size_t end = append_year(d->end, lim, text);
      return Match{end, text, "date", true};
    }
    std::optional<Num> d = day_ordinal(i, lim);
    if (!d) return std::nullopt;
    std::size_t k = d->end;
    if (k + 1 < lim && core(k) == "of") {
      const int m = index_of(kMonths, core(k + 1));
      if (m < 0) return std::nullopt;
      std::string text = std::to_string(d->value) + ordinal_suffix(d->value) + " of " + month_name(m);
      std::size_t end = append_year(k + 2, lim, text);
      return Match{end, text, "date", true};
    }
    return std::nullopt;
  }

  // ---- entities that are reported but not rewritten -------------------------------------------

  std::optional<Match> match_phone(std::size_t i, std::size_t lim) const {
    auto digit = [&](std::size_t k) { return core(k) == "oh" ? 0 : digit_value(core(k)); };
    std::string d;
    std::size_t k = i;
    while (k < lim && digit(k) >= 0) d += char('0' + digit(k++));
    if (k < lim && is_cardinal_word(core(k))) return std::nullopt;
    std::string text;
    if (d.size() == 7) {
      text = d.substr(0, 3) + "-" + d.substr(3);
    } else if (d.size() == 10) {
      text = d.substr(0, 3) + "-" + d.substr(3, 3) + "-" + d.substr(6);
    } else if (d.size() == 11 && d[0] == '1') {
      text = "1-" + d.substr(1, 3) + "-" + d.substr(4, 3) + "-" + d.substr(7);
    } else {
      return std::nullopt;
    }
    return Match{k, text, "phone", false};
  }

  bool label(std::size_t k) const {
    const std::string& w = core(k);
    if (w.empty() || w == "at" || w == "dot") return false;
    for (char c : w)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
  }

  // label (dot label)* from k; returns the labels and sets k past them.
  std::vector<std::string> dotted(std::size_t& k, std::size_t lim) const {
    std::vector<std::string> labels;
    if (k >= lim || !label(k)) return labels;
    labels.push_back(core(k++));
    while (k + 1 < lim && core(k) == "dot" && label(k + 1)) {
      labels.push_back(core(k + 1));
      k += 2;
    }
    return labels;
  }

  static std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ".") + x;
    return s;
  }

  std::optional<Match> match_email(std::size_t i, std::size_t lim) const {
    if (index_of(kNotAddress, core(i)) >= 0) return std::nullopt;
    std::size_t k = i;
    std::vector<std::string> local = dotted(k, lim);
    if (local.empty() || k >= lim || core(k) != "at") return std::nullopt;
    ++k;
    std::vector<std::string> domain = dotted(k, lim);
    if (domain.size() < 2 || index_of(kTlds, domain.back()) < 0) return std::nullopt;
    return Match{k, join(local) + "@" + join(domain), "email", false};
  }

  std::optional<Match> match_url(std::size_t i, std::size_t lim) const {
    std::size_t k = i;
    bool www = false;
    if (core(k) == "www") {
      www = true;
      ++k;
    } else if (k + 2 < lim && core(k) == "w" && core(k + 1) == "w" && core(k + 2) == "w") {
      www = true;
      k += 3;
    }
    if (www) {
      if (k + 1 >= lim || core(k) != "dot") return std::nullopt;
      ++k;
    } else if (index_of(kNotAddress, core(i)) >= 0) {
      return std::nullopt;
    }
    std::vector<std::string> labels = dotted(k, lim);
    if (labels.size() < (www ? 1u : 2u) || index_of(kTlds, labels.back()) < 0) return std::nullopt;
    if (www && labels.size() < 2) return std::nullopt;
    return Match{k, (www ? "www." : "") + join(labels), "url", false};
  }

  const std::vector<Word>& words_;
  std::vector<Entity>* found_;
  std::vector<Tok> toks_;
};

}  // namespace

std::vector<Word> write_numerals(const std::vector<Word>& words, std::vector<Entity>* found) {
  return Formatter(words, found).run();
}

}  // namespace vox
