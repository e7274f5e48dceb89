// Inverse text normalisation: spoken numbers become written ones ("twenty five dollars" -> "$25",
// "three thirty" -> "3:30", "ten percent" -> "10%", "nineteen eighty four" -> "1984",
// "january fifth" -> "January 5", "fifth" -> "5th", "two point five" -> "2.5", phone-like digit
// runs, "john at example dot com" -> "john@example.com").
#pragma once

#include <vector>

#include "vox/format/transcript.h"

namespace vox {

// `words` are in time order and may already carry capitals and a trailing mark (the punctuator
// runs first). A formatted token replaces the words it was spoken as: it takes the start of the
// first and the end of the last, the first one's speaker, the lowest confidence, and the mark
// after the last word. A span never joins words of two speakers or crosses a sentence end.
// Words that are not part of a number are returned unchanged. When `found` is given, each
// formatted value is appended to it as an Entity of type date, time, money, percent, number,
// ordinal, phone, email or url (text = the written form, times and speaker as above).
std::vector<Word> write_numerals(const std::vector<Word>& words, std::vector<Entity>* found = nullptr);

}  // namespace vox
