#!/usr/bin/python3
"""Tiny text-stage exports for tests/unit/text, with the input/output names, shapes, dtypes,
metadata and side files of the real exports, and weights that make every prediction a fixed
function of the token id (a Gather from a constant table), so tests know the answer.

Usage: text_test_models.py OUTDIR
  punct/            sherpa-onnx CT-Transformer punctuation export (as
                    sherpa-onnx-punct-ct-transformer-zh-en-vocab272727-2024-04-12): model.onnx only;
                    inputs `inputs` int32 (N, T) and `text_lengths` int32 (N), output `logits` f32
                    (N, T, 6); metadata tokens ("|"-joined), vocab_size, punctuations
                    "<unk>|_|，|。|？|、", unk_symbol. The punctuation after each token:
                    PUNCT_AFTER below (everything else "_", none).
  punct-no-meta/    punct/ without the punctuations metadata
  punct-bad-vocab/  punct/ whose vocab_size disagrees with its token list
  punct-garbage/    a model.onnx that is not an ONNX file
  ner/              BERT token-classification export as optimum writes it (dslim/bert-base-NER's
                    onnx/): model.onnx with int64 input_ids, attention_mask, token_type_ids
                    (batch_size, sequence_length) -> logits f32 (batch_size, sequence_length, 9),
                    vocab.txt (WordPiece, cased), config.json (id2label CoNLL BIO tags,
                    max_position_embeddings 16 so that long inputs need several windows). The label
                    of each piece: NER_LABEL below (else O); a padded position (attention_mask 0)
                    scores B-PER highest, and so does a position whose token_type_ids is not 0, so
                    a wrong mask or segment id shows.
  ner-uncased/      ner/ with a lower-case vocabulary and tokenizer_config.json do_lower_case true
  ner-no-labels/    ner/ whose config.json has no id2label
  ner-wrong-labels/ ner/ whose config.json lists 5 labels for a model with 9 outputs
  ner-no-vocab/     ner/ without vocab.txt
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

PUNCTS = ["<unk>", "_", "\uff0c", "\u3002", "\uff1f", "\u3001"]  # <unk> _ ， 。 ？ 、
PUNCT_TOKENS = ["<unk>", "</s>", "hello", "world", "how", "are", "you", "i", "think", "so", "we", "went",
                "to", "paris", "yes", "and", "then", "left", "don't", "\u4f60", "\u597d", "\u5417"]
PUNCT_AFTER = {"world": "\u3002", "you": "\uff1f", "so": "\uff0c", "paris": "\u3002", "yes": "\u3001",
               "left": "\uff0c", "\u597d": "\uff0c", "\u5417": "\uff1f"}

NER_LABELS = ["O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
NER_VOCAB = ["[PAD]", "[unused0]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", "'", "s",
             "John", "##son", "Smith", "works", "at", "Acme", "Corp", "in", "New", "York", "the",
             "World", "Cup", "and", "Mary", "met", "Paris", "said", "hello", "Bank", "of", "Jo", "##hn"]
NER_LABEL = {"John": "B-PER", "##son": "I-ORG", "Smith": "I-PER", "Acme": "B-ORG", "Corp": "I-ORG",
             "New": "B-LOC", "York": "I-LOC", "World": "B-MISC", "Cup": "I-MISC", "Mary": "B-PER",
             "Paris": "B-LOC", "Bank": "B-ORG", "of": "O", "Jo": "B-LOC", "##hn": "I-LOC",
             # Marks score I-PER so that an entity text that kept one would show.
             ".": "I-PER", ",": "I-PER"}


def save(model, path):
    onnx.checker.check_model(model)
    tmp = f"{path}.{os.getpid()}.tmp"  # tests may run in parallel: write, then rename atomically
    onnx.save(model, tmp)
    os.replace(tmp, path)


def write_text(path, text):
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def punct_model(tokens, meta):
    """logits[n, t] = table[inputs[n, t]] + 0 * text_lengths[n]."""
    table = np.zeros((len(tokens), len(PUNCTS)), dtype=np.float32)
    for i, tok in enumerate(tokens):
        table[i, PUNCTS.index(PUNCT_AFTER.get(tok, "_"))] = 5.0
    inits = [
        numpy_helper.from_array(table, "table"),
        numpy_helper.from_array(np.array([1, 2], dtype=np.int64), "axes12"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero"),
    ]
    nodes = [
        helper.make_node("Gather", ["table", "inputs"], ["scores"], axis=0),  # (N, T, P)
        helper.make_node("Cast", ["text_lengths"], ["len_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["len_f", "zero"], ["len_0"]),
        helper.make_node("Unsqueeze", ["len_0", "axes12"], ["len_3"]),  # (N, 1, 1)
        helper.make_node("Add", ["scores", "len_3"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes, "ct_transformer",
        [helper.make_tensor_value_info("inputs", TensorProto.INT32, ["batch_size", "feats_length"]),
         helper.make_tensor_value_info("text_lengths", TensorProto.INT32, ["batch_size"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", "logits_dim_1", len(PUNCTS)])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    for k, v in meta.items():
        model.metadata_props.add(key=k, value=str(v))
    return model


def build_punct(out, name, meta_overrides=None):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    meta = {"model_type": "ct-transformer", "version": "1", "tokens": "|".join(PUNCT_TOKENS),
            "vocab_size": len(PUNCT_TOKENS), "punctuations": "|".join(PUNCTS), "unk_symbol": "<unk>"}
    meta.update(meta_overrides or {})
    meta = {k: v for k, v in meta.items() if v is not None}
    save(punct_model(PUNCT_TOKENS, meta), os.path.join(d, "model.onnx"))


def ner_model(vocab, piece_labels, labels, num_outputs):
    """logits[b, t] = table[input_ids[b, t]] + 10 * (1 - attention_mask[b, t] + token_type_ids[b, t]) * onehot(B-PER)."""
    table = np.zeros((len(vocab), num_outputs), dtype=np.float32)
    for i, tok in enumerate(vocab):
        table[i, labels.index(piece_labels.get(tok, "O"))] = 5.0
    per = np.zeros((num_outputs,), dtype=np.float32)
    per[labels.index("B-PER")] = 10.0
    inits = [
        numpy_helper.from_array(table, "table"),
        numpy_helper.from_array(per, "per"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
        numpy_helper.from_array(np.array(1, dtype=np.int64), "one"),
    ]
    nodes = [
        helper.make_node("Gather", ["table", "input_ids"], ["scores"], axis=0),  # (B, T, L)
        helper.make_node("Sub", ["one", "attention_mask"], ["unmasked"]),
        helper.make_node("Add", ["unmasked", "token_type_ids"], ["wrong"]),
        helper.make_node("Cast", ["wrong"], ["wrong_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["wrong_f", "axis2"], ["wrong_3"]),  # (B, T, 1)
        helper.make_node("Mul", ["wrong_3", "per"], ["push"]),
        helper.make_node("Add", ["scores", "push"], ["logits"]),
    ]
    dims = ["batch_size", "sequence_length"]
    graph = helper.make_graph(
        nodes, "bert_token_classification",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, dims),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, dims),
         helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, dims)],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, dims + [num_outputs])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    model.ir_version = 8
    return model


def build_ner(out, name, vocab=NER_VOCAB, piece_labels=NER_LABEL, config_labels=NER_LABELS, with_labels=True,
              with_vocab=True, lower=False):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    save(ner_model(vocab, piece_labels, NER_LABELS, len(NER_LABELS)), os.path.join(d, "model.onnx"))
    if with_vocab:
        write_text(os.path.join(d, "vocab.txt"), "".join(v + "\n" for v in vocab))
    config = {"_name_or_path": "tiny-bert-ner", "architectures": ["BertForTokenClassification"],
              "model_type": "bert", "max_position_embeddings": 16, "hidden_size": 8}
    if with_labels:
        config["id2label"] = {str(i): l for i, l in enumerate(config_labels)}
        config["label2id"] = {l: i for i, l in enumerate(config_labels)}
    write_text(os.path.join(d, "config.json"), json.dumps(config, indent=2))
    if lower:
        write_text(os.path.join(d, "tokenizer_config.json"),
                   json.dumps({"do_lower_case": True, "tokenizer_class": "BertTokenizer"}))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    build_punct(out, "punct")
    build_punct(out, "punct-no-meta", {"punctuations": None})
    build_punct(out, "punct-bad-vocab", {"vocab_size": len(PUNCT_TOKENS) + 3})
    os.makedirs(os.path.join(out, "punct-garbage"), exist_ok=True)
    write_text(os.path.join(out, "punct-garbage", "model.onnx"), "this is not an onnx model\n")
    build_ner(out, "ner")
    lower_vocab = [v if v.startswith("[") else v.lower() for v in NER_VOCAB]
    lower_labels = {k.lower(): v for k, v in NER_LABEL.items()}
    build_ner(out, "ner-uncased", vocab=lower_vocab, piece_labels=lower_labels, lower=True)
    build_ner(out, "ner-no-labels", with_labels=False)
    build_ner(out, "ner-wrong-labels", config_labels=NER_LABELS[:5])
    build_ner(out, "ner-no-vocab", with_vocab=False)


if __name__ == "__main__":
    main()
