// An EntityFinder over a BERT-style token-classification model exported to ONNX (as optimum /
// transformers.onnx write it, e.g. dslim/bert-base-NER's onnx/ folder). The model directory holds
//   model.onnx (or model.int8.onnx)
//     inputs:  input_ids int64 (batch, seq); attention_mask and token_type_ids int64 (batch, seq)
//              when the export has them (DistilBERT/RoBERTa-style exports lack token_type_ids)
//     output 0: logits f32 (batch, seq, labels)
//   vocab.txt             the WordPiece vocabulary, one piece per line, id = line number
//   config.json           id2label {"0": "O", "1": "B-MISC", ...}; max_position_embeddings (512)
//   tokenizer_config.json optional: do_lower_case (else: lower-case when no vocabulary piece has a
//                         capital letter, as uncased BERT vocabularies have none)
// Each word is split as BERT's tokenizer splits text (marks and CJK characters apart, then greedy
// longest-match WordPiece with "##" continuations, [UNK] for what does not match) and labelled
// with its first piece's label (the first piece after any leading mark: "(Mary" -> "Mary"). Windows of at most max_position_embeddings - 2 pieces, within one
// speaker's turn and cut after a sentence end where one is near, go through [CLS] ... [SEP].
// Word labels make spans: B- (or S-/U-) starts one, I- (or E-/L-) continues one of the same type
// (else starts one), O ends it. PER -> person, ORG -> organization, LOC (GPE, LOCATION) ->
// location; MISC and anything else is dropped.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vox/core/error.h"
#include "vox/onnx/onnx_session.h"
#include "vox/text/entities.h"

namespace vox {

// BERT's tokenizer for one word at a time (the basic split, then WordPiece).
class WordPieceTokenizer {
 public:
  // vocab.txt: missing -> kModelNotFound; empty or without [UNK] -> kUnavailable.
  static Result<WordPieceTokenizer> load(const std::string& vocab_path);
  static Result<WordPieceTokenizer> parse(std::string_view text, const std::string& source);

  // Lower-cases (and strips Latin-1 accents) before splitting, as uncased models need.
  void set_lower_case(bool on) { lower_case_ = on; }
  bool lower_case() const { return lower_case_; }
  // Whether any piece has an upper-case ASCII letter (special tokens such as [CLS] aside).
  bool has_capitals() const { return has_capitals_; }

  // The pieces of `text`; *head (when given) is the index of the first piece of its first part
  // that is not a mark ("(Mary)" -> "(", "Mary", ")": 1), 0 when all of it is marks.
  std::vector<std::int64_t> encode(std::string_view text, std::size_t* head = nullptr) const;
  std::int64_t id(std::string_view piece) const;  // -1 when absent
  const std::string& piece(std::int64_t id) const { return pieces_[std::size_t(id)]; }
  std::int64_t unk() const { return unk_; }
  std::int64_t cls() const { return cls_; }
  std::int64_t sep() const { return sep_; }
  std::int64_t pad() const { return pad_; }

 private:
  void wordpiece(std::string_view word, std::vector<std::int64_t>& out) const;

  std::vector<std::string> pieces_;
  std::unordered_map<std::string, std::int64_t> ids_;
  std::int64_t unk_ = 0, cls_ = 0, sep_ = 0, pad_ = 0;
  bool lower_case_ = false;
  bool has_capitals_ = false;
};

// Errors: a missing directory, model.onnx, vocab.txt or config.json -> kModelNotFound naming it;
// a file ORT cannot load, config.json without id2label, labels that do not match the model's
// outputs, or inputs other than the above -> kUnavailable saying what is wrong.
Result<std::unique_ptr<EntityFinder>> load_neural_entity_finder(const std::string& dir,
                                                                const OnnxOptions& options = {});

}  // namespace vox
