// English words for numbers, the building blocks of normalize_english (text.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vox {

// 0 -> "zero", 1205 -> "one thousand two hundred five" (US style, no "and"). Exact up to
// 999 quintillion, i.e. all of uint64_t.
std::string cardinal_words(std::uint64_t n);

// 1 -> "first", 22 -> "twenty second", 100 -> "one hundredth".
std::string ordinal_words(std::uint64_t n);

// "0314" -> "zero three one four": one word per digit; non-digits are skipped.
std::string digit_words(std::string_view digits);

}  // namespace vox
