#!/usr/bin/python3
"""Tiny ONNX models for tests/unit/onnx (run with Debian's /usr/bin/python3 + python3-onnx).

Usage: onnx_test_models.py OUTDIR
  basic.onnx  inputs  x f32 [1,T], k int64 scalar
              outputs y = x + k (f32 [1,T]), total = sum(x) (f32 [1])
              metadata answer=42, bad_int=4x, name=basic
"""
import os
import sys

import onnx
from onnx import TensorProto, helper


def save(model, path):
    onnx.checker.check_model(model)
    tmp = f"{path}.{os.getpid()}.tmp"  # tests may run in parallel: write, then rename atomically
    onnx.save(model, tmp)
    os.replace(tmp, path)


def basic():
    nodes = [
        helper.make_node("Cast", ["k"], ["kf"], to=TensorProto.FLOAT),
        helper.make_node("Add", ["x", "kf"], ["y"]),
        helper.make_node("ReduceSum", ["x"], ["total"], keepdims=0),
    ]
    graph = helper.make_graph(
        nodes, "basic",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, "T"]),
         helper.make_tensor_value_info("k", TensorProto.INT64, [])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, "T"]),
         helper.make_tensor_value_info("total", TensorProto.FLOAT, [])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    for k, v in {"answer": "42", "bad_int": "4x", "name": "basic"}.items():
        model.metadata_props.add(key=k, value=v)
    return model


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    save(basic(), os.path.join(out, "basic.onnx"))


if __name__ == "__main__":
    main()
