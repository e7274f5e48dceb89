#include "vox/tts/number_words.h"

#include <array>

namespace vox {
namespace {

constexpr std::array<const char*, 20> kOnes = {
    "zero",    "one",     "two",       "three",    "four",     "five",    "six",
    "seven",   "eight",   "nine",      "ten",      "eleven",   "twelve",  "thirteen",
    "fourteen", "fifteen", "sixteen",  "seventeen", "eighteen", "nineteen"};
constexpr std::array<const char*, 10> kTens = {"",      "",      "twenty",  "thirty", "forty",
                                               "fifty", "sixty", "seventy", "eighty", "ninety"};
constexpr std::array<const char*, 7> kScales = {"",         "thousand",    "million",    "billion",
                                                "trillion", "quadrillion", "quintillion"};

void append_word(std::string& out, std::string_view word) {
  if (!out.empty()) out += ' ';
  out += word;
}

// 1..999
void append_below_thousand(std::string& out, unsigned n) {
  if (n >= 100) {
    append_word(out, kOnes[n / 100]);
    append_word(out, "hundred");
    n %= 100;
  }
  if (n == 0) return;
  if (n < 20) {
    append_word(out, kOnes[n]);
  } else {
    append_word(out, kTens[n / 10]);
    if (n % 10) append_word(out, kOnes[n % 10]);
  }
}

}  // namespace

std::string cardinal_words(std::uint64_t n) {
  if (n == 0) return "zero";
  // Groups of three digits, least significant first.
  std::array<unsigned, kScales.size()> groups{};
  for (auto& g : groups) {
    g = unsigned(n % 1000);
    n /= 1000;
  }
  std::string out;
  for (int i = int(groups.size()) - 1; i >= 0; --i) {
    if (groups[i] == 0) continue;
    append_below_thousand(out, groups[i]);
    if (i > 0) append_word(out, kScales[i]);
  }
  return out;
}

std::string ordinal_words(std::uint64_t n) {
  std::string words = cardinal_words(n);
  const auto last_space = words.rfind(' ');
  const std::size_t start = last_space == std::string::npos ? 0 : last_space + 1;
  const std::string last = words.substr(start);
  words.resize(start);
  // Irregular forms; everything else takes "th" ("twenty" -> "twentieth").
  if (last == "one") return words + "first";
  if (last == "two") return words + "second";
  if (last == "three") return words + "third";
  if (last == "five") return words + "fifth";
  if (last == "eight") return words + "eighth";
  if (last == "nine") return words + "ninth";
  if (last == "twelve") return words + "twelfth";
  if (last.ends_with('y')) return words + last.substr(0, last.size() - 1) + "ieth";
  return words + last + "th";
}

std::string digit_words(std::string_view digits) {
  std::string out;
  for (char c : digits)
    if (c >= '0' && c <= '9') append_word(out, kOnes[c - '0']);
  return out;
}

}  // namespace vox
