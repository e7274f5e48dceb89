#!/usr/bin/python3
"""Tiny stand-ins for Piper VITS voices, for tests/unit/piper (Debian's python3-onnx).

Usage: piper_test_models.py OUTDIR

Each model has Piper's exact interface -- inputs `input` int64 [1,N], `input_lengths` int64 [1],
`scales` float [3] and (multi-speaker only) `sid` int64 [1]; output `output` float [1,1,1,T] --
and echoes what reached it, so a test can check every value exactly:

  output = [MARK, input ids..., input_lengths, scales[0], scales[1], scales[2] (, sid)] / 1024

MARK is the loudest sample, so Piper's peak normalisation divides by MARK/1024 (a power of two:
the echoed values stay exact).
  single.onnx  no sid input, MARK = 1024 (peak 1.0: normalisation is the identity)
  multi.onnx   with sid,     MARK = 1024
  quiet.onnx   no sid input, MARK = 256  (peak 0.25: normalisation multiplies by 4)
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SCALE = 1024.0


def save(model, path):
    onnx.checker.check_model(model)
    tmp = f"{path}.{os.getpid()}.tmp"  # tests may run in parallel: write, then rename atomically
    onnx.save(model, tmp)
    os.replace(tmp, path)


def echo_model(name, with_sid, mark):
    inits = [
        numpy_helper.from_array(np.array([mark], dtype=np.float32), "mark"),
        numpy_helper.from_array(np.array([SCALE], dtype=np.float32), "scale"),
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "flat"),
        numpy_helper.from_array(np.array([1, 1, 1, -1], dtype=np.int64), "out_shape"),
    ]
    nodes = [
        helper.make_node("Reshape", ["input", "flat"], ["ids_flat"]),
        helper.make_node("Cast", ["ids_flat"], ["ids_f"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["input_lengths"], ["len_f"], to=TensorProto.FLOAT),
    ]
    parts = ["mark", "ids_f", "len_f", "scales"]
    inputs = [
        helper.make_tensor_value_info("input", TensorProto.INT64, [1, "N"]),
        helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
        helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
    ]
    if with_sid:
        inputs.append(helper.make_tensor_value_info("sid", TensorProto.INT64, [1]))
        nodes.append(helper.make_node("Cast", ["sid"], ["sid_f"], to=TensorProto.FLOAT))
        parts.append("sid_f")
    nodes += [
        helper.make_node("Concat", parts, ["joined"], axis=0),
        helper.make_node("Div", ["joined", "scale"], ["scaled"]),
        helper.make_node("Reshape", ["scaled", "out_shape"], ["output"]),
    ]
    graph = helper.make_graph(nodes, name, inputs,
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, 1, "T"])],
                              initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    save(echo_model("single", False, SCALE), os.path.join(out, "single.onnx"))
    save(echo_model("multi", True, SCALE), os.path.join(out, "multi.onnx"))
    save(echo_model("quiet", False, SCALE / 4), os.path.join(out, "quiet.onnx"))


if __name__ == "__main__":
    main()
