#!/usr/bin/python3
"""A Parakeet-TDT-0.6B-shaped transducer with random weights, in sherpa-onnx's export layout, for
speed and memory benchmarks where the real weights cannot be downloaded. Same tensor names,
shapes, dtypes and metadata as sherpa-onnx's Parakeet exports, and the same amount of work per
second of audio: a FastConformer encoder (dw-striding subsampling x8, 24 blocks of half-FF, MHSA,
depthwise-conv module, half-FF at d_model 1024), a 2-layer LSTM prediction network (640) and a
joiner scoring 1024 tokens + blank + 5 durations. Attention is plain scaled dot-product with a
padding mask rather than NeMo's relative-position form (one extra matmul of the same size per
layer in NeMo), so timings are a close lower bound on the real model's.

The joiner's blank bias is set so that about a third of the search steps emit a token, roughly
what Parakeet does on conversational speech; the transcript itself is meaningless.

Usage: parakeet_shaped.py OUTDIR [--layers 24 --d-model 1024 --heads 8 --ff 4096 --pred 640
                                  --vocab 1024 --fp16 --seed 0]
  OUTDIR gets encoder.onnx (+ encoder.weights when over 2 GB), decoder.onnx, joiner.onnx,
  tokens.txt. --fp16 stores the encoder's weights and computes it in float16 (its inputs and
  outputs stay float32), as an fp16 export for a GPU does. Needs python3-onnx and python3-numpy.
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MEL = 128
SUB_CHANNELS = 256
DURATIONS = 5
MAX_FRAMES = 4096  # encoder frames (80 ms) of the longest chunk: 327 s


class Graph:
    """A small builder: unique names, initializers from numpy, nodes in order."""

    def __init__(self, rng, dtype=np.float32):
        self.rng, self.dtype = rng, dtype
        self.nodes, self.inits, self.n = [], [], 0

    def name(self, base):
        self.n += 1
        return f"{base}_{self.n}"

    def const(self, array, base="c"):
        n = self.name(base)
        self.inits.append(numpy_helper.from_array(np.asarray(array), n))
        return n

    def weight(self, shape, fan_in, base="w"):
        return self.const((self.rng.standard_normal(shape, dtype=np.float32) / np.sqrt(fan_in)).astype(self.dtype), base)

    def zeros(self, shape, base="b"):
        return self.const(np.zeros(shape, dtype=self.dtype), base)

    def ones(self, shape, base="g"):
        return self.const(np.ones(shape, dtype=self.dtype), base)

    def op(self, kind, inputs, n_out=1, **attrs):
        outs = [self.name(kind.lower()) for _ in range(n_out)]
        self.nodes.append(helper.make_node(kind, inputs, outs, **attrs))
        return outs[0] if n_out == 1 else outs

    def linear(self, x, d_in, d_out):
        return self.op("Add", [self.op("MatMul", [x, self.weight((d_in, d_out), d_in)]), self.zeros((d_out,))])

    def layer_norm(self, x, d):
        return self.op("LayerNormalization", [x, self.ones((d,)), self.zeros((d,))], axis=-1, epsilon=1e-5)

    def silu(self, x):
        return self.op("Mul", [x, self.op("Sigmoid", [x])])


def i64(values):
    return np.array(values, dtype=np.int64)


def conformer_block(g, x, bias, d, heads, ff):
    """Pre-LN FastConformer block on x (B, T, d); bias (B, 1, 1, T) masks padded keys."""
    half = g.const(np.array(0.5, dtype=g.dtype))
    h = g.linear(g.silu(g.linear(g.layer_norm(x, d), d, ff)), ff, d)  # first half-step feed-forward
    x = g.op("Add", [x, g.op("Mul", [h, half])])
    # multi-head self-attention
    h = g.layer_norm(x, d)
    qkv = g.linear(h, d, 3 * d)
    q, k, v = g.op("Split", [qkv, g.const(i64([d, d, d]))], n_out=3, axis=-1)
    split_heads = g.const(i64([0, 0, heads, d // heads]))
    q, k, v = [g.op("Transpose", [g.op("Reshape", [t, split_heads])], perm=[0, 2, 1, 3]) for t in (q, k, v)]
    scores = g.op("MatMul", [q, g.op("Transpose", [k], perm=[0, 1, 3, 2])])
    scores = g.op("Mul", [scores, g.const(np.array(1 / np.sqrt(d // heads), dtype=g.dtype))])
    attn = g.op("Softmax", [g.op("Add", [scores, bias])], axis=-1)
    ctx = g.op("Reshape", [g.op("Transpose", [g.op("MatMul", [attn, v])], perm=[0, 2, 1, 3]), g.const(i64([0, 0, d]))])
    x = g.op("Add", [x, g.linear(ctx, d, d)])
    # convolution module: pointwise + GLU, depthwise k=9, batch norm (folded), SiLU, pointwise
    h = g.linear(g.layer_norm(x, d), d, 2 * d)
    a, b = g.op("Split", [h, g.const(i64([d, d]))], n_out=2, axis=-1)
    h = g.op("Transpose", [g.op("Mul", [a, g.op("Sigmoid", [b])])], perm=[0, 2, 1])  # (B, d, T)
    h = g.op("Conv", [h, g.weight((d, 1, 9), 9), g.zeros((d,))], group=d, kernel_shape=[9], pads=[4, 4])
    h = g.op("Add", [g.op("Mul", [h, g.ones((d, 1))]), g.zeros((d, 1))])
    h = g.op("Transpose", [g.silu(h)], perm=[0, 2, 1])
    x = g.op("Add", [x, g.linear(h, d, d)])
    h = g.linear(g.silu(g.linear(g.layer_norm(x, d), d, ff)), ff, d)  # second half-step feed-forward
    x = g.op("Add", [x, g.op("Mul", [h, half])])
    return g.layer_norm(x, d)


def encoder(args, rng):
    dtype = np.float16 if args.fp16 else np.float32
    g = Graph(rng, dtype)
    d = args.d_model
    x = g.op("Transpose", ["audio_signal"], perm=[0, 2, 1])  # (B, T, mel)
    if args.fp16:
        x = g.op("Cast", [x], to=TensorProto.FLOAT16)
    x = g.op("Unsqueeze", [x, g.const(i64([1]))])  # (B, 1, T, mel)
    c = SUB_CHANNELS
    x = g.op("Relu", [g.op("Conv", [x, g.weight((c, 1, 3, 3), 9), g.zeros((c,))], strides=[2, 2], pads=[1, 1, 1, 1])])
    for _ in range(2):  # depthwise-separable stride-2 stages
        x = g.op("Conv", [x, g.weight((c, 1, 3, 3), 9), g.zeros((c,))], strides=[2, 2], pads=[1, 1, 1, 1], group=c)
        x = g.op("Relu", [g.op("Conv", [x, g.weight((c, c, 1, 1), c), g.zeros((c,))])])
    x = g.op("Reshape", [g.op("Transpose", [x], perm=[0, 2, 1, 3]), g.const(i64([0, 0, -1]))])  # (B, T', c * mel/8)
    x = g.linear(x, c * (MEL // 8), d)
    # Encoded lengths: three times floor((L - 1) / 2) + 1, as the stride-2 convolutions give.
    length = "length"
    one, two = g.const(i64([1])), g.const(i64([2]))
    for _ in range(3):
        length = g.op("Add", [g.op("Div", [g.op("Sub", [length, one]), two]), one])
    lengths_out = g.op("Identity", [length])
    # Padding mask over keys: 0 where t < length, -10000 beyond.
    frames = g.op("Gather", [g.op("Shape", [x]), g.const(np.array(1, dtype=np.int64))])
    t = g.op("Range", [g.const(np.array(0, dtype=np.int64)), frames, g.const(np.array(1, dtype=np.int64))])
    valid = g.op("Less", [g.op("Unsqueeze", [t, g.const(i64([0]))]), g.op("Unsqueeze", [length, g.const(i64([1]))])])
    bias = g.op("Mul", [g.op("Cast", [g.op("Not", [valid])], to=TensorProto.FLOAT16 if args.fp16 else TensorProto.FLOAT),
                        g.const(np.array(-10000.0, dtype=dtype))])
    bias = g.op("Unsqueeze", [bias, g.const(i64([1, 2]))])  # (B, 1, 1, T')
    for _ in range(args.layers):
        x = conformer_block(g, x, bias, d, args.heads, args.ff)
    # A random per-frame offset: a deep random network maps all frames to nearly the same vector,
    # which would make the search emit on every frame or on none. The offset keeps frames apart,
    # so the joiner's calibrated blank rate holds (one Add: no change to the cost).
    pos = g.const((rng.standard_normal((MAX_FRAMES, d), dtype=np.float32)).astype(dtype))
    rows = g.op("Slice", [pos, g.const(i64([0])), g.op("Unsqueeze", [frames, g.const(i64([0]))]), g.const(i64([0]))])
    x = g.op("Add", [g.op("Mul", [x, g.const(np.array(0.5, dtype=dtype))]), rows])
    if args.fp16:
        x = g.op("Cast", [x], to=TensorProto.FLOAT)
    g.nodes.append(helper.make_node("Transpose", [x], ["outputs"], perm=[0, 2, 1]))
    g.nodes.append(helper.make_node("Identity", [lengths_out], ["encoded_lengths"]))
    graph = helper.make_graph(
        g.nodes, "encoder",
        [helper.make_tensor_value_info("audio_signal", TensorProto.FLOAT, ["audio_signal_dynamic_axes_1", MEL, "audio_signal_dynamic_axes_2"]),
         helper.make_tensor_value_info("length", TensorProto.INT64, ["length_dynamic_axes_1"])],
        [helper.make_tensor_value_info("outputs", TensorProto.FLOAT, ["outputs_dynamic_axes_1", d, "outputs_dynamic_axes_2"]),
         helper.make_tensor_value_info("encoded_lengths", TensorProto.INT64, ["encoded_lengths_dynamic_axes_1"])],
        initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    meta = {"vocab_size": args.vocab, "normalize_type": "per_feature", "pred_rnn_layers": 2, "pred_hidden": args.pred,
            "subsampling_factor": 8, "feat_dim": MEL, "model_type": "EncDecRNNTBPEModel", "version": "2",
            "model_author": "vox bench (random weights)", "comment": "Parakeet-TDT-0.6B-shaped, random weights"}
    for k, v in meta.items():
        model.metadata_props.add(key=k, value=str(v))
    return model


def decoder(args, rng):
    g = Graph(rng)
    h, n_emb = args.pred, args.vocab + 1
    emb = g.op("Gather", [g.weight((n_emb, h), 1), g.op("Cast", ["targets"], to=TensorProto.INT64)])  # (B, 1, h)
    x = g.op("Transpose", [emb], perm=[1, 0, 2])  # (1, B, h): seq, batch, features
    hs, cs = [], []
    for layer in range(2):
        h0 = g.op("Slice", ["states.1", g.const(i64([layer])), g.const(i64([layer + 1])), g.const(i64([0]))])
        c0 = g.op("Slice", ["onnx::Slice_3", g.const(i64([layer])), g.const(i64([layer + 1])), g.const(i64([0]))])
        y, yh, yc = g.op("LSTM", [x, g.weight((1, 4 * h, h), h), g.weight((1, 4 * h, h), h), g.zeros((1, 8 * h)), "",
                                  h0, c0], n_out=3, hidden_size=h)
        x = g.op("Squeeze", [y, g.const(i64([1]))])  # (1, B, h)
        hs.append(yh)
        cs.append(yc)
    g.nodes.append(helper.make_node("Unsqueeze", [g.op("Squeeze", [x, g.const(i64([0]))]), g.const(i64([2]))], ["outputs"]))
    g.nodes.append(helper.make_node("Identity", ["target_length"], ["prednet_lengths"]))
    g.nodes.append(helper.make_node("Concat", hs, ["states"], axis=0))
    g.nodes.append(helper.make_node("Concat", cs, ["162"], axis=0))
    graph = helper.make_graph(
        g.nodes, "decoder",
        [helper.make_tensor_value_info("targets", TensorProto.INT32, ["targets_dynamic_axes_1", "targets_dynamic_axes_2"]),
         helper.make_tensor_value_info("target_length", TensorProto.INT32, ["target_length_dynamic_axes_1"]),
         helper.make_tensor_value_info("states.1", TensorProto.FLOAT, [2, "states.1_dim_1", h]),
         helper.make_tensor_value_info("onnx::Slice_3", TensorProto.FLOAT, [2, "onnx::Slice_3_dim_1", h])],
        [helper.make_tensor_value_info("outputs", TensorProto.FLOAT, ["outputs_dynamic_axes_1", h, "outputs_dynamic_axes_3"]),
         helper.make_tensor_value_info("prednet_lengths", TensorProto.INT32, ["prednet_lengths_dynamic_axes_1"]),
         helper.make_tensor_value_info("states", TensorProto.FLOAT, [2, "states_dynamic_axes_1", h]),
         helper.make_tensor_value_info("162", TensorProto.FLOAT, [2, "162_dim_1", h])],
        initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def blank_bias(args, rng, w_enc, w_dec, w_out, target_emit=0.35):
    """The blank logit offset at which ~target_emit of steps pick a token, for encoder frames as
    the encoder ends (half a LayerNorm output plus a unit-normal frame offset) and LSTM outputs
    (within +-1)."""
    enc = rng.standard_normal((2000, args.d_model), dtype=np.float32) * np.sqrt(1.25)
    dec = rng.uniform(-0.7, 0.7, (2000, args.pred)).astype(np.float32)
    logits = np.maximum(enc @ w_enc + dec @ w_dec, 0) @ w_out[:, : args.vocab + 1]
    best_token = logits[:, : args.vocab].max(axis=1)
    margin = best_token - logits[:, args.vocab]
    return float(np.quantile(margin, 1 - target_emit))


def joiner(args, rng):
    g = Graph(rng)
    d, h, width = args.d_model, args.pred, args.vocab + 1 + DURATIONS
    w_enc = (rng.standard_normal((d, h), dtype=np.float32) / np.sqrt(d))
    w_dec = (rng.standard_normal((h, h), dtype=np.float32) / np.sqrt(h))
    w_out = (rng.standard_normal((h, width), dtype=np.float32) / np.sqrt(h))
    b_out = np.zeros(width, dtype=np.float32)
    b_out[args.vocab] = blank_bias(args, rng, w_enc, w_dec, w_out)
    b_out[args.vocab + 1 + 2] = 1.0  # durations lean to 2 frames (160 ms), like Parakeet on speech
    enc = g.op("Transpose", ["encoder_outputs"], perm=[0, 2, 1])
    dec = g.op("Transpose", ["decoder_outputs"], perm=[0, 2, 1])
    hid = g.op("Relu", [g.op("Add", [g.op("MatMul", [enc, g.const(w_enc)]), g.op("MatMul", [dec, g.const(w_dec)])])])
    out = g.op("Add", [g.op("MatMul", [hid, g.const(w_out)]), g.const(b_out)])  # (B, 1, width)
    g.nodes.append(helper.make_node("Unsqueeze", [out, g.const(i64([2]))], ["outputs"]))
    graph = helper.make_graph(
        g.nodes, "joiner",
        [helper.make_tensor_value_info("encoder_outputs", TensorProto.FLOAT, ["encoder_outputs_dynamic_axes_1", d, "encoder_outputs_dynamic_axes_2"]),
         helper.make_tensor_value_info("decoder_outputs", TensorProto.FLOAT, ["decoder_outputs_dynamic_axes_1", h, "decoder_outputs_dynamic_axes_2"])],
        [helper.make_tensor_value_info("outputs", TensorProto.FLOAT, ["outputs_dynamic_axes_1", "outputs_dynamic_axes_2", "outputs_dynamic_axes_3", width])],
        initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def save(model, path, external=None):
    tmp = f"{path}.{os.getpid()}.tmp"
    if external:
        onnx.save(model, tmp, save_as_external_data=True, all_tensors_to_one_file=True, location=external)
    else:
        onnx.checker.check_model(model)
        onnx.save(model, tmp)
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out")
    p.add_argument("--layers", type=int, default=24)
    p.add_argument("--d-model", type=int, default=1024)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--ff", type=int, default=4096)
    p.add_argument("--pred", type=int, default=640)
    p.add_argument("--vocab", type=int, default=1024)
    p.add_argument("--fp16", action="store_true")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    enc = encoder(args, rng)
    big = sum(len(t.raw_data) for t in enc.graph.initializer) > 1_500_000_000
    save(enc, os.path.join(args.out, "encoder.onnx"), "encoder.weights" if big else None)
    save(decoder(args, rng), os.path.join(args.out, "decoder.onnx"))
    save(joiner(args, rng), os.path.join(args.out, "joiner.onnx"))
    with open(os.path.join(args.out, "tokens.txt"), "w", encoding="utf-8") as f:
        for i in range(args.vocab):
            f.write(f"{chr(0x2581) if i % 3 == 0 else ''}w{i} {i}\n")
        f.write(f"<blk> {args.vocab}\n")


if __name__ == "__main__":
    main()
