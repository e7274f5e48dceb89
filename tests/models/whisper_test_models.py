#!/usr/bin/python3
"""A tiny Whisper export for tests/unit/asr with sherpa-onnx's names, shapes, dtypes and metadata
(tiny-encoder.onnx, tiny-decoder.onnx, tiny-tokens.txt). The decoder's scores follow a fixed
script by position, so greedy decoding with OpenAI's timestamp rules must give
  <|0.00|> " hel" "lo" " world" <|1.00|> <|1.20|> " again" <|2.00|> <|endoftext|>
and the script sets traps the rules must avoid: a text token beating the first timestamp, a
special token beating the text. Language detection picks "de".

Usage: whisper_test_models.py OUTDIR  -> OUTDIR/whisper/ and OUTDIR/whisper-no-meta/
"""
import base64
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

L, S, CTX, AUDIO_CTX = 1, 4, 64, 1500
TEXT = ["!", " hel", "lo", " world", " again", " junk", "a", "b", "c", "d"]
EOT, SOT, EN, DE, TRANSLATE, TRANSCRIBE, SOT_LM, SOT_PREV, NO_SPEECH, NO_TS = range(10, 20)
TS = NO_TS + 1
VOCAB = TS + 1501


def save(model, path):
    onnx.checker.check_model(model)
    tmp = f"{path}.{os.getpid()}.tmp"
    onnx.save(model, tmp)
    os.replace(tmp, path)


def encoder(meta):
    """mel (1, 80, 3000) -> cross k/v (L, 1, 1500, S): the mean over mels of every second frame."""
    inits = [
        numpy_helper.from_array(np.array([0], dtype=np.int64), "zero"),
        numpy_helper.from_array(np.array([3000], dtype=np.int64), "end"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "step"),
        numpy_helper.from_array(np.array([L, 1, AUDIO_CTX, 1], dtype=np.int64), "shape4"),
        numpy_helper.from_array(np.ones((1, 1, 1, S), dtype=np.float32), "ones"),
    ]
    nodes = [
        helper.make_node("Slice", ["mel", "zero", "end", "axis2", "step"], ["half"]),
        helper.make_node("ReduceMean", ["half"], ["avg"], axes=[1], keepdims=1),  # (1, 1, 1500)
        helper.make_node("Reshape", ["avg", "shape4"], ["col"]),
        helper.make_node("Mul", ["col", "ones"], ["n_layer_cross_k"]),
        helper.make_node("Mul", ["col", "ones"], ["n_layer_cross_v"]),
    ]
    graph = helper.make_graph(
        nodes, "encoder",
        [helper.make_tensor_value_info("mel", TensorProto.FLOAT, ["n_audio", 80, "T"])],
        [helper.make_tensor_value_info("n_layer_cross_k", TensorProto.FLOAT, [L, "n_audio", AUDIO_CTX, S]),
         helper.make_tensor_value_info("n_layer_cross_v", TensorProto.FLOAT, [L, "n_audio", AUDIO_CTX, S])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    for k, v in meta.items():
        model.metadata_props.add(key=k, value=str(v))
    return model


def script():
    t = np.zeros((CTX, VOCAB), dtype=np.float32)
    t[0, DE], t[0, EN] = 10, 5                       # detection after <|sot|>
    t[2, TS + 0], t[2, 5] = 10, 12                   # first token: a timestamp, although " junk" scores higher
    t[3, 1], t[3, NO_SPEECH] = 10, 12                # " hel"; a special token must never be produced
    t[4, 2] = 10                                     # "lo"
    t[5, 3] = 10                                     # " world"
    t[6, TS + 50] = 10                               # <|1.00|> closes the segment
    t[7, TS + 60] = 10                               # <|1.20|> opens the next
    t[8, 4] = 10                                     # " again"
    t[9, TS + 100] = 10                              # <|2.00|>
    t[10:, EOT] = 10
    return t


def decoder(table):
    """logits[0, i] = table[offset + i]; the caches pass through (plus 0 x cross k, so every input is used)."""
    inits = [
        numpy_helper.from_array(table, "table"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "one"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "two"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "zero"),
        numpy_helper.from_array(np.array(1, dtype=np.int64), "one_s"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "f0"),
    ]
    nodes = [
        helper.make_node("Shape", ["tokens"], ["tshape"]),
        helper.make_node("Slice", ["tshape", "one", "two"], ["n1"]),
        helper.make_node("Squeeze", ["n1", "zero"], ["n"]),
        helper.make_node("Squeeze", ["offset", "zero"], ["off"]),
        helper.make_node("Add", ["off", "n"], ["stop"]),
        helper.make_node("Range", ["off", "stop", "one_s"], ["pos"]),
        helper.make_node("Gather", ["table", "pos"], ["rows"], axis=0),  # (n, V)
        helper.make_node("ReduceMean", ["n_layer_cross_k"], ["ck"], keepdims=0),
        helper.make_node("ReduceMean", ["n_layer_cross_v"], ["cv"], keepdims=0),
        helper.make_node("Add", ["ck", "cv"], ["cross"]),
        helper.make_node("Mul", ["cross", "f0"], ["zero_f"]),
        helper.make_node("Add", ["rows", "zero_f"], ["rows2"]),
        helper.make_node("Unsqueeze", ["rows2", "zero"], ["logits"]),
        helper.make_node("Add", ["in_n_layer_self_k_cache", "f0"], ["out_n_layer_self_k_cache"]),
        helper.make_node("Add", ["in_n_layer_self_v_cache", "f0"], ["out_n_layer_self_v_cache"]),
    ]
    graph = helper.make_graph(
        nodes, "decoder",
        [helper.make_tensor_value_info("tokens", TensorProto.INT64, ["n_audio", "n_tokens"]),
         helper.make_tensor_value_info("in_n_layer_self_k_cache", TensorProto.FLOAT, [L, "n_audio", CTX, S]),
         helper.make_tensor_value_info("in_n_layer_self_v_cache", TensorProto.FLOAT, [L, "n_audio", CTX, S]),
         helper.make_tensor_value_info("n_layer_cross_k", TensorProto.FLOAT, [L, "n_audio", "T", S]),
         helper.make_tensor_value_info("n_layer_cross_v", TensorProto.FLOAT, [L, "n_audio", "T", S]),
         helper.make_tensor_value_info("offset", TensorProto.INT64, [1])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["n_audio", "n_tokens", VOCAB]),
         helper.make_tensor_value_info("out_n_layer_self_k_cache", TensorProto.FLOAT, [L, "n_audio", CTX, S]),
         helper.make_tensor_value_info("out_n_layer_self_v_cache", TensorProto.FLOAT, [L, "n_audio", CTX, S])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model


def build(out, name, drop=()):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    meta = {"model_type": "whisper-tiny", "n_mels": 80, "n_audio_ctx": AUDIO_CTX, "n_audio_state": S,
            "n_audio_head": 1, "n_audio_layer": 1, "n_vocab": VOCAB, "n_text_ctx": CTX, "n_text_state": S,
            "n_text_head": 1, "n_text_layer": L, "sot": SOT, "sot_index": 0, "eot": EOT, "blank_id": 0,
            "is_multilingual": 1, "no_speech": NO_SPEECH, "non_speech_tokens": "", "transcribe": TRANSCRIBE,
            "translate": TRANSLATE, "sot_prev": SOT_PREV, "sot_lm": SOT_LM, "no_timestamps": NO_TS,
            "sot_sequence": f"{SOT},{EN},{TRANSCRIBE}", "all_language_tokens": f"{EN},{DE}",
            "all_language_codes": "en,de"}
    for k in drop:
        meta.pop(k)
    save(encoder(meta), os.path.join(d, "tiny-encoder.onnx"))
    save(decoder(script()), os.path.join(d, "tiny-decoder.onnx"))
    with open(os.path.join(d, "tiny-tokens.txt"), "w") as f:
        for i, t in enumerate(TEXT):
            f.write(base64.b64encode(t.encode()).decode() + f" {i}\n")


def main():
    out = sys.argv[1]
    build(out, "whisper")
    build(out, "whisper-no-meta", drop=("no_timestamps",))


if __name__ == "__main__":
    main()
