#!/usr/bin/python3
"""Tiny NeMo-style ASR exports for tests/unit/asr, with the input/output names, shapes, dtypes and
metadata of sherpa-onnx's real exports, and weights that make greedy decoding spell a known text
whatever the audio (the scores follow a fixed per-frame script; the audio only nudges them a
little, so batching mistakes still show up in the confidences).

Usage: nemo_asr_test_models.py OUTDIR
  ctc/          model.onnx + tokens.txt: Conformer-like CTC, 80 mels, subsampling 4, SentencePiece
                tokens; spells "the cat sat on the books" (output frames 40 ms)
  quartznet/    64 mels, subsampling 2, character vocabulary with a space token: "hi there"
  ctc-no-meta/  like ctc/ without vocab_size metadata
  ctc-wrong-vocab/  tokens.txt with one token too many for vocab_size
  ctc-bad-tokens/   tokens.txt with a line that has no id
  tdt/          encoder.onnx + decoder.onnx + joiner.onnx + tokens.txt as sherpa-onnx exports Parakeet
                TDT 0.6B (128 mels, subsampling 8, durations 0..4): the joiner's durations force skips
                over frames that would emit "junk"; spells "hello world again la la la la la"
  rnnt/         the same without durations (joiner scores tokens only): "hello world again" + 10 x "la"
  tdt-blank-first/  tokens.txt with <blk> first
  tdt-no-hidden/    encoder without pred_hidden metadata
  tdt-batch1/       tdt/ with a decoder whose batch dimension is fixed at 1
  ctc-fp16/, tdt-fp16/  ctc/ and tdt/ with float16 inputs and outputs, as fp16 exports have
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MARK = "\u2581"
BIG = 2**62


def save(model, path):
    onnx.checker.check_model(model)
    tmp = f"{path}.{os.getpid()}.tmp"  # tests may run in parallel: write, then rename atomically
    onnx.save(model, tmp)
    os.replace(tmp, path)


def half_io(model):
    """The model with float16 inputs and outputs (as an fp16 export without keep_io_types has):
    Casts at the edges, the body unchanged."""
    g = model.graph
    cast_in, cast_out = [], []
    edges = [(vi, True) for vi in g.input] + [(vi, False) for vi in g.output]
    for vi, is_input in edges:
        if vi.type.tensor_type.elem_type != TensorProto.FLOAT:
            continue
        inner = vi.name + "__f32"
        for node in g.node:
            node.input[:] = [inner if n == vi.name else n for n in node.input]
            if not is_input:
                node.output[:] = [inner if n == vi.name else n for n in node.output]
        if is_input:
            cast_in.append(helper.make_node("Cast", [vi.name], [inner], to=TensorProto.FLOAT))
        else:
            cast_out.append(helper.make_node("Cast", [inner], [vi.name], to=TensorProto.FLOAT16))
        vi.type.tensor_type.elem_type = TensorProto.FLOAT16
    nodes = cast_in + list(g.node) + cast_out
    del g.node[:]
    g.node.extend(nodes)
    return model


def write_tokens(path, symbols):
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for i, s in enumerate(symbols):
            f.write(f"{s} {i}\n")
    os.replace(tmp, path)


def script_table(path_ids, vocab, blank, max_frames=4000, margin=10.0):
    """(max_frames, vocab) scores whose argmax at frame t is path_ids[t] (blank after the script)."""
    table = np.zeros((max_frames, vocab), dtype=np.float32)
    for t in range(max_frames):
        best = path_ids[t] if t < len(path_ids) else blank
        table[t, best] = margin
    return table


def ctc_model(n_mels, subsampling, table, meta):
    """audio_signal f32 (B, n_mels, T), length i64 (B) -> logprobs f32 (B, ceil(T/sub), V):
    LogSoftmax(table[t] + 0.1 * mean_over_mels(features[:, :, t * sub]))."""
    vocab = table.shape[1]
    inits = [
        numpy_helper.from_array(table, "script"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "zero"),
        numpy_helper.from_array(np.array([BIG], dtype=np.int64), "big"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "axis0"),
        numpy_helper.from_array(np.array([subsampling], dtype=np.int64), "step"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "one"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "two"),
        numpy_helper.from_array(np.array(0.1, dtype=np.float32), "nudge"),
    ]
    nodes = [
        helper.make_node("Slice", ["audio_signal", "zero", "big", "axis2", "step"], ["sub"]),
        helper.make_node("ReduceMean", ["sub"], ["avg"], axes=[1], keepdims=0),  # (B, T')
        helper.make_node("Shape", ["avg"], ["avg_shape"]),
        helper.make_node("Slice", ["avg_shape", "one", "two"], ["frames"]),
        helper.make_node("Slice", ["script", "zero", "frames", "axis0"], ["rows"]),  # (T', V)
        helper.make_node("Unsqueeze", ["rows", "axis0"], ["rows3"]),  # (1, T', V)
        helper.make_node("Mul", ["avg", "nudge"], ["small"]),
        helper.make_node("Unsqueeze", ["small", "axis2"], ["small3"]),  # (B, T', 1)
        helper.make_node("Add", ["rows3", "small3"], ["logits"]),
        helper.make_node("LogSoftmax", ["logits"], ["logprobs"], axis=2),
        # The length input must be consumed like the real export does; it does not change scores.
        helper.make_node("Cast", ["length"], ["length_f"], to=TensorProto.FLOAT),
    ]
    graph = helper.make_graph(
        nodes, "nemo_ctc",
        [helper.make_tensor_value_info("audio_signal", TensorProto.FLOAT, ["audio_signal_dynamic_axes_1", n_mels, "audio_signal_dynamic_axes_2"]),
         helper.make_tensor_value_info("length", TensorProto.INT64, ["length_dynamic_axes_1"])],
        [helper.make_tensor_value_info("logprobs", TensorProto.FLOAT, ["logprobs_dynamic_axes_1", "logprobs_dynamic_axes_2", vocab])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    for k, v in meta.items():
        model.metadata_props.add(key=k, value=str(v))
    return model


CTC_TOKENS = ["<unk>", MARK + "the", MARK + "c", "at", MARK + "s", MARK + "on", MARK + "b", "o", "k", "s", "<blk>"]
CTC_PATH = ["<blk>", MARK + "the", MARK + "the", "<blk>", MARK + "c", "at", "at", "<blk>", MARK + "s", "at",
            "<blk>", "<blk>", MARK + "on", "<blk>", MARK + "the", "<blk>", MARK + "b", "o", "<blk>", "o", "o", "k", "s"]

QN_TOKENS = [" "] + [chr(c) for c in range(ord("a"), ord("z") + 1)] + ["'", "<blk>"]
QN_PATH = ["<blk>", "h", "h", "i", "<blk>", " ", " ", "t", "h", "<blk>", "e", "r", "r", "<blk>", "e", " "]


def build_ctc(out, name, tokens, path, n_mels, sub, meta_overrides=None, token_lines=None, half=False):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    ids = [tokens.index(p) for p in path]
    table = script_table(ids, len(tokens), tokens.index("<blk>"))
    meta = {"vocab_size": len(tokens) - 1, "subsampling_factor": sub, "normalize_type": "per_feature",
            "model_type": "EncDecCTCModelBPE", "version": "1", "model_author": "NeMo"}
    meta.update(meta_overrides or {})
    meta = {k: v for k, v in meta.items() if v is not None}
    model = ctc_model(n_mels, sub, table, meta)
    save(half_io(model) if half else model, os.path.join(d, "model.onnx"))
    if token_lines is None:
        write_tokens(os.path.join(d, "tokens.txt"), tokens)
    else:
        with open(os.path.join(d, "tokens.txt"), "w", encoding="utf-8") as f:
            f.write(token_lines)


D, H, L = 64, 32, 2  # encoder dim (max frames scripted), decoder hidden (max tokens), LSTM layers
TD_TOKENS = ["<unk>", MARK + "he", "llo", MARK + "wor", "ld", MARK + "again", MARK + "junk", MARK + "la", "<blk>"]


def tdt_encoder(n_mels, meta):
    """outputs[b, d, t] = [d == t] + 0.01 * mean_c(features[b, c, 8t]); encoded_lengths = ceil(length / 8)."""
    inits = [
        numpy_helper.from_array(np.array([0], dtype=np.int64), "zero"),
        numpy_helper.from_array(np.array([BIG], dtype=np.int64), "big"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
        numpy_helper.from_array(np.array([8], dtype=np.int64), "step"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "one"),
        numpy_helper.from_array(np.array([7], dtype=np.int64), "seven"),
        numpy_helper.from_array(np.array([8], dtype=np.int64), "eight"),
        numpy_helper.from_array(np.arange(D, dtype=np.float32).reshape(1, D, 1), "d_range"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "f0"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "f1"),
        numpy_helper.from_array(np.array(0.01, dtype=np.float32), "nudge"),
    ]
    nodes = [
        helper.make_node("Slice", ["audio_signal", "zero", "big", "axis2", "step"], ["sub"]),
        helper.make_node("ReduceMean", ["sub"], ["avg"], axes=[1], keepdims=1),  # (B, 1, T')
        helper.make_node("Shape", ["avg"], ["avg_shape"]),
        helper.make_node("Slice", ["avg_shape", "axis2", "big"], ["frames_1d"]),
        helper.make_node("Squeeze", ["frames_1d", "zero"], ["frames"]),
        helper.make_node("Cast", ["frames"], ["frames_f"], to=TensorProto.FLOAT),
        helper.make_node("Range", ["f0", "frames_f", "f1"], ["t_range"]),
        helper.make_node("Unsqueeze", ["t_range", "zero"], ["t_row"]),  # (1, T')
        helper.make_node("Unsqueeze", ["t_row", "zero"], ["t_3"]),      # (1, 1, T')
        helper.make_node("Sub", ["d_range", "t_3"], ["diff"]),
        helper.make_node("Abs", ["diff"], ["adiff"]),
        helper.make_node("Sub", ["f1", "adiff"], ["tri"]),
        helper.make_node("Relu", ["tri"], ["onehot"]),                 # (1, D, T')
        helper.make_node("Mul", ["avg", "nudge"], ["small"]),
        helper.make_node("Add", ["onehot", "small"], ["outputs"]),      # (B, D, T')
        helper.make_node("Add", ["length", "seven"], ["len7"]),
        helper.make_node("Div", ["len7", "eight"], ["encoded_lengths"]),
    ]
    graph = helper.make_graph(
        nodes, "encoder",
        [helper.make_tensor_value_info("audio_signal", TensorProto.FLOAT, ["audio_signal_dynamic_axes_1", n_mels, "audio_signal_dynamic_axes_2"]),
         helper.make_tensor_value_info("length", TensorProto.INT64, ["length_dynamic_axes_1"])],
        [helper.make_tensor_value_info("outputs", TensorProto.FLOAT, ["outputs_dynamic_axes_1", D, "outputs_dynamic_axes_2"]),
         helper.make_tensor_value_info("encoded_lengths", TensorProto.INT64, ["encoded_lengths_dynamic_axes_1"])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    for k, v in meta.items():
        model.metadata_props.add(key=k, value=str(v))
    return model


def tdt_decoder(blank, batch="dyn"):
    """A counter instead of an LSTM: the states count the non-blank targets seen; outputs is the
    one-hot of that count, (B, H, 1). batch=1 declares a fixed batch of one, as an export traced
    without dynamic batch axes would."""
    b = (lambda name: name) if batch == "dyn" else (lambda name: 1)
    inits = [
        numpy_helper.from_array(np.array(blank, dtype=np.int32), "blank"),
        numpy_helper.from_array(np.arange(H, dtype=np.float32).reshape(1, H, 1), "h_range"),
        numpy_helper.from_array(np.array([1, -1, 1], dtype=np.int64), "shape_1b1"),
        numpy_helper.from_array(np.array([-1, 1, 1], dtype=np.int64), "shape_b11"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "zero"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "one"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "f1"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "f0"),
    ]
    nodes = [
        helper.make_node("Equal", ["targets", "blank"], ["is_blank"]),
        helper.make_node("Not", ["is_blank"], ["not_blank"]),
        helper.make_node("Cast", ["not_blank"], ["inc"], to=TensorProto.FLOAT),     # (B, 1)
        helper.make_node("Reshape", ["inc", "shape_1b1"], ["inc3"]),                # (1, B, 1)
        helper.make_node("Add", ["states.1", "inc3"], ["states"]),                   # (L, B, H)
        helper.make_node("Add", ["onnx::Slice_3", "f0"], ["162"]),
        helper.make_node("Identity", ["target_length"], ["prednet_lengths"]),
        helper.make_node("Slice", ["states", "zero", "one", "zero"], ["layer0"]),  # (1, B, H)
        helper.make_node("ReduceMean", ["layer0"], ["count"], axes=[2], keepdims=0),  # (1, B)
        helper.make_node("Reshape", ["count", "shape_b11"], ["count3"]),            # (B, 1, 1)
        helper.make_node("Sub", ["h_range", "count3"], ["diff"]),
        helper.make_node("Abs", ["diff"], ["adiff"]),
        helper.make_node("Sub", ["f1", "adiff"], ["tri"]),
        helper.make_node("Relu", ["tri"], ["outputs"]),                             # (B, H, 1)
    ]
    graph = helper.make_graph(
        nodes, "decoder",
        [helper.make_tensor_value_info("targets", TensorProto.INT32, [b("targets_dynamic_axes_1"), "targets_dynamic_axes_2"]),
         helper.make_tensor_value_info("target_length", TensorProto.INT32, [b("target_length_dynamic_axes_1")]),
         helper.make_tensor_value_info("states.1", TensorProto.FLOAT, [L, b("states.1_dim_1"), H]),
         helper.make_tensor_value_info("onnx::Slice_3", TensorProto.FLOAT, [L, b("onnx::Slice_3_dim_1"), H])],
        [helper.make_tensor_value_info("outputs", TensorProto.FLOAT, [b("outputs_dynamic_axes_1"), H, "outputs_dynamic_axes_3"]),
         helper.make_tensor_value_info("prednet_lengths", TensorProto.INT32, [b("prednet_lengths_dynamic_axes_1")]),
         helper.make_tensor_value_info("states", TensorProto.FLOAT, [L, b("states_dynamic_axes_1"), H]),
         helper.make_tensor_value_info("162", TensorProto.FLOAT, [L, b("162_dim_1"), H])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model


def tdt_joiner(weights, bias):
    """scores = bilinear(encoder one-hot frame, decoder one-hot count): outputs (B, 1, 1, W)."""
    width = weights.shape[1]
    inits = [
        numpy_helper.from_array(weights, "w"),
        numpy_helper.from_array(bias, "bias"),
        numpy_helper.from_array(np.array([-1, 1, H], dtype=np.int64), "shape_b1h"),
        numpy_helper.from_array(np.array([-1, D * H], dtype=np.int64), "shape_flat"),
        numpy_helper.from_array(np.array([-1, 1, 1, width], dtype=np.int64), "shape_out"),
    ]
    nodes = [
        helper.make_node("Reshape", ["decoder_outputs", "shape_b1h"], ["dec_row"]),     # (B, 1, H)
        helper.make_node("MatMul", ["encoder_outputs", "dec_row"], ["outer"]),          # (B, D, H)
        helper.make_node("Reshape", ["outer", "shape_flat"], ["flat"]),
        helper.make_node("MatMul", ["flat", "w"], ["scores"]),
        helper.make_node("Add", ["scores", "bias"], ["scored"]),
        helper.make_node("Reshape", ["scored", "shape_out"], ["outputs"]),
    ]
    graph = helper.make_graph(
        nodes, "joiner",
        [helper.make_tensor_value_info("encoder_outputs", TensorProto.FLOAT, ["encoder_outputs_dynamic_axes_1", D, "encoder_outputs_dynamic_axes_2"]),
         helper.make_tensor_value_info("decoder_outputs", TensorProto.FLOAT, ["decoder_outputs_dynamic_axes_1", H, "decoder_outputs_dynamic_axes_2"])],
        [helper.make_tensor_value_info("outputs", TensorProto.FLOAT, ["outputs_dynamic_axes_1", "outputs_dynamic_axes_2", "outputs_dynamic_axes_3", width])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model


def joiner_weights(script, n_tokens, n_durations):
    """script: {(frame, count): (token, duration index)}; unscripted cells score blank, duration 1."""
    width = n_tokens + n_durations
    w = np.zeros((D, H, width), dtype=np.float32)
    for (t, k), (tok, dur) in script.items():
        w[t, k, TD_TOKENS.index(tok)] = 10.0
        if n_durations:
            w[t, k, n_tokens + dur] = 10.0
    bias = np.zeros(width, dtype=np.float32)
    bias[TD_TOKENS.index("<blk>")] = 1.0
    if n_durations:
        bias[n_tokens + 1] = 1.0
    return w.reshape(D * H, width), bias


def tdt_script():
    s = {(0, 0): (MARK + "he", 0), (0, 1): ("llo", 2), (2, 2): ("<blk>", 3), (5, 2): (MARK + "wor", 1),
         (6, 3): ("ld", 4), (10, 4): ("<blk>", 0), (11, 4): (MARK + "again", 1)}
    # Frames the durations jump over: a decoder that ignores them emits junk here.
    for t, k in [(1, 2), (3, 2), (4, 2), (7, 4), (8, 4), (9, 4)]:
        s[(t, k)] = (MARK + "junk", 1)
    for k in range(5, H):  # frame 14 emits forever with duration 0: the per-frame cap must stop it
        s[(14, k)] = (MARK + "la", 0)
    return s


def rnnt_script():
    s = {(0, 0): (MARK + "he", 0), (0, 1): ("llo", 0), (2, 2): (MARK + "wor", 0), (2, 3): ("ld", 0),
         (5, 4): (MARK + "again", 0)}
    for k in range(5, H):
        s[(7, k)] = (MARK + "la", 0)
    return s


def build_transducer(out, name, script, n_durations, tokens=TD_TOKENS, meta_overrides=None, decoder_batch="dyn",
                     half=False):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    meta = {"vocab_size": len(TD_TOKENS) - 1, "normalize_type": "per_feature", "pred_rnn_layers": L,
            "pred_hidden": H, "subsampling_factor": 8, "model_type": "EncDecRNNTBPEModel", "version": "2",
            "model_author": "NeMo", "feat_dim": 128}
    meta.update(meta_overrides or {})
    meta = {k: v for k, v in meta.items() if v is not None}
    edge = half_io if half else (lambda m: m)
    save(edge(tdt_encoder(128, meta)), os.path.join(d, "encoder.onnx"))
    save(edge(tdt_decoder(TD_TOKENS.index("<blk>"), decoder_batch)), os.path.join(d, "decoder.onnx"))
    w, b = joiner_weights(script, len(TD_TOKENS), n_durations)
    save(edge(tdt_joiner(w, b)), os.path.join(d, "joiner.onnx"))
    write_tokens(os.path.join(d, "tokens.txt"), tokens)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    build_ctc(out, "ctc", CTC_TOKENS, CTC_PATH, 80, 4)
    build_ctc(out, "quartznet", QN_TOKENS, QN_PATH, 64, 2, {"model_type": "EncDecCTCModel"})
    build_ctc(out, "ctc-no-meta", CTC_TOKENS, CTC_PATH, 80, 4, {"vocab_size": None})
    build_ctc(out, "ctc-wrong-vocab", CTC_TOKENS, CTC_PATH, 80, 4, {"vocab_size": 5})
    build_ctc(out, "ctc-bad-tokens", CTC_TOKENS, CTC_PATH, 80, 4,
              token_lines="".join(f"{s} {i}\n" for i, s in enumerate(CTC_TOKENS[:3])) + "oops\n")
    build_transducer(out, "tdt", tdt_script(), 5)
    build_transducer(out, "rnnt", rnnt_script(), 0)
    build_transducer(out, "tdt-blank-first", tdt_script(), 5, tokens=["<blk>"] + TD_TOKENS[:-1])
    build_transducer(out, "tdt-no-hidden", tdt_script(), 5, meta_overrides={"pred_hidden": None})
    build_transducer(out, "tdt-batch1", tdt_script(), 5, decoder_batch=1)
    build_ctc(out, "ctc-fp16", CTC_TOKENS, CTC_PATH, 80, 4, half=True)
    build_transducer(out, "tdt-fp16", tdt_script(), 5, half=True)


if __name__ == "__main__":
    main()
