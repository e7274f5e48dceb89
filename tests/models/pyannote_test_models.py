#!/usr/bin/python3
"""Tiny stand-ins for the pyannote diarizer's ONNX models, with the real models' input/output
names, shapes, dtypes and metadata, and weights chosen so that their answers are known.
Run with Debian's /usr/bin/python3 (python3-onnx, python3-numpy).

Usage: pyannote_test_models.py OUTDIR

"Voices" are pure tones (the C++ tests synthesise them):
    A 300 Hz, B 900 Hz, C 1500 Hz, D 2000 Hz
Segmentation (pyannote segmentation-3.0 layout, x [N,1,160000] -> y [N,589,7]): band energies
from windowed cos/sin kernels over each 991-sample receptive field (stride 270) decide which
local speaker is active: local 1 <- A or D, local 2 <- B, local 3 <- C. Scores are a log-softmax
over the powerset {}, {1}, {2}, {3}, {1,2}, {1,3}, {2,3}, so two tones at once give the pair.
A and D share local speaker 1: only the embeddings can tell them apart.
Embedding (WeSpeaker layout, feats [1,T,80] -> embs [1,16]; NeMo layout, audio_signal [1,80,T] +
length [1] -> logits [1,4], embs [1,16]): a per-frame softmax over the 80 log-mel bins, averaged
over time, projected so that the mel bins around voice v's frequency map onto unit vector e_v.

Files:
    models/pyannote-segmentation-3.0/model.onnx   segmentation (the layout make_pyannote_diarizer expects)
    models/speaker-embedding/model.onnx           WeSpeaker-layout embedding
    nemo_embedding.onnx                           NeMo-layout embedding
    seg_no_num_classes.onnx                       segmentation without metadata num_classes
    seg_wrong_classes.onnx                        num_classes 6 (does not match 3 speakers / 2 at once)
    emb_40_bins.onnx                              embedding whose input has 40 features
"""
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SR = 16000
VOICES = {"A": 300.0, "B": 900.0, "C": 1500.0, "D": 2000.0}
LOCAL_OF = {"A": 0, "D": 0, "B": 1, "C": 2}  # local speaker slot each voice lights up
EMBED_DIM = 16
WINDOW, RF_SIZE, RF_SHIFT = 160000, 991, 270


def save(model, path):
    onnx.checker.check_model(model)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"  # tests may run in parallel: write, then rename atomically
    onnx.save(model, tmp)
    os.replace(tmp, path)


def make_model(nodes, name, inputs, outputs, initializers, metadata):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    for k, v in metadata.items():
        model.metadata_props.add(key=k, value=str(v))
    return model


def const(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def segmentation(metadata):
    names = list(VOICES)
    n = np.arange(RF_SIZE)
    hann = 0.5 - 0.5 * np.cos(2 * np.pi * n / (RF_SIZE - 1))
    kernels = []
    for v in names:
        w = 2 * np.pi * VOICES[v] / SR
        kernels += [np.cos(w * n) * hann, np.sin(w * n) * hann]
    conv_w = np.stack(kernels)[:, None, :]  # [8,1,991]
    # channel energies -> per-local-speaker band energy: [3,8,1]
    sum_w = np.zeros((3, 2 * len(names), 1))
    for i, v in enumerate(names):
        sum_w[LOCAL_OF[v], 2 * i:2 * i + 2, 0] = 1.0
    # a tone of amplitude a gives energy ~(a * 247.5)^2: log threshold 4.0 ~ amplitude 0.03
    classes = [(), (0,), (1,), (2,), (0, 1), (0, 2), (1, 2)]
    m = np.zeros((3, 7))
    for c, members in enumerate(classes):
        for s in members:
            m[s, c] = 10.0
    bias = np.array([5.0, 0, 0, 0, -5.0, -5.0, -5.0])
    nodes = [
        helper.make_node("Conv", ["x", "conv_w"], ["resp"], strides=[RF_SHIFT]),
        helper.make_node("Mul", ["resp", "resp"], ["energy"]),
        helper.make_node("Conv", ["energy", "sum_w"], ["band"]),
        helper.make_node("Add", ["band", "eps"], ["band_eps"]),
        helper.make_node("Log", ["band_eps"], ["log_band"]),
        helper.make_node("Sub", ["log_band", "threshold"], ["centred"]),
        helper.make_node("Mul", ["centred", "gain"], ["scaled"]),
        helper.make_node("Sigmoid", ["scaled"], ["presence"]),
        helper.make_node("Transpose", ["presence"], ["presence_t"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["presence_t", "class_w"], ["class_raw"]),
        helper.make_node("Add", ["class_raw", "class_b"], ["logits"]),
        helper.make_node("LogSoftmax", ["logits"], ["y"], axis=-1),
    ]
    inits = [const("conv_w", conv_w), const("sum_w", sum_w), const("eps", [1e-6]), const("threshold", [4.0]),
             const("gain", [2.0]), const("class_w", m), const("class_b", bias)]
    frames = (WINDOW - RF_SIZE) // RF_SHIFT + 1
    return make_model(nodes, "fake_pyannote_segmentation",
                      [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, WINDOW])],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", frames, 7])], inits, metadata)


SEG_METADATA = {
    "model_type": "pyannote-segmentation-3.0", "version": 1, "sample_rate": SR, "window_size": WINDOW,
    "receptive_field_size": RF_SIZE, "receptive_field_shift": RF_SHIFT, "num_speakers": 3,
    "powerset_max_classes": 2, "num_classes": 7,
}


def mel(hz):
    return 1127.0 * np.log(1.0 + hz / 700.0)


def projection(low_freq, bins=80):
    """[bins, EMBED_DIM]: the bins nearest each voice (and their neighbours) -> e_voice."""
    mlow, mhigh = mel(low_freq), mel(SR / 2)
    delta = (mhigh - mlow) / (bins + 1)
    centres_mel = mlow + (np.arange(bins) + 1) * delta
    centres = 700.0 * (np.exp(centres_mel / 1127.0) - 1.0)
    w = np.full((bins, EMBED_DIM), 0.001)
    for i, v in enumerate(VOICES):
        b = int(np.argmin(np.abs(centres - VOICES[v])))
        for nb in (b - 1, b, b + 1):
            if 0 <= nb < bins:
                w[nb, :] = 0.0
                w[nb, i] = 1.0
    return w


def embedding_body(features, prefix):
    """Nodes: features [1,T,80] -> f"{prefix}embs" [1,16]."""
    return [
        helper.make_node("Softmax", [features], [prefix + "profile"], axis=-1),
        helper.make_node("ReduceMean", [prefix + "profile"], [prefix + "mean"], axes=[1], keepdims=0),
        helper.make_node("MatMul", [prefix + "mean", "proj"], [prefix + "embs"]),
    ]


def wespeaker_embedding(bins=80):
    nodes = embedding_body("feats", "")
    return make_model(nodes, "fake_wespeaker",
                      [helper.make_tensor_value_info("feats", TensorProto.FLOAT, [1, "T", bins])],
                      [helper.make_tensor_value_info("embs", TensorProto.FLOAT, [1, EMBED_DIM])],
                      [const("proj", projection(20.0, bins))],
                      {"framework": "wespeaker", "output_dim": EMBED_DIM, "sample_rate": SR,
                       "normalize_samples": 0, "language": "English"})


def nemo_embedding():
    nodes = [helper.make_node("Transpose", ["audio_signal"], ["feats"], perm=[0, 2, 1])]
    nodes += embedding_body("feats", "raw_")
    nodes += [
        # length is used (as the real model does): scale by length / length = 1
        helper.make_node("Cast", ["length"], ["length_f"], to=TensorProto.FLOAT),
        helper.make_node("Div", ["length_f", "length_f"], ["one"]),
        helper.make_node("Mul", ["raw_embs", "one"], ["embs"]),
        helper.make_node("MatMul", ["embs", "classifier"], ["logits"]),
    ]
    return make_model(nodes, "fake_titanet",
                      [helper.make_tensor_value_info("audio_signal", TensorProto.FLOAT, [1, 80, "T"]),
                       helper.make_tensor_value_info("length", TensorProto.INT64, [1])],
                      [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 4]),
                       helper.make_tensor_value_info("embs", TensorProto.FLOAT, [1, EMBED_DIM])],
                      [const("proj", projection(0.0)), const("classifier", np.eye(EMBED_DIM, 4))],
                      {"framework": "nemo", "output_dim": EMBED_DIM, "feat_dim": 80, "sample_rate": SR,
                       "window_size_ms": 25, "window_stride_ms": 10, "language": "English",
                       "feature_normalize_type": ""})


def main():
    out = sys.argv[1]
    models = os.path.join(out, "models")
    save(segmentation(SEG_METADATA), os.path.join(models, "pyannote-segmentation-3.0", "model.onnx"))
    save(wespeaker_embedding(), os.path.join(models, "speaker-embedding", "model.onnx"))
    save(nemo_embedding(), os.path.join(out, "nemo_embedding.onnx"))
    no_classes = {k: v for k, v in SEG_METADATA.items() if k != "num_classes"}
    save(segmentation(no_classes), os.path.join(out, "seg_no_num_classes.onnx"))
    save(segmentation(dict(SEG_METADATA, num_classes=6)), os.path.join(out, "seg_wrong_classes.onnx"))
    save(wespeaker_embedding(40), os.path.join(out, "emb_40_bins.onnx"))


if __name__ == "__main__":
    main()
