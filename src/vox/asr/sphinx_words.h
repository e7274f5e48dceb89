// Turning pocketsphinx's segment words into transcript words.
#pragma once

#include <string>
#include <string_view>

namespace vox {

// True for the decoder's non-words: <s>, </s>, <sil>, [NOISE]-style noise tokens and ++FILLER++.
bool is_sphinx_filler(std::string_view word);

// "read(2)" → "read": the dictionary numbers alternate pronunciations of one word.
std::string strip_pronunciation_variant(std::string_view word);

}  // namespace vox
