#include "vox/asr/token_table.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vox::asr {

Result<TokenTable> TokenTable::load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Error(ErrorCode::kModelNotFound, "tokens file not found: " + path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kUnavailable, "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

Result<TokenTable> TokenTable::parse(std::string_view text, const std::string& source) {
  std::vector<std::string> by_id;
  std::vector<bool> seen;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    const auto bad = [&](const std::string& why) {
      return Error(ErrorCode::kUnavailable, source + " line " + std::to_string(line_no) + ": " + why);
    };
    const std::size_t cut = line.find_last_of(" \t");
    const std::string_view id_text = cut == std::string_view::npos ? line : line.substr(cut + 1);
    const std::string_view symbol_text = cut == std::string_view::npos ? std::string_view{} : line.substr(0, cut);
    std::string symbol = symbol_text.empty() ? std::string(1, ' ') : std::string(symbol_text);
    int id = -1;
    auto [p, err] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
    if (err != std::errc() || p != id_text.data() + id_text.size() || id < 0 || id > 10'000'000)
      return bad("expected 'SYMBOL ID', got '" + std::string(line) + "'");
    if (std::size_t(id) >= by_id.size()) {
      by_id.resize(std::size_t(id) + 1);
      seen.resize(std::size_t(id) + 1, false);
    }
    if (seen[std::size_t(id)]) return bad("id " + std::to_string(id) + " appears twice");
    seen[std::size_t(id)] = true;
    by_id[std::size_t(id)] = std::move(symbol);
  }
  if (by_id.empty()) return Error(ErrorCode::kUnavailable, source + " holds no tokens");
  for (std::size_t i = 0; i < seen.size(); ++i)
    if (!seen[i]) return Error(ErrorCode::kUnavailable, source + ": token id " + std::to_string(i) + " is missing (ids must be 0..N-1)");
  TokenTable t;
  t.symbols_ = std::move(by_id);
  return t;
}

int TokenTable::find(std::string_view symbol) const {
  for (std::size_t i = 0; i < symbols_.size(); ++i)
    if (symbols_[i] == symbol) return int(i);
  return -1;
}

int TokenTable::blank() const {
  if (int b = find("<blk>"); b >= 0) return b;
  if (int b = find("<blank>"); b >= 0) return b;
  return size() - 1;
}

bool TokenTable::is_special(int id) const {
  const std::string& s = symbol(id);
  return s.size() >= 3 && s.front() == '<' && s.back() == '>';
}

bool TokenTable::writes_text() const {
  for (int id = 0; id < size(); ++id) {
    if (is_special(id)) continue;
    for (char c : symbol(id))
      if ((c >= 'A' && c <= 'Z') || c == '.' || c == ',' || c == '?') return true;
  }
  return false;
}

}  // namespace vox::asr
