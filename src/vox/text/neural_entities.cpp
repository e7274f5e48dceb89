#include "vox/text/neural_entities.h"

#include "vox/core/utf8_encode.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <span>
#include <sstream>

#include <nlohmann/json.hpp>

#include "vox/text/neural_common.h"

namespace vox {

namespace {

using text_detail::utf8_at;

constexpr std::size_t kMaxWordChars = 100;  // BERT's max_input_chars_per_word: longer is [UNK]
constexpr std::size_t kBatch = 8;           // windows per model run

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_control(char32_t c) { return c == 0 || c == 0xFFFD || c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// Unicode punctuation (category P*) as far as transcripts need it, and ASCII symbols (BERT
// splits all of ASCII's non-alphanumerics).
bool is_punct(char32_t c) {
  if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return true;
  if (c == 0xA1 || c == 0xA7 || c == 0xAB || c == 0xB6 || c == 0xB7 || c == 0xBB || c == 0xBF) return true;
  if (c >= 0x2010 && c <= 0x2027) return true;  // dashes, quotes, bullets, ellipsis
  if (c >= 0x2030 && c <= 0x205E) return true;
  if (c >= 0x3001 && c <= 0x3003) return true;  // 、。〃
  if (c >= 0x3008 && c <= 0x3011) return true;  // CJK brackets
  if (c >= 0xFF01 && c <= 0xFF0F && c != 0xFF04 && c != 0xFF0B) return true;
  if (c == 0xFF1A || c == 0xFF1B || c == 0xFF1F || c == 0xFF20) return true;
  return false;
}

// BERT's "Chinese character" ranges: each is a word of its own.
bool is_cjk(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
         (c >= 0x2A700 && c <= 0x2CEAF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

// Lower case without accents, for Latin-1 (what uncased BERT's NFD + strip gives there).
char32_t fold(char32_t c) {
  static const char kBase[32] = {'a', 'a', 'a', 'a', 'a', 'a', 0,   'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
                                 0,   'n', 'o', 'o', 'o', 'o', 'o', 0,   0,   'u', 'u', 'u', 'u', 'y', 0,   'y'};
  if (c >= 'A' && c <= 'Z') return c - 'A' + 'a';
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) c += 0x20;
  if (c >= 0xE0 && c <= 0xFF && kBase[c - 0xE0]) return char32_t(kBase[c - 0xE0]);
  return c;
}


Result<std::string> read_text(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    return Error(std::filesystem::exists(path, ec) ? ErrorCode::kUnavailable : ErrorCode::kModelNotFound,
                 std::string("cannot read the NER model's ") + what + " " + path);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One label of config.json's id2label: its BIO(ES) tag and entity type.
struct Label {
  char tag = 'O';      // B, I, E, S (or U, L) or O
  std::string type;    // "PER", "ORG", ... as the model names it
  std::string entity;  // person | organization | location; "" = dropped
};

Label parse_label(const std::string& text) {
  Label l;
  if (text.empty() || text == "O") return l;
  std::string type = text;
  if (text.size() > 2 && (text[1] == '-' || text[1] == '_')) {
    l.tag = char(std::toupper(static_cast<unsigned char>(text[0])));
    type = text.substr(2);
  } else {
    l.tag = 'I';  // IO tagging: a bare type continues
  }
  for (char& c : type) c = char(std::toupper(static_cast<unsigned char>(c)));
  l.type = type;
  if (type == "PER" || type == "PERSON") l.entity = "person";
  else if (type == "ORG" || type == "ORGANIZATION" || type == "ORGANISATION") l.entity = "organization";
  else if (type == "LOC" || type == "LOCATION" || type == "GPE") l.entity = "location";
  if (l.tag != 'B' && l.tag != 'I' && l.tag != 'E' && l.tag != 'S' && l.tag != 'U' && l.tag != 'L') l.tag = 'I';
  return l;
}

bool ends_sentence(const std::string& text) {
  std::size_t e = text.size();
  while (e > 0 && std::strchr("\"')", text[e - 1])) --e;
  return e > 0 && std::strchr(".?!", text[e - 1]);
}

// The entity's words as written, without a leading quote or bracket or a trailing mark (the dot
// of an abbreviation stays: "Acme Inc.", "D.C.").
std::string entity_text(const std::vector<Word>& words, std::size_t first, std::size_t last) {
  static const char* const kAbbrev[] = {"inc", "corp", "co", "ltd", "jr", "sr", "st", "mt", "bros", "dr",
                                        "mr", "mrs", "ms", "prof", "gen", "ft"};
  std::string s;
  for (std::size_t i = first; i <= last; ++i) {
    if (!s.empty()) s += ' ';
    s += words[i].text;
  }
  const auto strip_front = [&](std::string_view m) {
    if (s.compare(0, m.size(), m) == 0) {
      s.erase(0, m.size());
      return true;
    }
    return false;
  };
  while (strip_front("\"") || strip_front("'") || strip_front("(") || strip_front("[") || strip_front("\u201c") ||
         strip_front("\u2018")) {
  }
  for (bool changed = true; changed && !s.empty();) {
    changed = false;
    for (std::string_view m : {" ", ",", "?", "!", ";", ":", "\"", "'", ")", "]", "\u201d", "\u2019", "\u2026"}) {
      if (s.size() >= m.size() && s.compare(s.size() - m.size(), m.size(), m) == 0) {
        s.erase(s.size() - m.size());
        changed = true;
      }
    }
    if (!s.empty() && s.back() == '.') {
      const std::size_t sp = s.rfind(' ');
      const std::string last_word = s.substr(sp == std::string::npos ? 0 : sp + 1, s.size() - 1 - (sp == std::string::npos ? 0 : sp + 1));
      const std::string key = text_detail::ascii_lower(last_word);
      const bool abbrev = last_word.find('.') != std::string::npos ||
                          std::any_of(std::begin(kAbbrev), std::end(kAbbrev), [&](const char* a) { return key == a; });
      if (!abbrev) {
        s.pop_back();
        changed = true;
      }
    }
  }
  return s;
}

class BertEntityFinder : public EntityFinder {
 public:
  BertEntityFinder(std::unique_ptr<OnnxSession> s, WordPieceTokenizer tok, std::vector<Label> labels,
                   std::size_t window, std::string logits)
      : session_(std::move(s)), tok_(std::move(tok)), labels_(std::move(labels)), window_(window),
        logits_(std::move(logits)) {
    has_mask_ = session_->input("attention_mask") != nullptr;
    has_types_ = session_->input("token_type_ids") != nullptr;
  }

  std::vector<Entity> find(const std::vector<Word>& words) const override {
    const std::size_t n = words.size();
    std::vector<std::vector<std::int64_t>> pieces(n);
    std::vector<std::size_t> head(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      pieces[i] = tok_.encode(words[i].text, &head[i]);
      if (pieces[i].size() > window_) pieces[i].resize(window_);
      if (head[i] >= pieces[i].size()) head[i] = 0;
    }
    // Windows of whole words within one speaker's turn.
    struct Window {
      std::size_t first, end;
    };
    std::vector<Window> windows;
    std::vector<std::pair<std::size_t, std::size_t>> runs;
    for (std::size_t s = 0; s < n;) {
      std::size_t e = s + 1;
      while (e < n && words[e].speaker == words[s].speaker) ++e;
      runs.emplace_back(s, e);
      for (std::size_t i = s; i < e;) {
        std::size_t j = i, count = 0, sentence_end = 0;
        while (j < e && count + pieces[j].size() <= window_) {
          count += pieces[j].size();
          ++j;
          if (ends_sentence(words[j - 1].text)) sentence_end = j;
        }
        if (j < e && sentence_end > i + (j - i) / 2) j = sentence_end;
        windows.push_back({i, j});
        i = j;
      }
      s = e;
    }
    std::vector<int> label(n, -1);
    for (std::size_t b = 0; b < windows.size(); b += kBatch) {
      const std::size_t nb = std::min(kBatch, windows.size() - b);
      if (!run(pieces, head, std::span<const Window>(windows).subspan(b, nb), label)) return {};
    }
    std::vector<Entity> out;
    for (auto [s, e] : runs) {
      bool open = false;
      std::size_t first = 0, last = 0;
      const Label* cur = nullptr;
      const auto close = [&] {
        if (open && !cur->entity.empty()) {
          Entity ent;
          ent.type = cur->entity;
          ent.text = entity_text(words, first, last);
          ent.start = words[first].start;
          ent.end = words[last].end;
          ent.speaker = words[first].speaker;
          if (!ent.text.empty()) out.push_back(std::move(ent));
        }
        open = false;
      };
      for (std::size_t i = s; i < e; ++i) {
        if (label[i] < 0 || labels_[std::size_t(label[i])].tag == 'O') {
          close();
          continue;
        }
        const Label& l = labels_[std::size_t(label[i])];
        const bool continues = open && cur->type == l.type && (l.tag == 'I' || l.tag == 'E' || l.tag == 'L');
        if (!continues) {
          close();
          open = true;
          cur = &l;
          first = i;
        }
        last = i;
        if (l.tag == 'E' || l.tag == 'S' || l.tag == 'U' || l.tag == 'L') close();
      }
      close();
    }
    return out;
  }

 private:
  template <class Window>
  bool run(const std::vector<std::vector<std::int64_t>>& pieces, const std::vector<std::size_t>& head,
           std::span<const Window> windows, std::vector<int>& label) const {
    std::size_t t = 0;
    for (const auto& w : windows) {
      std::size_t c = 2;
      for (std::size_t i = w.first; i < w.end; ++i) c += pieces[i].size();
      t = std::max(t, c);
    }
    const std::int64_t batch = std::int64_t(windows.size()), seq = std::int64_t(t);
    std::vector<std::int64_t> ids(windows.size() * t, tok_.pad()), mask(windows.size() * t, 0),
        types(windows.size() * t, 0);
    std::vector<std::size_t> first_piece(label.size(), 0);
    for (std::size_t b = 0; b < windows.size(); ++b) {
      std::size_t p = b * t;
      ids[p] = tok_.cls();
      mask[p++] = 1;
      for (std::size_t i = windows[b].first; i < windows[b].end; ++i) {
        first_piece[i] = p;
        for (std::int64_t id : pieces[i]) {
          ids[p] = id;
          mask[p++] = 1;
        }
      }
      ids[p] = tok_.sep();
      mask[p] = 1;
    }
    std::vector<InputTensor> in = {InputTensor::int64s("input_ids", {batch, seq}, ids)};
    if (has_mask_) in.push_back(InputTensor::int64s("attention_mask", {batch, seq}, mask));
    if (has_types_) in.push_back(InputTensor::int64s("token_type_ids", {batch, seq}, types));
    auto out = session_->run(in, {logits_});
    if (!out) return false;
    const OutputTensor& lg = (*out)[0];
    const std::int64_t nl = std::int64_t(labels_.size());
    if (lg.shape.size() != 3 || lg.shape[0] != batch || lg.shape[1] != seq || lg.shape[2] != nl ||
        lg.f32.size() != std::size_t(batch * seq * nl))
      return false;
    for (const auto& w : windows)
      for (std::size_t i = w.first; i < w.end; ++i) {
        if (pieces[i].empty()) continue;
        const float* row = lg.f32.data() + (first_piece[i] + head[i]) * std::size_t(nl);
        label[i] = int(std::max_element(row, row + nl) - row);
      }
    return true;
  }

  std::unique_ptr<OnnxSession> session_;
  WordPieceTokenizer tok_;
  std::vector<Label> labels_;
  std::size_t window_;
  std::string logits_;
  bool has_mask_ = false, has_types_ = false;
};

Error not_ner(const std::string& path, const std::string& why) {
  return Error(ErrorCode::kUnavailable, path + " is not a BERT token-classification export: " + why);
}

}  // namespace

Result<WordPieceTokenizer> WordPieceTokenizer::load(const std::string& vocab_path) {
  auto text = read_text(vocab_path, "vocabulary");
  if (!text) return text.error();
  return parse(*text, vocab_path);
}

Result<WordPieceTokenizer> WordPieceTokenizer::parse(std::string_view text, const std::string& source) {
  WordPieceTokenizer t;
  std::size_t b = 0;
  while (b < text.size()) {
    std::size_t e = text.find('\n', b);
    if (e == std::string_view::npos) e = text.size();
    std::string line(text.substr(b, e - b));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    t.ids_.emplace(line, std::int64_t(t.pieces_.size()));  // a repeated piece keeps its first id
    const bool special = line.size() > 2 && line.front() == '[' && line.back() == ']';
    if (!special && std::any_of(line.begin(), line.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
      t.has_capitals_ = true;
    t.pieces_.push_back(std::move(line));
    b = e + 1;
  }
  if (t.pieces_.empty()) return Error(ErrorCode::kUnavailable, source + " has no pieces");
  const auto need = [&](const char* name, std::int64_t& id) -> Status {
    id = t.id(name);
    if (id < 0) return Error(ErrorCode::kUnavailable, source + " lacks " + name + " (not a BERT WordPiece vocabulary)");
    return Status::Ok();
  };
  for (auto [name, field] : {std::pair{"[UNK]", &t.unk_}, {"[CLS]", &t.cls_}, {"[SEP]", &t.sep_}})
    if (Status s = need(name, *field); !s) return s.error();
  t.pad_ = std::max<std::int64_t>(0, t.id("[PAD]"));
  return t;
}

std::int64_t WordPieceTokenizer::id(std::string_view piece) const {
  auto it = ids_.find(std::string(piece));
  return it == ids_.end() ? -1 : it->second;
}

std::vector<std::int64_t> WordPieceTokenizer::encode(std::string_view text, std::size_t* head) const {
  std::vector<std::int64_t> out;
  std::string word;
  bool found_head = false;
  if (head) *head = 0;
  const auto flush = [&](bool mark) {
    if (word.empty()) return;
    if (!found_head && !mark) {
      found_head = true;
      if (head) *head = out.size();
    }
    wordpiece(word, out);
    word.clear();
  };
  for (std::size_t i = 0, len = 0; i < text.size(); i += len) {
    char32_t c = utf8_at(text, i, len);
    if (is_space(c)) {
      flush(false);
      continue;
    }
    if (is_control(c)) continue;
    if (lower_case_) c = fold(c);
    const bool mark = is_punct(c);
    if (mark || is_cjk(c)) {
      flush(false);
      append_utf8(word, c);
      flush(mark);
      continue;
    }
    append_utf8(word, c);
  }
  flush(false);
  return out;
}

void WordPieceTokenizer::wordpiece(std::string_view word, std::vector<std::int64_t>& out) const {
  std::vector<std::size_t> bounds;  // code point starts, and the end
  for (std::size_t i = 0, len = 0; i < word.size(); i += len) {
    utf8_at(word, i, len);
    bounds.push_back(i);
  }
  bounds.push_back(word.size());
  if (bounds.size() - 1 > kMaxWordChars) {
    out.push_back(unk_);
    return;
  }
  std::vector<std::int64_t> found;
  std::string candidate;
  for (std::size_t start = 0; start + 1 < bounds.size();) {
    std::int64_t hit = -1;
    std::size_t end = bounds.size() - 1;
    for (; end > start; --end) {
      candidate.assign(start > 0 ? "##" : "");
      candidate.append(word.substr(bounds[start], bounds[end] - bounds[start]));
      hit = id(candidate);
      if (hit >= 0) break;
    }
    if (hit < 0) {
      out.push_back(unk_);
      return;
    }
    found.push_back(hit);
    start = end;
  }
  out.insert(out.end(), found.begin(), found.end());
}

Result<std::unique_ptr<EntityFinder>> load_neural_entity_finder(const std::string& dir, const OnnxOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return Error(ErrorCode::kModelNotFound, "NER model directory not found: " + dir);
  auto tok = WordPieceTokenizer::load(dir + "/vocab.txt");
  if (!tok) return tok.error();
  auto config_text = read_text(dir + "/config.json", "config");
  if (!config_text) return config_text.error();
  const std::string config_path = dir + "/config.json";
  auto config = nlohmann::json::parse(*config_text, nullptr, false);
  if (config.is_discarded() || !config.is_object()) return not_ner(config_path, "it is not a JSON object");
  if (!config.contains("id2label") || !config["id2label"].is_object() || config["id2label"].empty())
    return not_ner(config_path, "it has no id2label (not a token-classification model)");
  const auto& id2label = config["id2label"];
  std::vector<Label> labels(id2label.size());
  std::vector<bool> seen(id2label.size(), false);
  for (auto it = id2label.begin(); it != id2label.end(); ++it) {
    std::size_t k = 0;
    try {
      std::size_t used = 0;
      k = std::stoul(it.key(), &used);
      if (used != it.key().size()) throw std::invalid_argument("id");
    } catch (const std::exception&) {
      return not_ner(config_path, "id2label key '" + it.key() + "' is not a label id");
    }
    if (k >= labels.size() || seen[k] || !it.value().is_string())
      return not_ner(config_path, "id2label must map ids 0.." + std::to_string(labels.size() - 1) + " to label names");
    seen[k] = true;
    labels[k] = parse_label(it.value().get<std::string>());
  }
  std::size_t positions = 512;
  if (config.contains("max_position_embeddings") && config["max_position_embeddings"].is_number_unsigned())
    positions = std::min<std::size_t>(512, config["max_position_embeddings"].get<std::size_t>());
  if (positions < 3) return not_ner(config_path, "max_position_embeddings leaves no room for words");

  std::ifstream tc(dir + "/tokenizer_config.json");
  bool lower = !tok->has_capitals();
  if (tc) {
    std::ostringstream ss;
    ss << tc.rdbuf();
    auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_object() && j.contains("do_lower_case") && j["do_lower_case"].is_boolean()) lower = j["do_lower_case"].get<bool>();
  }
  tok->set_lower_case(lower);

  const std::string path = text_detail::model_onnx_path(dir);
  auto session = OnnxSession::load(path, options);
  if (!session) return session.error();
  const OnnxSession& s = **session;
  if (!s.input("input_ids")) return not_ner(path, "it has no input 'input_ids'");
  for (const TensorInfo& in : s.inputs()) {
    if (in.name != "input_ids" && in.name != "attention_mask" && in.name != "token_type_ids")
      return not_ner(path, "unexpected input '" + in.name + "'");
    if (in.type != TensorType::kInt64 || in.shape.size() != 2)
      return not_ner(path, "input '" + in.name + "' should be int64 (batch, sequence), is " + shape_string(in.shape));
  }
  const TensorInfo* out = s.output("logits");
  if (!out && !s.outputs().empty()) out = &s.outputs()[0];
  if (!out || out->type != TensorType::kFloat || out->shape.size() != 3)
    return not_ner(path, "it should output float logits (batch, sequence, labels)");
  if (out->shape[2] > 0 && out->shape[2] != std::int64_t(labels.size()))
    return Error(ErrorCode::kUnavailable, path + " outputs " + std::to_string(out->shape[2]) + " labels but " +
                                              config_path + " names " + std::to_string(labels.size()));
  const std::string logits = out->name;
  return std::unique_ptr<EntityFinder>(
      new BertEntityFinder(std::move(*session), std::move(*tok), std::move(labels), positions - 2, logits));
}

}  // namespace vox
