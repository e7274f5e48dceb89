#include "vox/tts/piper_phonemes.h"

#include "vox/core/utf8_encode.h"

namespace vox {
namespace {

// The clause mark a code point stands for, or 0. Full-width (CJK) marks map onto the ASCII ones,
// as espeak-ng classifies them as the same clause terminators.
char32_t clause_mark(char32_t c) {
  switch (c) {
    case U'.': case U'?': case U'!': case U',': case U':': case U';': return c;
    case U'\u3002': return U'.';                    // 。
    case U'\u3001': case U'\uFF0C': return U',';    // 、，
    case U'\uFF01': return U'!';
    case U'\uFF1F': return U'?';
    case U'\uFF1A': return U':';
    case U'\uFF1B': return U';';
    default: return 0;
  }
}

bool closing(char32_t c) {
  return c == U'"' || c == U'\'' || c == U')' || c == U']' || c == U'}' || c == U'\u201D' || c == U'\u2019' ||
         c == U'\u00BB';
}

bool space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\f' || c == U'\v'; }

}  // namespace

std::u32string utf8_codepoints(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    const int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) { ++i; continue; }
    char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      const unsigned char cb = static_cast<unsigned char>(s[i + k]);
      if ((cb & 0xC0) != 0x80) { ok = false; break; }
      c = (c << 6) | (cb & 0x3F);
    }
    if (!ok) { ++i; continue; }
    out.push_back(c);
    i += std::size_t(len);
  }
  return out;
}

std::string codepoints_to_utf8(std::u32string_view cps) {
  std::string out;
  for (char32_t c : cps) append_utf8(out, c);
  return out;
}

std::vector<std::int64_t> phonemes_to_ids(std::u32string_view phonemes, const PhonemeIdMap& map, std::size_t* missing) {
  std::vector<std::int64_t> ids;
  ids.reserve(2 * phonemes.size() + 4);
  auto append = [&](char32_t c) {
    auto it = map.find(c);
    if (it == map.end()) return false;
    ids.insert(ids.end(), it->second.begin(), it->second.end());
    return true;
  };
  std::size_t skipped = 0;
  append(kPiperBos);
  append(kPiperPad);
  for (char32_t p : phonemes) {
    if (!append(p)) {
      ++skipped;
      continue;
    }
    append(kPiperPad);
  }
  append(kPiperEos);
  if (missing) *missing = skipped;
  return ids;
}

std::u32string clause_punctuation(std::string_view consumed) {
  const std::u32string cps = utf8_codepoints(consumed);
  char32_t found = 0;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    const char32_t mark = clause_mark(cps[i]);
    if (!mark) continue;
    if (mark != cps[i]) {  // full-width marks end a clause without a following space
      found = mark;
      continue;
    }
    std::size_t j = i + 1;
    while (j < cps.size() && closing(cps[j])) ++j;
    if (j == cps.size() || space(cps[j])) found = mark;
  }
  switch (found) {
    case U'.': case U'?': case U'!': return std::u32string(1, found);
    case U',': case U':': case U';': return std::u32string{found, U' '};
    default: return {};
  }
}

std::u32string text_phonemes(std::string_view sentence) {
  std::u32string cps = utf8_codepoints(sentence);
  for (char32_t& c : cps)
    if ((c >= U'A' && c <= U'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) c += 0x20;
  return decompose_nfd(cps);
}

}  // namespace vox
