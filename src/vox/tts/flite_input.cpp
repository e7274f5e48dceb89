#include "vox/tts/flite_input.h"

#include <cctype>
#include <cstdint>

namespace vox {
namespace {

// Base letters of U+00C0..U+00FF ('\0' = no ASCII equivalent, becomes a space).
constexpr char kLatin1Base[64 + 1] =
    "AAAAAAACEEEEIIII"   // C0-CF
    "DNOOOOO\0OUUUUYTs"  // D0-DF (x, thorn, sharp s)
    "aaaaaaaceeeeiiii"   // E0-EF
    "dnooooo\0ouuuuyty";  // F0-FF

// Decodes one code point at `i` (input is valid UTF-8) and advances `i`.
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
  if (i + len > s.size()) len = s.size() - i;
  std::uint32_t cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

std::string ascii_for(std::uint32_t cp) {
  if (cp < 0x80) {
    if (cp < 0x20 || cp == 0x7F) return " ";  // control characters, including tabs and newlines
    return std::string(1, char(cp));
  }
  if (cp >= 0xC0 && cp <= 0xFF) {
    const char base = kLatin1Base[cp - 0xC0];
    if (cp == 0xC6) return "AE";
    if (cp == 0xE6) return "ae";
    if (cp == 0xDF) return "ss";
    return base ? std::string(1, base) : std::string(" ");
  }
  switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x2032: return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x2033: case 0xAB: case 0xBB: return "\"";
    case 0x2010: case 0x2011: case 0x2012: return "-";
    case 0x2013: case 0x2014: case 0x2015: return " - ";
    case 0x2026: return "...";
    case 0x0152: return "OE";
    case 0x0153: return "oe";
    default: return " ";
  }
}

bool is_ascii_punct(char c) { return std::ispunct(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::string sanitize_for_flite(std::string_view utf8) {
  std::string ascii;
  ascii.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) ascii += ascii_for(next_code_point(utf8, i));

  std::string out;
  out.reserve(ascii.size() + ascii.size() / kFliteMaxTokenChars + 1);
  std::size_t punct_run = 0;
  std::size_t token_len = 0;
  for (char c : ascii) {
    if (c == ' ') {
      punct_run = 0;
      token_len = 0;
      out += c;
      continue;
    }
    if (is_ascii_punct(c)) {
      if (++punct_run > kFliteMaxPunctuationRun) continue;
    } else {
      punct_run = 0;
    }
    if (token_len == kFliteMaxTokenChars) {
      out += ' ';
      token_len = 0;
    }
    out += c;
    ++token_len;
  }
  return out;
}

}  // namespace vox
