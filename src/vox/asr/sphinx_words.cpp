#include "vox/asr/sphinx_words.h"

#include <cctype>

namespace vox {

bool is_sphinx_filler(std::string_view w) {
  if (w.empty()) return true;
  if (w.front() == '<' && w.back() == '>') return true;  // <s> </s> <sil> <unk>
  if (w.front() == '[' && w.back() == ']') return true;  // [NOISE] [BREATH] ...
  if (w.size() >= 4 && w.substr(0, 2) == "++" && w.substr(w.size() - 2) == "++") return true;
  return false;
}

std::string strip_pronunciation_variant(std::string_view w) {
  // Only a trailing "(digits)" is a variant marker; other parentheses are left alone.
  if (w.size() >= 3 && w.back() == ')') {
    const auto open = w.rfind('(');
    if (open != std::string_view::npos && open > 0 && open + 2 < w.size()) {
      bool digits = true;
      for (std::size_t i = open + 1; i + 1 < w.size(); ++i) digits = digits && std::isdigit(static_cast<unsigned char>(w[i]));
      if (digits) return std::string(w.substr(0, open));
    }
  }
  return std::string(w);
}

}  // namespace vox
