// Text preparation for speech synthesis: UTF-8 validation, sentence splitting and English
// normalisation (numbers, currency, abbreviations -> words). Engines synthesise one sentence at a
// time, so callers (HTTP layer, CLI) split first and stream sentence by sentence.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "vox/core/error.h"

namespace vox {

// Longest sentence split_sentences returns, in bytes (longer ones are cut at commas or spaces).
inline constexpr std::size_t kMaxSentenceBytes = 300;

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points > U+10FFFF).
bool valid_utf8(std::string_view text);

// Ok, or ErrorCode::kInvalidArgument with param "input" when `text` is not valid UTF-8.
Status check_utf8_input(std::string_view text);

// Splits text into sentences at . ! ? ; (and their CJK forms) and at newlines. A period does not
// end a sentence after a title (Mr. Dr. St. ...), inside e.g./i.e., after a single initial, inside
// a number (3.14) or before a lowercase word. Sentences longer than kMaxSentenceBytes are cut at
// the last comma, else the last space, else a character boundary. Whitespace is trimmed and
// pieces without a single letter or digit (e.g. "!!!") are dropped, so the result may be empty.
// Invalid UTF-8 -> kInvalidArgument (param "input").
Result<std::vector<std::string>> split_sentences(std::string_view utf8);

// Rewrites English text so a synthesiser reads it naturally: integers ("1,250" -> "one thousand
// two hundred fifty"), decimals ("3.14" -> "three point one four"), negatives ("-5" -> "minus
// five"), ordinals ("21st" -> "twenty first"), currency ("$5.50" -> "five dollars and fifty
// cents", also £ and €), percentages ("7%" -> "seven percent"), times ("3:30" -> "three thirty",
// "3:05 pm" -> "three oh five p m"), "&" -> "and", and common abbreviations (Mr. Mrs. Dr. St. e.g.
// i.e. etc. vs. ...). Everything else is passed through unchanged. Years are read as cardinals
// ("1995" -> "one thousand nine hundred ninety five"), matching the eval kit's scorer.
std::string normalize_english(std::string_view text);

}  // namespace vox
