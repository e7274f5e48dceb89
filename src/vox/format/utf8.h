// Minimal UTF-8 helpers for the text formats (the JSON writers let nlohmann replace bad bytes).
#pragma once

#include <string>
#include <string_view>

namespace vox {

// Number of code points; stray continuation bytes are not counted.
size_t utf8_length(std::string_view s);

// `s` with every invalid or overlong sequence (and encoded surrogate) replaced by U+FFFD, so a
// subtitle file stays valid UTF-8 whatever bytes an engine produced.
std::string utf8_valid(std::string_view s);

}  // namespace vox
