#include "vox/format/sentence_end.h"

namespace vox {

bool ends_sentence(std::string_view word) {
  while (!word.empty()) {
    char c = word.back();
    if (c == '"' || c == '\'' || c == ')' || c == ']') {
      word.remove_suffix(1);
      continue;
    }
    return c == '.' || c == '?' || c == '!';
  }
  return false;
}

}  // namespace vox
