// tokens.txt as sherpa-onnx's exporters write it: one "SYMBOL ID" per line, ids 0..N-1. A line
// holding only an id is the space token of character vocabularies (QuartzNet), whose symbol is a
// blank character the exporter could not separate from the id.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vox/core/error.h"

namespace vox::asr {

class TokenTable {
 public:
  // Errors (kUnavailable, naming the file and line): unreadable file (kModelNotFound when it is
  // missing), a line without an integer id, a repeated id, ids that are not 0..N-1, no tokens.
  static Result<TokenTable> load(const std::string& path);
  static Result<TokenTable> parse(std::string_view text, const std::string& source);

  int size() const { return int(symbols_.size()); }
  const std::string& symbol(int id) const { return symbols_[std::size_t(id)]; }
  // Id of a symbol, -1 when absent.
  int find(std::string_view symbol) const;
  // "<blk>" or "<blank>" when present, else the last id (NeMo puts the blank last).
  int blank() const;
  // Special symbols such as <unk>, <pad>, <s>: never part of the text.
  bool is_special(int id) const;
  // Whether the vocabulary writes text: some token holds a capital letter or a sentence mark
  // (Parakeet's does; QuartzNet's lowercase letters and apostrophe do not).
  bool writes_text() const;

 private:
  std::vector<std::string> symbols_;
};

}  // namespace vox::asr
