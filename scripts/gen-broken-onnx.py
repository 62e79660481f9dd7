#!/usr/bin/python3
"""Writes test/Import/ONNX/broken/*.onnx: malformed, truncated and
inconsistent ONNX files for the importer's error tests.

    /usr/bin/python3 scripts/gen-broken-onnx.py
"""

import os

import onnx
from onnx import TensorProto, helper

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "Import", "ONNX",
                   "broken")


def model(nodes, inputs, outputs, initializers=(), opset=13):
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(initializers))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    return m


def tensor_info(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def raw_tensor(name, data_type, dims, **fields):
    """A TensorProto built field by field, so that it may be inconsistent."""
    tensor = TensorProto()
    tensor.name = name
    tensor.data_type = data_type
    tensor.dims.extend(dims)
    for key, values in fields.items():
        getattr(tensor, key).extend(values)
    return tensor


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.SerializeToString())


def main():
    os.makedirs(OUT, exist_ok=True)
    relu = model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                 [tensor_info("x", [1, 4])], [tensor_info("y", [1, 4])])
    write("garbage.onnx", bytes(range(7, 250, 3)))
    write("truncated.onnx", relu.SerializeToString()[:40])
    write("empty.onnx", b"")
    write("old-opset.onnx", model(
        [helper.make_node("Relu", ["x"], ["y"], name="relu")],
        [tensor_info("x", [1, 4])], [tensor_info("y", [1, 4])], opset=7))

    huge = raw_tensor("w", TensorProto.FLOAT, [1 << 40, 1 << 40])
    write("huge-dims.onnx", model(
        [helper.make_node("Identity", ["w"], ["y"], name="identity")],
        [], [tensor_info("y", [1 << 40, 1 << 40])], [huge]))

    short = raw_tensor("w", TensorProto.FLOAT, [4], float_data=[1.0, 2.0, 3.0])
    write("short-data.onnx", model(
        [helper.make_node("Add", ["x", "w"], ["y"], name="add")],
        [tensor_info("x", [1, 4])], [tensor_info("y", [1, 4])], [short]))

    write("undefined-input.onnx", model(
        [helper.make_node("Add", ["x", "missing"], ["y"], name="add")],
        [tensor_info("x", [1, 4])], [tensor_info("y", [1, 4])]))

    write("shape-mismatch.onnx", model(
        [helper.make_node("Add", ["a", "b"], ["y"], name="add")],
        [tensor_info("a", [2, 3]), tensor_info("b", [4, 5])],
        [tensor_info("y", [2, 3])]))

    write("symbolic-dim.onnx", model(
        [helper.make_node("Relu", ["x"], ["y"], name="relu")],
        [tensor_info("x", ["batch", "features"])],
        [tensor_info("y", ["batch", "features"])]))

    external = raw_tensor("w", TensorProto.FLOAT, [4])
    external.data_location = TensorProto.EXTERNAL
    entry = external.external_data.add()
    entry.key, entry.value = "location", "weights.bin"
    write("external-data.onnx", model(
        [helper.make_node("Add", ["x", "w"], ["y"], name="add")],
        [tensor_info("x", [1, 4])], [tensor_info("y", [1, 4])], [external]))

    write("unsupported-op.onnx", model(
        [helper.make_node("Erf", ["x"], ["y"], name="erf_node")],
        [tensor_info("x", [1, 4])], [tensor_info("y", [1, 4])]))

    perm = helper.make_node("Transpose", ["x"], ["y"], name="transpose",
                            perm=[0, 5])
    write("bad-perm.onnx", model([perm], [tensor_info("x", [2, 3])],
                                 [tensor_info("y", [3, 2])]))

    index = helper.make_tensor("i", TensorProto.INT64, [], [10])
    data = helper.make_tensor("d", TensorProto.INT64, [3], [1, 2, 3])
    gather = helper.make_node("Gather", ["d", "i"], ["g"], name="gather")
    cast = helper.make_node("Cast", ["g"], ["y"], name="cast",
                            to=TensorProto.FLOAT)
    write("gather-out-of-range.onnx", model(
        [gather, cast], [], [tensor_info("y", [])], [index, data]))


if __name__ == "__main__":
    main()
