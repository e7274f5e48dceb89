// A Punctuator over a neural punctuation model: a CT-Transformer export as sherpa-onnx ships it
// (sherpa-onnx-punct-ct-transformer-zh-en-vocab272727-2024-04-12, converted from FunASR's
// punc_ct-transformer_zh-cn-common-vocab272727). The model directory holds only DIR/model.onnx
// (or DIR/model.int8.onnx); everything else is in the model's metadata:
//   input 0:  `inputs` int32 (N, T): token ids (int64 is accepted too)
//   input 1:  `text_lengths` int32 (N)
//   output 0: `logits` f32 (N, T, P): one score per punctuation class for the mark after token t
//   metadata: tokens        the vocabulary, "|"-joined, id = position (lower-case English words,
//                           single CJK characters)
//             punctuations  the P classes, "|"-joined: "<unk>|_|，|。|？|、" ("_" = no mark)
//             unk_symbol    the token for words outside the vocabulary ("<unk>")
//             vocab_size    when present, must equal the number of tokens
// A word is one token (its lower-case form), or, when that is not in the vocabulary and the word
// has non-ASCII letters, one token per character (Chinese); its mark is the class predicted after
// its last token. Marks map to written English: ， 、 , -> ","  。 . -> "."  ？ ? -> "?"
// ！ ! -> "!"  ； ; -> ";"  ： : -> ":"; other classes add nothing.
// Long speaker turns are read in windows of at most 64 tokens; each window commits up to its last
// sentence end that has at least 8 tokens of right context and the next starts after it.
// The model does not predict case: sentence starts and "I" ("I'm", ...) get capitals, every
// other word keeps the recogniser's own form. A speaker change and the last word always end a
// sentence ("." unless the model said "?" or "!").
#pragma once

#include <memory>
#include <string>

#include "vox/core/error.h"
#include "vox/onnx/onnx_session.h"
#include "vox/text/punctuator.h"

namespace vox {

// Errors: DIR/model.onnx missing -> kModelNotFound naming it; a file ORT cannot load, or a model
// without the inputs, output or metadata above -> kUnavailable saying what is wrong.
Result<std::unique_ptr<Punctuator>> load_neural_punctuator(const std::string& dir, const OnnxOptions& options = {});

}  // namespace vox
