// What the neural text models (neural_punctuator, neural_entities) share: where the ONNX file of a
// model directory is, and reading UTF-8 one code point at a time.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace vox::text_detail {

// DIR/model.onnx, or DIR/model.int8.onnx when only the quantised export is there.
inline std::string model_onnx_path(const std::string& dir) {
  const std::string plain = dir + "/model.onnx", int8 = dir + "/model.int8.onnx";
  std::error_code ec;
  if (!std::filesystem::exists(plain, ec) && std::filesystem::exists(int8, ec)) return int8;
  return plain;
}

// The code point at s[i] and its length in bytes; a malformed byte reads as itself, length 1.
inline char32_t utf8_at(std::string_view s, std::size_t i, std::size_t& len) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) {
    len = 1;
    return c;
  }
  char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) {
      len = 1;
      return c;
    }
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  len = n;
  return cp;
}

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace vox::text_detail
