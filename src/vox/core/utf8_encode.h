// Writing code points as UTF-8: the one encoder the text stage and the Piper phonemiser share.
#pragma once

#include <string>

namespace vox {

// Appends `c` (at most U+10FFFF) to `out` as 1-4 UTF-8 bytes.
void append_utf8(std::string& out, char32_t c);

}  // namespace vox
