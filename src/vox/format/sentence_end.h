// Where written sentences end: the one rule the text stage (sentences, paragraphs), the segment
// builder and the subtitle cues all follow.
#pragma once

#include <string_view>

namespace vox {

// Whether a word's text ends a sentence: its last mark, after closing quotes and brackets, is
// '.', '?' or '!'.
bool ends_sentence(std::string_view word);

}  // namespace vox
