#!/usr/bin/python3
"""Writes test/Import/TFLite/Inputs/*.tflite, two small valid models (an ADD
of an input and a constant then RELU; a float16-weight model), and
test/Import/TFLite/broken/*.tflite, malformed, truncated and inconsistent
variants of the first, for the importer's tests. The files are built
field by field with the flatbuffers Builder from the published TFLite
schema's field ids (see lib/Import/TFLite/ImportTFLite.cpp).

    /usr/bin/python3 scripts/gen-broken-tflite.py
"""

import os
import struct

import flatbuffers

TESTS = os.path.join(os.path.dirname(__file__), "..", "test", "Import",
                     "TFLite")
OUT = os.path.join(TESTS, "broken")
VALID = os.path.join(TESTS, "Inputs")

FLOAT32, FLOAT16, INT8 = 0, 1, 9
ADD, DEQUANTIZE, RELU, SQUARE = 0, 6, 19, 92


def int_vector(b, values):
    b.StartVector(4, len(values), 4)
    for v in reversed(values):
        b.PrependInt32(v)
    return b.EndVector()


def byte_vector(b, data):
    b.StartVector(1, len(data), 16)
    for v in reversed(data):
        b.PrependUint8(v)
    return b.EndVector()


def float_vector(b, values):
    b.StartVector(4, len(values), 4)
    for v in reversed(values):
        b.PrependFloat32(v)
    return b.EndVector()


def offsets(b, items):
    b.StartVector(4, len(items), 4)
    for item in reversed(items):
        b.PrependUOffsetTRelative(item)
    return b.EndVector()


def build(version=3, second_input=1, constant_bytes=None, shape=(1, 4),
          opcode_index=1, second_code=RELU, scale=None, constant_buffer=1):
    b = flatbuffers.Builder(1024)
    data = constant_bytes if constant_bytes is not None else \
        struct.pack("<4f", 1.0, -2.0, 3.0, -4.0)
    data_vec = byte_vector(b, data)
    b.StartObject(1)
    empty_buffer = b.EndObject()
    b.StartObject(3)
    b.PrependUOffsetTRelativeSlot(0, data_vec, 0)
    constant = b.EndObject()
    buffers = offsets(b, [empty_buffer, constant])

    names = [b.CreateString(n) for n in ("input", "weights", "sum", "output")]
    quant = None
    if scale is not None:
        scales = float_vector(b, [scale])
        b.StartObject(7)
        b.PrependUOffsetTRelativeSlot(2, scales, 0)
        quant = b.EndObject()
    tensors = []
    for index, name in enumerate(names):
        shape_vec = int_vector(b, list(shape))
        b.StartObject(8)
        b.PrependUOffsetTRelativeSlot(0, shape_vec, 0)
        b.PrependInt8Slot(1, INT8 if quant is not None and index == 1
                          else FLOAT32, 0)
        b.PrependUint32Slot(2, constant_buffer if index == 1 else 0, 0)
        b.PrependUOffsetTRelativeSlot(3, name, 0)
        if quant is not None and index == 1:
            b.PrependUOffsetTRelativeSlot(4, quant, 0)
        tensors.append(b.EndObject())
    tensor_vec = offsets(b, tensors)

    ops = []
    for code_index, inputs, outputs in ((0, [0, second_input], [2]),
                                        (opcode_index, [2], [3])):
        in_vec, out_vec = int_vector(b, inputs), int_vector(b, outputs)
        b.StartObject(5)
        b.PrependUint32Slot(0, code_index, 0)
        b.PrependUOffsetTRelativeSlot(1, in_vec, 0)
        b.PrependUOffsetTRelativeSlot(2, out_vec, 0)
        ops.append(b.EndObject())
    op_vec = offsets(b, ops)
    graph_inputs, graph_outputs = int_vector(b, [0]), int_vector(b, [3])
    b.StartObject(5)
    b.PrependUOffsetTRelativeSlot(0, tensor_vec, 0)
    b.PrependUOffsetTRelativeSlot(1, graph_inputs, 0)
    b.PrependUOffsetTRelativeSlot(2, graph_outputs, 0)
    b.PrependUOffsetTRelativeSlot(3, op_vec, 0)
    subgraph = b.EndObject()
    subgraphs = offsets(b, [subgraph])

    codes = []
    for code in (ADD, second_code):
        b.StartObject(4)
        b.PrependInt8Slot(0, min(code, 127), 0)
        b.PrependInt32Slot(2, 1, 1)
        b.PrependInt32Slot(3, code, 0)
        codes.append(b.EndObject())
    code_vec = offsets(b, codes)

    b.StartObject(5)
    b.PrependUint32Slot(0, version, 0)
    b.PrependUOffsetTRelativeSlot(1, code_vec, 0)
    b.PrependUOffsetTRelativeSlot(2, subgraphs, 0)
    b.PrependUOffsetTRelativeSlot(4, buffers, 0)
    model = b.EndObject()
    b.Finish(model, file_identifier=b"TFL3")
    return bytes(b.Output())


def build_float16_weights():
    """A float16-weight model: a FLOAT16 constant, DEQUANTIZE to float32,
    ADD to the input."""
    b = flatbuffers.Builder(1024)
    halves = struct.pack("<4e", 0.5, -1.25, 2.0, 1024.0)
    data_vec = byte_vector(b, halves)
    b.StartObject(1)
    empty_buffer = b.EndObject()
    b.StartObject(3)
    b.PrependUOffsetTRelativeSlot(0, data_vec, 0)
    constant = b.EndObject()
    buffers = offsets(b, [empty_buffer, constant])
    specs = [("input", FLOAT32, 0), ("weights_f16", FLOAT16, 1),
             ("weights", FLOAT32, 0), ("output", FLOAT32, 0)]
    tensors = []
    for name, dtype, buffer in specs:
        name_off = b.CreateString(name)
        shape_vec = int_vector(b, [1, 4])
        b.StartObject(8)
        b.PrependUOffsetTRelativeSlot(0, shape_vec, 0)
        b.PrependInt8Slot(1, dtype, 0)
        b.PrependUint32Slot(2, buffer, 0)
        b.PrependUOffsetTRelativeSlot(3, name_off, 0)
        tensors.append(b.EndObject())
    tensor_vec = offsets(b, tensors)
    ops = []
    for code_index, inputs, outputs in ((0, [1], [2]), (1, [0, 2], [3])):
        in_vec, out_vec = int_vector(b, inputs), int_vector(b, outputs)
        b.StartObject(5)
        b.PrependUint32Slot(0, code_index, 0)
        b.PrependUOffsetTRelativeSlot(1, in_vec, 0)
        b.PrependUOffsetTRelativeSlot(2, out_vec, 0)
        ops.append(b.EndObject())
    op_vec = offsets(b, ops)
    graph_inputs, graph_outputs = int_vector(b, [0]), int_vector(b, [3])
    b.StartObject(5)
    b.PrependUOffsetTRelativeSlot(0, tensor_vec, 0)
    b.PrependUOffsetTRelativeSlot(1, graph_inputs, 0)
    b.PrependUOffsetTRelativeSlot(2, graph_outputs, 0)
    b.PrependUOffsetTRelativeSlot(3, op_vec, 0)
    subgraph = b.EndObject()
    subgraphs = offsets(b, [subgraph])
    codes = []
    for code in (DEQUANTIZE, ADD):
        b.StartObject(4)
        b.PrependInt8Slot(0, code, 0)
        b.PrependInt32Slot(2, 1, 1)
        b.PrependInt32Slot(3, code, 0)
        codes.append(b.EndObject())
    code_vec = offsets(b, codes)
    b.StartObject(5)
    b.PrependUint32Slot(0, 3, 0)
    b.PrependUOffsetTRelativeSlot(1, code_vec, 0)
    b.PrependUOffsetTRelativeSlot(2, subgraphs, 0)
    b.PrependUOffsetTRelativeSlot(4, buffers, 0)
    model = b.EndObject()
    b.Finish(model, file_identifier=b"TFL3")
    return bytes(b.Output())


def write(name, data, folder=OUT):
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(VALID, exist_ok=True)
    valid = build()
    write("add-relu.tflite", valid, VALID)
    write("float16-weights.tflite", build_float16_weights(), VALID)
    write("truncated.tflite", valid[: len(valid) // 2])
    write("no-identifier.tflite", valid[:4] + b"XXXX" + valid[8:])
    write("garbage.tflite", b"\x10\x00\x00\x00TFL3" + bytes(range(200, 255)))
    write("schema-version-2.tflite", build(version=2))
    write("tensor-index-out-of-range.tflite", build(second_input=9))
    write("opcode-index-out-of-range.tflite", build(opcode_index=5))
    write("huge-shape.tflite", build(shape=(1 << 30, 1 << 30)))
    write("short-buffer.tflite", build(constant_bytes=b"\x00\x00\x80"))
    write("read-before-write.tflite", build(constant_buffer=0))
    write("bad-scale.tflite", build(scale=-1.0, constant_bytes=b"\x01\x02\x03\x04"))
    write("unsupported-op.tflite", build(second_code=SQUARE))


if __name__ == "__main__":
    main()
