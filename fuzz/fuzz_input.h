// Helpers shared by the fuzz targets: the input as a sequence of pieces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vox::fuzz {

inline std::string_view as_view(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input cut at every `sep` (so seeds stay readable: one field or word per line).
inline std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

// Aborts (a libFuzzer crash) when an invariant does not hold.
[[noreturn]] void invariant_failed(const char* what, const char* file, int line);
#define VOX_FUZZ_CHECK(cond) \
  do {                       \
    if (!(cond)) ::vox::fuzz::invariant_failed(#cond, __FILE__, __LINE__); \
  } while (0)

}  // namespace vox::fuzz
