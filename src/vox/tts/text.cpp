// UTF-8 validation and sentence splitting (normalize_english lives in normalize_english.cpp).
#include "vox/tts/text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <iterator>

namespace vox {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
bool is_ascii_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_closer(char c) { return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}'; }

// Words after which a period never ends a sentence: they precede a name or a continuation.
constexpr std::string_view kNoBreakAbbreviations[] = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "rev", "gen", "capt", "lt",
    "col", "sgt", "mt", "vs", "approx", "fig", "eg", "ie", "cf"};

// The word (letters and dots) that ends just before position `dot` in `text`.
std::string_view word_before(std::string_view text, std::size_t dot) {
  std::size_t start = dot;
  while (start > 0 && (std::isalpha(static_cast<unsigned char>(text[start - 1])) || text[start - 1] == '.')) --start;
  return text.substr(start, dot - start);
}

// Decides whether the '.' at `dot` (followed by whitespace or the end) ends a sentence.
bool period_ends_sentence(std::string_view text, std::size_t dot) {
  const std::string_view word = word_before(text, dot);
  std::string key;
  for (char c : word)
    if (c != '.') key += char(std::tolower(static_cast<unsigned char>(c)));
  if (std::find(std::begin(kNoBreakAbbreviations), std::end(kNoBreakAbbreviations), key) != std::end(kNoBreakAbbreviations))
    return false;
  // "J. Smith": a single capital letter is an initial.
  if (word.size() == 1 && std::isupper(static_cast<unsigned char>(word[0]))) return false;
  std::size_t next = dot + 1;
  while (next < text.size() && (is_space(text[next]) && text[next] != '\n')) ++next;
  if (next >= text.size() || text[next] == '\n') return true;
  // "approx. five", "U.S. economy": an unknown abbreviation followed by a lowercase word.
  return !std::islower(static_cast<unsigned char>(text[next]));
}

// Length in bytes of the CJK full stop / exclamation / question mark at `i`, or 0.
std::size_t cjk_terminator(std::string_view text, std::size_t i) {
  static constexpr std::array<std::string_view, 5> kMarks = {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F",
                                                             "\xEF\xBC\x9B", "\xEF\xBC\x8E"};
  for (auto mark : kMarks)
    if (text.substr(i, mark.size()) == mark) return mark.size();
  return 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool has_speakable_char(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return is_ascii_alnum(c) || (static_cast<unsigned char>(c) >= 0x80); });
}

// Cuts a too-long sentence into pieces of at most kMaxSentenceBytes, preferring a comma, then a
// space, and never splitting a UTF-8 sequence.
void append_in_pieces(std::string_view s, std::vector<std::string>& out) {
  while (s.size() > kMaxSentenceBytes) {
    std::string_view window = s.substr(0, kMaxSentenceBytes);
    std::size_t cut = window.rfind(", ");
    if (cut != std::string_view::npos && cut > kMaxSentenceBytes / 3) {
      cut += 1;  // keep the comma with the first piece
    } else {
      cut = window.rfind(' ');
      if (cut == std::string_view::npos || cut < kMaxSentenceBytes / 3) {
        cut = kMaxSentenceBytes;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // continuation byte
        if (cut == 0) cut = kMaxSentenceBytes;
      }
    }
    const std::string_view piece = trim(s.substr(0, cut));
    if (has_speakable_char(piece)) out.emplace_back(piece);
    s = trim(s.substr(cut));
  }
  s = trim(s);
  if (has_speakable_char(s)) out.emplace_back(s);
}

}  // namespace

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
      cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      cp = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      cp = b0 & 0x07;
    } else {
      return false;  // stray continuation byte, overlong lead (C0/C1) or > U+10FFFF lead
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;  // overlong
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;                         // surrogate
    if (cp > 0x10FFFF) return false;
    i += len;
  }
  return true;
}

Status check_utf8_input(std::string_view text) {
  if (!valid_utf8(text)) return Error(ErrorCode::kInvalidArgument, "input is not valid UTF-8 text", "input");
  return Status::Ok();
}

Result<std::vector<std::string>> split_sentences(std::string_view text) {
  if (auto st = check_utf8_input(text); !st) return st.error();
  std::vector<std::string> sentences;
  std::size_t start = 0;
  std::size_t i = 0;
  auto emit = [&](std::size_t end) {
    append_in_pieces(text.substr(start, end - start), sentences);
    start = end;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      emit(i);
      ++i;
      start = i;
      continue;
    }
    if (const std::size_t cjk = cjk_terminator(text, i)) {
      i += cjk;
      emit(i);
      continue;
    }
    if (c == '.' || c == '!' || c == '?' || c == ';') {
      // A run of terminators ("?!", "...") and closing quotes/brackets stays with the sentence.
      std::size_t run_end = i;
      while (run_end < text.size() && (text[run_end] == '.' || text[run_end] == '!' || text[run_end] == '?' || text[run_end] == ';'))
        ++run_end;
      std::size_t end = run_end;
      while (end < text.size() && is_closer(text[end])) ++end;
      bool breaks = end >= text.size() || is_space(text[end]);
      // A lone '.' is checked for abbreviations and initials; "...", "!" or "?!" always break.
      if (breaks && c == '.' && run_end - i == 1) breaks = period_ends_sentence(text, i);
      i = end;
      if (breaks) emit(end);
      continue;
    }
    ++i;
  }
  emit(text.size());
  return sentences;
}

}  // namespace vox
