#!/usr/bin/python3
"""Checks TinyQ's pre-quantized ONNX operators against ONNX Runtime (npm
onnxruntime-node) on random data: QLinearConv (uint8, per-tensor; int8
activations with per-channel int8 weights), QLinearMatMul, and a
QuantizeLinear -> DequantizeLinear chain. Prints, per model, how many output
elements differ and by how much (in units of the last place of the
quantized output).

    /usr/bin/python3 scripts/qdq-peer-check.py --tinyq-run build/bin/tinyq-run \
        [--ort-dir build/ort] [--seeds 20]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

NP_TO_ONNX = {np.uint8: TensorProto.UINT8, np.int8: TensorProto.INT8,
              np.float32: TensorProto.FLOAT, np.int32: TensorProto.INT32}


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def qlinear_conv(rng, signed):
    dt = np.int8 if signed else np.uint8
    lo, hi = (-128, 127) if signed else (0, 255)
    x = rng.integers(lo, hi + 1, (1, 3, 9, 9), dtype=np.int64).astype(dt)
    # ONNX Runtime's uint8 x int8 convolution on x86 CPUs without VNNI
    # (MLAS's AVX2 kernel) adds pairs of products in saturating int16:
    # 2 * 255 * 127 overflows, and its results then differ from exact
    # arithmetic (seen: 378 of 500 elements, off by up to 60, on an AMD
    # EPYC with AVX2 only). |w| <= 63 keeps every pair below 2^15.
    limit = 127 if signed else 63
    w = rng.integers(-limit, limit + 1, (4, 3, 3, 3)).astype(np.int8)
    w_scale = (rng.uniform(0.002, 0.02, 4) if signed
               else np.array(rng.uniform(0.002, 0.02))).astype(np.float32)
    w_zp = np.zeros(w_scale.shape, np.int8)
    x_scale, y_scale = np.float32(rng.uniform(0.01, 0.1)), np.float32(rng.uniform(0.05, 0.3))
    x_zp = dt(rng.integers(lo, hi + 1))
    y_zp = dt(rng.integers(lo, hi + 1))
    bias = rng.integers(-2000, 2000, 4).astype(np.int32)
    inits = [const("xs", x_scale), const("xz", np.array(x_zp, dt)), const("w", w),
             const("ws", w_scale), const("wz", w_zp), const("ys", y_scale),
             const("yz", np.array(y_zp, dt)), const("b", bias)]
    node = helper.make_node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz",
                                            "ys", "yz", "b"], ["y"],
                            pads=[1, 1, 1, 1], strides=[2, 2])
    out_shape = [1, 4, 5, 5]
    return node, inits, {"x": x}, ("y", NP_TO_ONNX[dt], out_shape)


def qlinear_matmul(rng, _):
    a = rng.integers(0, 256, (3, 16)).astype(np.uint8)
    b = rng.integers(0, 256, (16, 5)).astype(np.uint8)
    inits = [const("as", np.float32(rng.uniform(0.01, 0.05))),
             const("az", np.array(rng.integers(0, 256), np.uint8)),
             const("b", b), const("bs", np.float32(rng.uniform(0.01, 0.05))),
             const("bz", np.array(rng.integers(0, 256), np.uint8)),
             const("ys", np.float32(rng.uniform(0.5, 2.0))),
             const("yz", np.array(rng.integers(0, 256), np.uint8))]
    node = helper.make_node("QLinearMatMul", ["a", "as", "az", "b", "bs", "bz",
                                              "ys", "yz"], ["y"])
    return node, inits, {"a": a}, ("y", TensorProto.UINT8, [3, 5])


def quantize_dequantize(rng, _):
    x = rng.normal(0, 3, (2, 50)).astype(np.float32)
    # Values on exact ties of the grid exercise the rounding rule.
    x[0, :10] = (np.arange(10) - 4.5).astype(np.float32) * np.float32(0.25)
    inits = [const("s", np.float32(0.25)), const("z", np.array(3, np.int8))]
    q = helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"])
    d = helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"])
    return [q, d], inits, {"x": x}, ("y", TensorProto.FLOAT, [2, 50])


CASES = [("QLinearConv uint8", qlinear_conv, False),
         ("QLinearConv int8, per-channel weights", qlinear_conv, True),
         ("QLinearMatMul uint8", qlinear_matmul, None),
         ("QuantizeLinear -> DequantizeLinear", quantize_dequantize, None)]


def build(nodes, inits, inputs, output):
    nodes = nodes if isinstance(nodes, list) else [nodes]
    graph = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info(n, NP_TO_ONNX[a.dtype.type], list(a.shape))
         for n, a in inputs.items()],
        [helper.make_tensor_value_info(output[0], output[1], output[2])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tinyq-run", required=True)
    parser.add_argument("--ort-dir", default="build/ort")
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    runner = os.path.join(args.ort_dir, "ort-run.mjs")
    shutil.copy(os.path.join(os.path.dirname(__file__), "ort-run.mjs"), runner)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for label, make, option in CASES:
            total = differing = 0
            worst = 0.0
            for seed in range(args.seeds):
                rng = np.random.default_rng(seed)
                nodes, inits, inputs, output = make(rng, option)
                model_path = os.path.join(tmp, "m.onnx")
                onnx.save(build(nodes, inits, inputs, output), model_path)
                specs, cmd = [], [args.tinyq_run, model_path, "--unbatched",
                                  "--output", os.path.join(tmp, "t.npy")]
                for name, array in inputs.items():
                    raw = os.path.join(tmp, name + ".bin")
                    array.tofile(raw)
                    np.save(os.path.join(tmp, name + ".npy"), array)
                    specs.append(f"{name}:{array.dtype.name}:"
                                 + "x".join(map(str, array.shape)) + f":{raw}")
                    cmd += ["--input", os.path.join(tmp, name + ".npy")]
                info = json.loads(subprocess.run(
                    ["node", runner, model_path, os.path.join(tmp, "o")] + specs,
                    check=True, capture_output=True, text=True).stdout.splitlines()[0])
                ref = np.fromfile(os.path.join(tmp, "o0.bin"), dtype=info["dtype"])
                subprocess.run(cmd, check=True, capture_output=True)
                ours = np.load(os.path.join(tmp, "t.npy")).ravel()
                diff = np.abs(ours.astype(np.float64) - ref.astype(np.float64))
                total += diff.size
                differing += int((diff != 0).sum())
                worst = max(worst, float(diff.max()))
            print(f"{label}: {total - differing}/{total} elements identical to "
                  f"ONNX Runtime over {args.seeds} seeds, max |diff| {worst:g}")
            failures += differing != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
