#include "vox/text/neural_punctuator.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>
#include <unordered_map>
#include <vector>

#include "vox/text/neural_common.h"

namespace vox {

namespace {

using text_detail::ascii_lower;
using text_detail::utf8_at;

constexpr std::size_t kWindow = 64;    // tokens per model run at most
constexpr std::size_t kLookahead = 8;  // right context a committed sentence end needs

std::vector<std::string> split_bars(const std::string& s) {
  std::vector<std::string> out;
  std::size_t b = 0;
  for (;;) {
    std::size_t e = s.find('|', b);
    out.push_back(s.substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (e == std::string::npos) break;
    b = e + 1;
  }
  return out;
}

// The written-English mark of a punctuation class, 0 for none.
char mark_of(std::string_view p) {
  if (p == "\uff0c" || p == "," || p == "\u3001") return ',';
  if (p == "\u3002" || p == ".") return '.';
  if (p == "\uff1f" || p == "?") return '?';
  if (p == "\uff01" || p == "!") return '!';
  if (p == "\uff1b" || p == ";") return ';';
  if (p == "\uff1a" || p == ":") return ':';
  return 0;
}

bool ends_sentence(char m) { return m == '.' || m == '?' || m == '!'; }

Error not_ct(const std::string& path, const std::string& why) {
  return Error(ErrorCode::kUnavailable,
               path + " is not a CT-Transformer punctuation export as sherpa-onnx writes it: " + why);
}

// A word split for punctuating: leading space, the word without its trailing mark, the tokens.
struct Piece {
  std::string lead;
  std::string core;
  std::size_t first_token = 0, end_token = 0;  // [first, end) in the run's token list
};

class CtTransformerPunctuator : public Punctuator {
 public:
  CtTransformerPunctuator(std::unique_ptr<OnnxSession> s, std::unordered_map<std::string, std::int32_t> ids,
                          std::int32_t unk, std::vector<char> marks)
      : session_(std::move(s)), ids_(std::move(ids)), unk_(unk), marks_(std::move(marks)) {}

  void apply(std::vector<Word>& words) const override {
    const std::size_t n = words.size();
    std::vector<Piece> pieces(n);
    std::vector<char> mark(n, 0);
    for (std::size_t s = 0; s < n;) {
      std::size_t e = s + 1;
      while (e < n && words[e].speaker == words[s].speaker) ++e;
      std::vector<std::int32_t> tokens;
      for (std::size_t i = s; i < e; ++i) split_word(words[i].text, pieces[i], tokens);
      const std::vector<char> after = predict(tokens);
      for (std::size_t i = s; i < e; ++i)
        if (pieces[i].end_token > pieces[i].first_token) mark[i] = after[pieces[i].end_token - 1];
      // A speaker's turn ends a sentence.
      if (!ends_sentence(mark[e - 1])) mark[e - 1] = '.';
      s = e;
    }
    for (std::size_t i = 0; i < n; ++i) {
      Piece& p = pieces[i];
      if (p.core.empty()) {  // only marks or space: left as it was
        continue;
      }
      std::string out = p.core;
      const std::string lower = ascii_lower(out);
      if (lower == "i" || lower.rfind("i'", 0) == 0) out[0] = 'I';
      const bool starts = i == 0 || words[i - 1].speaker != words[i].speaker || ends_sentence(mark[i - 1]);
      if (starts && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
      if (mark[i] && !(mark[i] == '.' && out.back() == '.')) out += mark[i];
      words[i].text = p.lead + out;
    }
  }

 private:
  // Strips the word's space and trailing mark (keeping the dot of "a.m." or "b.") and appends its
  // tokens.
  void split_word(const std::string& text, Piece& p, std::vector<std::int32_t>& tokens) const {
    std::size_t b = 0, e = text.size();
    while (b < e && std::strchr(" \t\r\n", text[b])) ++b;
    while (e > b && std::strchr(" \t\r\n", text[e - 1])) --e;
    while (e > b && std::strchr(",?!;:", text[e - 1])) --e;
    if (e > b + 2 && text[e - 1] == '.' && std::string_view(text).substr(b, e - 1 - b).find('.') == std::string_view::npos)
      --e;
    p.lead = text.substr(0, b);
    p.core = text.substr(b, e - b);
    p.first_token = tokens.size();
    if (!p.core.empty()) {
      const std::string lower = ascii_lower(p.core);
      auto it = ids_.find(lower);
      bool ascii = std::all_of(lower.begin(), lower.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
      if (it != ids_.end()) {
        tokens.push_back(it->second);
      } else if (!ascii) {
        for (std::size_t k = 0, len = 0; k < lower.size(); k += len) {
          utf8_at(lower, k, len);
          auto c = ids_.find(lower.substr(k, len));
          tokens.push_back(c == ids_.end() ? unk_ : c->second);
        }
      } else {
        tokens.push_back(unk_);
      }
    }
    p.end_token = tokens.size();
  }

  // The mark after each token (0 = none). A failed run leaves its tokens without marks.
  std::vector<char> predict(const std::vector<std::int32_t>& tokens) const {
    const std::size_t n = tokens.size();
    std::vector<char> out(n, 0);
    for (std::size_t begin = 0; begin < n;) {
      const std::size_t end = std::min(n, begin + kWindow);
      std::vector<char> w;
      if (!run(std::span<const std::int32_t>(tokens).subspan(begin, end - begin), w)) break;
      std::size_t commit = w.size();  // tokens of this window to keep
      if (end < n) {
        commit = w.size() - kLookahead;  // no sentence end: all but the look-ahead
        for (std::size_t k = w.size() - kLookahead; k-- > 0;)
          if (ends_sentence(w[k])) {
            commit = k + 1;
            break;
          }
      }
      std::copy(w.begin(), w.begin() + std::ptrdiff_t(commit), out.begin() + std::ptrdiff_t(begin));
      begin += commit;
    }
    return out;
  }

  bool run(std::span<const std::int32_t> ids, std::vector<char>& marks) const {
    const std::int64_t t = std::int64_t(ids.size());
    const std::int32_t len32 = std::int32_t(t);
    const std::int64_t len64 = t;
    std::vector<std::int64_t> ids64;
    std::vector<InputTensor> in;
    const TensorInfo& x = session_->inputs()[0];
    const TensorInfo& l = session_->inputs()[1];
    if (x.type == TensorType::kInt64) {
      ids64.assign(ids.begin(), ids.end());
      in.push_back(InputTensor::int64s(x.name, {1, t}, ids64));
    } else {
      in.push_back(InputTensor::int32s(x.name, {1, t}, ids));
    }
    if (l.type == TensorType::kInt64) in.push_back(InputTensor::int64s(l.name, {1}, std::span(&len64, 1)));
    else in.push_back(InputTensor::int32s(l.name, {1}, std::span(&len32, 1)));
    auto out = session_->run(in, {session_->outputs()[0].name});
    if (!out) return false;
    const OutputTensor& logits = (*out)[0];
    const std::int64_t p = std::int64_t(marks_.size());
    if (logits.shape.size() != 3 || logits.shape[0] != 1 || logits.shape[1] != t || logits.shape[2] != p ||
        logits.f32.size() != std::size_t(t * p))
      return false;
    marks.assign(ids.size(), 0);
    for (std::int64_t k = 0; k < t; ++k) {
      const float* row = logits.f32.data() + k * p;
      marks[std::size_t(k)] = marks_[std::size_t(std::max_element(row, row + p) - row)];
    }
    return true;
  }

  std::unique_ptr<OnnxSession> session_;
  std::unordered_map<std::string, std::int32_t> ids_;
  std::int32_t unk_ = 0;
  std::vector<char> marks_;  // per punctuation class
};

bool is_int(const TensorInfo& t) { return t.type == TensorType::kInt32 || t.type == TensorType::kInt64; }

}  // namespace

Result<std::unique_ptr<Punctuator>> load_neural_punctuator(const std::string& dir, const OnnxOptions& options) {
  const std::string path = text_detail::model_onnx_path(dir);
  auto session = OnnxSession::load(path, options);
  if (!session) return session.error();
  const OnnxSession& s = **session;
  if (s.inputs().size() != 2 || s.outputs().empty())
    return not_ct(path, "expected 2 inputs (token ids, lengths) and a logits output");
  if (!is_int(s.inputs()[0]) || s.inputs()[0].shape.size() != 2)
    return not_ct(path, "input '" + s.inputs()[0].name + "' should be int32 (N, T), is " + shape_string(s.inputs()[0].shape));
  if (!is_int(s.inputs()[1]) || s.inputs()[1].shape.size() != 1)
    return not_ct(path, "input '" + s.inputs()[1].name + "' should be int32 lengths (N)");
  const TensorInfo& out = s.outputs()[0];
  if (out.type != TensorType::kFloat || out.shape.size() != 3)
    return not_ct(path, "output '" + out.name + "' should be float (N, T, punctuations), is " + shape_string(out.shape));
  const std::string* tokens_text = s.find_metadata("tokens");
  if (!tokens_text) return not_ct(path, "it lacks metadata 'tokens'");
  const std::string* puncts_text = s.find_metadata("punctuations");
  if (!puncts_text) return not_ct(path, "it lacks metadata 'punctuations'");
  const std::vector<std::string> tokens = split_bars(*tokens_text), puncts = split_bars(*puncts_text);
  if (s.find_metadata("vocab_size")) {
    auto vocab = s.metadata_int("vocab_size");
    if (!vocab) return vocab.error();
    if (*vocab != std::int64_t(tokens.size()))
      return not_ct(path, "metadata 'tokens' has " + std::to_string(tokens.size()) + " tokens but vocab_size is " +
                              std::to_string(*vocab));
  }
  if (puncts.size() < 2) return not_ct(path, "metadata 'punctuations' lists fewer than 2 classes");
  if (out.shape[2] > 0 && out.shape[2] != std::int64_t(puncts.size()))
    return not_ct(path, "it outputs " + std::to_string(out.shape[2]) + " classes but metadata 'punctuations' lists " +
                            std::to_string(puncts.size()));
  std::unordered_map<std::string, std::int32_t> ids;
  ids.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) ids.emplace(tokens[i], std::int32_t(i));
  const std::string* unk_text = s.find_metadata("unk_symbol");
  const std::string unk_symbol = unk_text ? *unk_text : "<unk>";
  auto unk = ids.find(unk_symbol);
  if (unk == ids.end()) return not_ct(path, "its unknown-word token '" + unk_symbol + "' is not among its tokens");
  std::vector<char> marks;
  for (const auto& p : puncts) marks.push_back(mark_of(p));
  if (std::none_of(marks.begin(), marks.end(), ends_sentence))
    return not_ct(path, "none of its punctuations (" + *puncts_text + ") ends a sentence");
  return std::unique_ptr<Punctuator>(
      new CtTransformerPunctuator(std::move(*session), std::move(ids), unk->second, std::move(marks)));
}

}  // namespace vox
