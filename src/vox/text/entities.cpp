// People, organisations and places: gazetteers (entity_gazetteer.cpp) and context rules over the
// capitalised stretches of the written words.
//
// 1. Each word is reduced to its core (leading quotes/brackets, trailing marks and a possessive
//    "'s" removed). A mark after a word (other than an abbreviation's period: "Dr.", "St.",
//    "U.S."), a speaker change or a leading quote separates it from the next: no entity spans
//    them. A sentence starts at the first word, after . ? ! and at a speaker change.
// 2. Runs: maximal stretches of capitalised words that are not function words, months, days or
//    titles, joined by "of", "the" (after "of"), "and", "&" and name particles ("van", "de")
//    between capitalised words.
// 3. Inside a run, left to right:
//    - a title before it ("mister", "Dr.", "professor", "president", ...) makes the first names a
//      person ("doctor Smith" -> "Smith");
//    - an organisation word ends a stretch ("Brightstar Inc", "New York University") or starts
//      one with "of" ("University of Texas"), or follows the run in lowercase ("the Northwind
//      company" -> "Northwind"), or "university of" / "bank of" precede it in lowercase;
//    - the longest gazetteer name wins, typed by its sources (a built-in organisation, a country,
//      a place after "in" / "from" / "to" ..., a state or city, a WordNet person, place, group, a
//      given name);
//    - a given name followed by capitalised words is a person ("John Smith", "Bill Gates").
// 4. Doubtful one-word names: at a sentence start a name that is also an English word ("Will",
//    "China", "Bill") needs context; mid-sentence only frequent words ("Will", "Bill", "Mark",
//    "Turkey" but not "China") do; countries are accepted mid-sentence always.
// 5. An unknown capitalised word counts only with context ("works at Brightstar" -> organisation).
#include "vox/text/entities.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_set>

#include "vox/text/entity_gazetteer.h"

namespace vox {

namespace {

using namespace entity_detail;

bool in(const std::string& key, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), key) != set.end();
}

const std::unordered_set<std::string>& titles() {
  static const std::unordered_set<std::string> s = {
      "mister", "mr", "mrs", "ms", "miss", "missus", "doctor", "dr", "professor", "prof", "sir",
      "madam", "dame", "lord", "lady", "president", "senator", "sen", "governor", "gov", "judge",
      "captain", "capt", "officer", "detective", "det", "sergeant", "sgt", "lieutenant", "lt",
      "general", "gen", "colonel", "col", "admiral", "reverend", "rev", "rabbi", "father", "uncle",
      "aunt", "auntie", "king", "queen", "prince", "princess", "pope", "coach", "chancellor",
      "minister", "mayor", "ceo", "agent", "nurse", "congressman", "congresswoman",
      "councilman", "councilwoman", "ambassador", "inspector", "chef", "pastor", "brother",
      "sister", "cousin", "grandma", "grandpa", "grandmother", "grandfather"};
  return s;
}

// A capitalised one ends an organisation's name: "Brightstar Inc", "New York University".
const std::unordered_set<std::string>& org_suffixes() {
  static const std::unordered_set<std::string> s = {
      "inc", "incorporated", "corp", "corporation", "ltd", "limited", "llc", "plc", "co", "company",
      "group", "bank", "institute", "agency", "university", "college", "foundation", "association",
      "society", "airlines", "airways", "motors", "technologies", "technology", "systems", "labs",
      "laboratories", "partners", "holdings", "industries", "council", "committee", "commission",
      "department", "ministry", "school", "academy", "hospital", "museum", "club", "party",
      "network", "studios", "enterprises", "solutions", "services", "bureau", "federation",
      "union", "church", "corps", "fc", "insurance", "pharmaceuticals", "electronics", "software",
      "communications", "media", "ventures", "trust", "organization", "organisation", "gmbh", "ag",
      "sa", "bros", "brothers", "records", "publishing", "press", "times", "post", "news",
      "league", "team", "consulting", "capital", "energy", "oil", "airport", "clinic", "police"};
  return s;
}

// Before "of": "University of Texas", "bank of America".
const std::unordered_set<std::string>& org_heads() {
  static const std::unordered_set<std::string> s = {
      "university", "bank", "institute", "college", "museum", "ministry", "department", "school",
      "academy", "bureau", "federation", "council", "church", "hospital", "commission", "board",
      "society", "association", "league", "embassy", "office", "court", "house", "chamber"};
  return s;
}

// Lowercase after a run: "the Northwind company". true in `keep` when the word is part of the
// name ("Acme inc").
bool org_word_after(const std::string& key, bool& keep) {
  keep = in(key, {"inc", "ltd", "llc", "plc", "corp", "co"});
  return keep || in(key, {"company", "corporation", "group", "bank", "agency", "institute",
                          "foundation", "firm", "startup", "studio", "studios", "airline",
                          "airlines", "brand", "university", "college", "organization",
                          "organisation", "labs"});
}

bool is_connector(const std::string& key) {
  return in(key, {"of", "the", "and", "&", "de", "del", "da", "van", "von", "der", "den", "du", "la", "le",
                  "al", "bin", "y", "upon"});
}

bool is_particle(const std::string& key) {
  return in(key, {"de", "del", "da", "van", "von", "der", "den", "du", "la", "le", "al", "bin"});
}

// Trailing "." of these is no sentence end (their next word may still be a name).
bool is_abbreviation(const std::string& key) {
  return in(key, {"mr", "mrs", "ms", "dr", "st", "prof", "mt", "ft", "gen", "gov", "sen", "rep", "capt",
                  "lt", "col", "sgt", "rev", "det", "vs", "jr", "sr"});
}

bool is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }

bool starts_upper(std::string_view w) {
  if (w.empty()) return false;
  auto c = static_cast<unsigned char>(w[0]);
  if (is_upper(c)) return true;
  return c == 0xC3 && w.size() > 1 && static_cast<unsigned char>(w[1]) >= 0x80 &&
         static_cast<unsigned char>(w[1]) <= 0x9E && static_cast<unsigned char>(w[1]) != 0x97;
}

bool is_acronym(std::string_view w) {
  int letters = 0;
  for (char ch : w) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalpha(c)) {
      if (!is_upper(c)) return false;
      ++letters;
    }
  }
  return letters >= 2;
}

// Number of bytes of a leading mark at the front of `w` (ASCII punctuation, “ ‘ « ¿ ¡), 0 if none.
size_t leading_mark(std::string_view w) {
  if (w.empty()) return 0;
  auto c = static_cast<unsigned char>(w[0]);
  if (c < 0x80) return std::ispunct(c) && c != '&' ? 1 : 0;
  if (w.size() >= 3 && c == 0xE2 && static_cast<unsigned char>(w[1]) == 0x80) {
    auto d = static_cast<unsigned char>(w[2]);
    if (d == 0x9C || d == 0x98 || d == 0x94 || d == 0x93) return 3;  // “ ‘ — –
  }
  if (w.size() >= 2 && c == 0xC2 && (static_cast<unsigned char>(w[1]) == 0xAB ||
                                     static_cast<unsigned char>(w[1]) == 0xBF ||
                                     static_cast<unsigned char>(w[1]) == 0xA1))
    return 2;  // « ¿ ¡
  return 0;
}

// Number of bytes of a trailing mark at the end of `w` (ASCII punctuation, ” ’ » … — –).
size_t trailing_mark(std::string_view w) {
  if (w.empty()) return 0;
  auto c = static_cast<unsigned char>(w.back());
  if (c < 0x80) return std::ispunct(c) && c != '&' ? 1 : 0;
  if (w.size() >= 3 && static_cast<unsigned char>(w[w.size() - 3]) == 0xE2 &&
      static_cast<unsigned char>(w[w.size() - 2]) == 0x80) {
    if (c == 0x9D || c == 0x99 || c == 0xA6 || c == 0x94 || c == 0x93) return 3;
  }
  if (w.size() >= 2 && static_cast<unsigned char>(w[w.size() - 2]) == 0xC2 && c == 0xBB) return 2;
  return 0;
}

struct Tok {
  std::string core;  // the word without marks or possessive
  std::string key;   // word_key(core)
  bool cap = false;
  bool acronym = false;
  bool sentence_start = false;
  bool joined = false;  // nothing separates it from the previous token
  bool abbrev_dot = false;  // an abbreviation's or initial's period followed it ("F.", "U.S.")
};

struct Span {
  size_t from = 0, to = 0;  // tokens, inclusive
  const char* type = nullptr;
  size_t cap_lead = 0;  // leading lowercase words to capitalise: "university of Texas", "new York"
};

class GazetteerFinder final : public EntityFinder {
 public:
  explicit GazetteerFinder(std::unique_ptr<Gazetteer> g) : g_(std::move(g)) {}

  std::vector<Entity> find(const std::vector<Word>& words) const override {
    std::vector<Tok> toks = tokenize(words);
    std::vector<Span> spans;
    size_t i = 0;
    while (i < toks.size()) {
      if (!in_run(toks, i, i)) {
        ++i;
        continue;
      }
      size_t b = i;
      while (b + 1 < toks.size() && toks[b + 1].joined) {
        if (in_run(toks, b + 1, i)) {
          ++b;
        } else if (b + 2 < toks.size() && is_connector(toks[b + 1].key) && !toks[b + 1].cap &&
                   toks[b + 2].joined && in_run(toks, b + 2, i) &&
                   (toks[b + 1].key != "the" || toks[b].key == "of")) {
          b += 2;
        } else if (b + 3 < toks.size() && toks[b + 1].key == "of" && toks[b + 2].key == "the" &&
                   toks[b + 2].joined && toks[b + 3].joined && in_run(toks, b + 3, i)) {
          b += 3;
        } else {
          break;
        }
      }
      run(toks, i, b, spans);
      i = b + 1;
    }
    std::vector<Entity> out;
    out.reserve(spans.size());
    for (const Span& s : spans) {
      Entity e;
      e.type = s.type;
      for (size_t k = s.from; k <= s.to; ++k) {
        if (k > s.from) e.text += ' ';
        e.text += toks[k].core;
        // "John F. Kennedy", "U.S." keep their abbreviations' periods (not a trailing mark).
        if (toks[k].abbrev_dot && (k < s.to || toks[k].core.find('.') != std::string::npos)) e.text += '.';
      }
      for (size_t k = s.from, at = 0; k < s.from + s.cap_lead; ++k) {
        if (e.text[at] >= 'a' && e.text[at] <= 'z') e.text[at] -= 32;
        at += toks[k].core.size() + 1;
      }
      e.start = words[s.from].start;  // one token per word
      e.end = words[s.to].end;
      e.speaker = words[s.from].speaker;
      out.push_back(std::move(e));
    }
    return out;
  }

 private:
  std::vector<Tok> tokenize(const std::vector<Word>& words) const {
    std::vector<Tok> toks(words.size());
    bool prev_sentence_end = true;  // the first word starts a sentence
    bool prev_separates = true;
    for (size_t i = 0; i < words.size(); ++i) {
      std::string_view w = words[i].text;
      while (!w.empty() && std::isspace(static_cast<unsigned char>(w.front()))) w.remove_prefix(1);
      while (!w.empty() && std::isspace(static_cast<unsigned char>(w.back()))) w.remove_suffix(1);
      bool lead = false;
      while (size_t n = leading_mark(w)) {
        w.remove_prefix(n);
        lead = true;
      }
      const std::string_view body = w;  // the word with its trailing marks
      bool sentence_end = false, trail = false;
      while (size_t n = trailing_mark(w)) {
        char c = w[w.size() - n];
        if (n == 1 && (c == '.' || c == '?' || c == '!')) sentence_end = true;
        if (n == 3 && static_cast<unsigned char>(w.back()) == 0xA6) sentence_end = true;  // …
        w.remove_suffix(n);
        trail = true;
      }
      const std::string_view tail = body.substr(w.size());
      // Possessive: "Paris's", "Paris’s", "James'" (that apostrophe went with the marks).
      bool possessive = false;
      if (w.size() > 2 && (w.ends_with("'s") || w.ends_with("'S"))) {
        w.remove_suffix(2);
        possessive = true;
      } else if (w.size() > 4 && w.ends_with("\xE2\x80\x99s")) {
        w.remove_suffix(4);
        possessive = true;
      } else if (!tail.empty() && tail[0] == '\'' && !w.empty() && (w.back() == 's' || w.back() == 'S')) {
        possessive = true;
      }
      Tok& t = toks[i];
      t.core = std::string(w);
      t.key = word_key(w);
      t.cap = starts_upper(w);
      t.acronym = is_acronym(w);
      // An abbreviation's period ("Dr.", "St.", "U.S.", "J.") neither ends a sentence nor
      // separates; "Inc." and "Ltd." end names and may end a sentence.
      if (tail == "." && !possessive &&
          (is_abbreviation(t.key) || (t.key.size() == 1 && t.cap) || w.find('.') != std::string_view::npos)) {
        sentence_end = false;
        trail = false;
        t.abbrev_dot = true;
      }
      const bool speaker_change = i > 0 && words[i].speaker != words[i - 1].speaker;
      t.sentence_start = prev_sentence_end || speaker_change;
      t.joined = i > 0 && !prev_separates && !lead && !speaker_change && !t.core.empty();
      prev_sentence_end = sentence_end || (t.core.empty() && prev_sentence_end);
      prev_separates = trail || possessive || t.core.empty();
    }
    return toks;
  }

  bool common(const Tok& t) const {
    if (g_->common.count(t.key)) return true;
    // The cased list has it only in lowercase ("Went" at a sentence start is "went").
    return g_->cased.count(t.key) && !g_->cased.count(capitalised(t.key));
  }
  bool very_common(const Tok& t) const { return g_->very_common.count(t.key) > 0; }

  static std::string capitalised(const std::string& key) {
    std::string s = key;
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] -= 32;
    return s;
  }

  // A capitalised word that can be part of a name. `run_start`: where the run began (a title
  // there may belong to a name: "General Motors").
  bool in_run(const std::vector<Tok>& toks, size_t i, size_t run_start) const {
    const Tok& t = toks[i];
    if (!t.cap || t.core.empty()) return false;
    if (!std::isalpha(static_cast<unsigned char>(t.core[0])) && static_cast<unsigned char>(t.core[0]) < 0x80)
      return false;
    if (t.key == "i" || t.key.rfind("i'", 0) == 0) return false;
    if (is_function_word(t.key) && !(t.acronym && t.key.size() >= 2 && g_->names.count(t.key))) return false;
    if (titles().count(t.key)) {
      // A title is part of a name the gazetteer knows ("General Motors", "King Kong").
      if (i == run_start && i + 1 < toks.size() && toks[i + 1].joined && toks[i + 1].cap) {
        return g_->names.count(t.key + ' ' + toks[i + 1].key) > 0;
      }
      return false;
    }
    return true;
  }

  uint16_t lookup(const std::vector<Tok>& toks, size_t from, size_t to) const {
    std::string key = toks[from].key;
    for (size_t k = from + 1; k <= to; ++k) {
      key += ' ';
      key += toks[k].key;
    }
    auto it = g_->names.find(key);
    return it == g_->names.end() ? 0 : it->second;
  }

  // The token before `a` (skipping one "the"), if joined to it.
  const Tok* before(const std::vector<Tok>& toks, size_t a, bool skip_the) const {
    if (a == 0 || !toks[a].joined) return nullptr;
    const Tok* p = &toks[a - 1];
    if (skip_the && p->key == "the" && a >= 2 && p->joined) return &toks[a - 2];
    return p;
  }

  bool place_context(const std::vector<Tok>& toks, size_t a) const {
    const Tok* p = before(toks, a, true);
    return p && !p->cap &&
           in(p->key, {"in", "at", "from", "to", "near", "into", "across", "visit", "visited", "visiting",
                       "outside", "around", "toward", "towards", "through", "via", "between", "within",
                       "throughout", "across", "leaving", "left", "reach", "reached", "flew", "moved"});
  }

  bool title_before(const std::vector<Tok>& toks, size_t a) const {
    if (a == 0 || !toks[a].joined) return false;
    return titles().count(toks[a - 1].key) > 0;
  }

  // "works at Brightstar", "joined Brightstar", "the CEO of Brightstar".
  bool work_context(const std::vector<Tok>& toks, size_t a) const {
    if (a == 0 || !toks[a].joined) return false;
    const std::string& p = toks[a - 1].key;
    if (in(p, {"joined", "joining", "join"})) return true;
    if (a < 2 || !toks[a - 1].joined || !in(p, {"at", "for", "by", "of"})) return false;
    return in(toks[a - 2].key, {"work", "works", "worked", "working", "employed", "ceo", "founder",
                                "cofounder", "co-founder", "engineer", "employee", "employees", "intern",
                                "internship", "job", "manager", "director", "president", "chairman",
                                "spokesman", "spokeswoman", "spokesperson", "analyst", "developer",
                                "shares", "stock", "researcher", "researchers", "scientist"});
  }

  const char* type_of(uint16_t src, bool place_ctx) const {
    if (src & kKnownOrg) return "organization";
    if (src & kCountry) return "location";
    if (place_ctx && (src & kPlaceSources)) return "location";
    if (src & (kRegion | kCity)) return "location";
    if (src & kWordnetPerson) return "person";
    if (src & kWordnetPlace) return "location";
    if (src & kWordnetOrg) return "organization";
    if (src & kFirstName) return "person";
    if (src & kMinorPlace) return "location";
    return nullptr;
  }

  // Whether a one-word gazetteer name stands: see 4. at the top.
  bool accept_single(const Tok& t, uint16_t src, bool place_ctx) const {
    if (t.acronym) return (src & (kKnownOrg | kCountry | kWordnetOrg)) != 0;
    if (place_ctx && (src & kPlaceSources)) return true;
    if (src & (kCountry | kKnownOrg)) return !(t.sentence_start && very_common(t));
    if (t.sentence_start) return !common(t);
    return !very_common(t);
  }

  // A capitalised surname after a given name: not a frequent word unless the cased list has it
  // capitalised ("Brown", "Smith" yes; "Good" no).
  bool surname_like(const Tok& t) const {
    if (!t.cap || is_function_word(t.key) || titles().count(t.key)) return false;
    if (t.key.size() == 1) return true;  // an initial: "John F. Kennedy"
    if (g_->names.count(t.key) && (g_->names.at(t.key) & (kCountry | kRegion))) return false;
    return !very_common(t) || g_->cased.count(capitalised(t.key));
  }

  // The person from a given name at `p`: the given name, then up to three more capitalised words
  // (initials, particles before a capitalised word). Returns the last token, or p if none follow.
  size_t person_from(const std::vector<Tok>& toks, size_t p, size_t b) const {
    size_t q = p;
    while (q + 1 <= b && q - p < 3) {
      const Tok& n = toks[q + 1];
      if (!n.joined) break;
      if (!n.cap && is_particle(n.key) && q + 2 <= b && toks[q + 2].joined && surname_like(toks[q + 2])) {
        q += 2;
        continue;
      }
      if (!surname_like(n)) break;
      ++q;
    }
    return q;
  }

  // Lowercase words before the run at `a` that complete a known place: "new York", "the united
  // States". Returns the place's last token, or 0 (no place) with nothing added.
  size_t extend_left(const std::vector<Tok>& toks, size_t a, size_t b, std::vector<Span>& out) const {
    for (size_t k = std::min<size_t>(2, a); k >= 1; --k) {
      size_t s = a - k;
      bool ok = true;
      for (size_t j = s; j < a; ++j)
        if (toks[j].cap || !toks[j + 1].joined || toks[j].core.empty() || !common(toks[j])) ok = false;
      if (!ok) continue;
      for (size_t e = std::min(b, s + g_->max_words - 1); e >= a; --e) {
        if (lookup(toks, s, e) & kPlaceSources) {
          out.push_back({s, e, "location", k});
          return e;
        }
        if (e == a) break;
      }
    }
    return 0;
  }

  void run(const std::vector<Tok>& toks, size_t a, size_t b, std::vector<Span>& out) const {
    if (size_t e = extend_left(toks, a, b, out)) {
      if (e < b) scan(toks, e + 1, a, b, out);
      return;
    }
    // "university of Texas", "the bank of America".
    if (a >= 2 && toks[a].joined && toks[a - 1].key == "of" && !toks[a - 1].cap && toks[a - 1].joined &&
        !toks[a - 2].cap && org_heads().count(toks[a - 2].key)) {
      out.push_back({a - 2, b, "organization", 1});
      return;
    }
    // "the Northwind company", "Brightstar inc": the whole run, unless it is a known place or
    // person ("a Texas company" is a company from Texas).
    if (b + 1 < toks.size() && toks[b + 1].joined && !toks[b + 1].cap) {
      bool keep = false;
      uint16_t src = lookup(toks, a, b);
      bool has_and = false;
      for (size_t k = a; k <= b; ++k) has_and = has_and || toks[k].key == "and" || toks[k].key == "&";
      if (org_word_after(toks[b + 1].key, keep) && !has_and &&
          (src == 0 || (src & kKnownOrg) || !(src & (kPlaceSources | kPersonSources)))) {
        out.push_back({a, keep ? b + 1 : b, "organization", 0});
        return;
      }
    }
    size_t p = a;
    // "doctor Smith", "Mr. John Smith", "President Lincoln".
    if (title_before(toks, a)) {
      size_t q = p;
      while (q + 1 <= b && q - p < 2 && toks[q + 1].cap && !is_connector(toks[q + 1].key)) ++q;
      out.push_back({p, q, "person", 0});
      p = q + 1;
    }
    scan(toks, p, a, b, out);
  }

  // Names in the run [a, b] from p on.
  void scan(const std::vector<Tok>& toks, size_t p, size_t a, size_t b, std::vector<Span>& out) const {
    while (p <= b) {
      const Tok& t = toks[p];
      if (!t.cap) {  // a connector
        ++p;
        continue;
      }
      // The longest name the gazetteer knows from p.
      size_t len = 0;
      uint16_t src = 0;
      for (size_t e = std::min(b, p + g_->max_words - 1);; --e) {
        if (toks[e].cap || toks[e].acronym) {
          if (uint16_t s = lookup(toks, p, e)) {
            len = e - p + 1;
            src = s;
            break;
          }
        }
        if (e == p) break;
      }
      // An organisation word ending a stretch without connectors ("Brightstar Inc").
      size_t suffix_end = p;
      for (size_t e = p + 1; e <= b && toks[e].cap; ++e)
        if (org_suffixes().count(toks[e].key)) suffix_end = e;
      if (suffix_end > p && suffix_end - p + 1 > len) {
        out.push_back({p, suffix_end, "organization", 0});
        p = suffix_end + 1;
        continue;
      }
      // An organisation word with "of": "University of Texas".
      if (org_heads().count(t.key) && p + 2 <= b && toks[p + 1].key == "of" && len < 3) {
        size_t e = p + 2;
        while (e + 1 <= b && (toks[e + 1].cap || (toks[e + 1].key != "and" && e + 2 <= b))) ++e;
        out.push_back({p, e, "organization", 0});
        p = e + 1;
        continue;
      }
      // "John Smith": a given name and a surname, unless the gazetteer knows a longer name.
      if ((src & kFirstName) && len == 1) {
        size_t q = person_from(toks, p, b);
        // "Will John come?": a frequent word at a sentence start before another given name.
        bool doubtful = t.sentence_start && very_common(t) && q == p + 1 && g_->names.count(toks[q].key) &&
                        (g_->names.at(toks[q].key) & kFirstName);
        if (q > p && !doubtful) {
          out.push_back({p, q, "person", 0});
          p = q + 1;
          continue;
        }
      }
      if (len > 0) {
        const bool place_ctx = p == a && place_context(toks, a);
        const char* type = type_of(src, place_ctx);
        bool take = type && (len > 1 || accept_single(t, src, place_ctx));
        if (take) out.push_back({p, p + len - 1, type, 0});
        p += len;
        continue;
      }
      // Unknown capitalised words: an organisation after "works at", "joined", ... (up to "and").
      if (p == a && work_context(toks, p)) {
        size_t e = p;
        while (e + 1 <= b && toks[e + 1].key != "and" && toks[e + 1].key != "&") ++e;
        while (!toks[e].cap) --e;
        out.push_back({p, e, "organization", 0});
        p = e + 1;
        continue;
      }
      ++p;
    }
  }

  std::unique_ptr<Gazetteer> g_;
};

}  // namespace

Result<std::unique_ptr<EntityFinder>> EntityFinder::load(const EntityDataPaths& paths) {
  auto g = load_gazetteer(paths);
  if (!g) return g.error();
  return std::unique_ptr<EntityFinder>(std::make_unique<GazetteerFinder>(std::move(*g)));
}

}  // namespace vox
