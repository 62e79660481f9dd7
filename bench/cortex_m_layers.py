#!/usr/bin/python3
"""Cortex-M per-layer benchmark: the MLPerf Tiny layers of issue 7's table,
each compiled alone (a float TOSA function with seeded random weights,
calibrated on seeded random post-ReLU inputs), counted per inference by
tools/qemu-insn-count on the M4, M7 and M55 boards, next to CMSIS-NN 7.0's
published counts for the same layers. Also each layer with SPARQ
activations (5opt, nearest_even, pairs), whose extra instructions per MAC
are what tinyq-assign-precision's cost model charges for SPARQ.

Usage: bench/cortex_m_layers.py [--out docs/results/cortex-m-layers.md]
       [--cores cortex-m4,...] [--layers conv,pointwise,...]
Run after scripts/build.sh; about five minutes. Not part of the test suite.
"""

import argparse
import datetime
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cortex_m import BUILD, measure  # noqa: E402
import mnist_raw  # noqa: E402

CORES = ["cortex-m4", "cortex-m7", "cortex-m55"]

# name: (description, kind, input NHWC or [1, K], weight shape, MACs,
#        CMSIS-NN 7.0 instructions {int8: (M4, M7, M55), int4: (...)})
# The counts are issue 7's table (CMSIS-NN built with clang -O3, counted
# between markers in the same QEMU boards).
LAYERS = {
    "conv": ("conv 3x3 16->16 @32x32 (ResNet-8)", "conv2d", [1, 32, 32, 16], [16, 3, 3, 16],
             2359296, {8: (6077042, 5512854, 896855), 4: (9108048, 9003405, 1064602)}),
    "pointwise": ("pointwise 1x1 64->64 @25x5 (DS-CNN)", "conv2d", [1, 25, 5, 64],
                  [64, 1, 1, 64], 512000,
                  {8: (1303135, 1339997, 200782), 4: (1887214, 1978842, 299109)}),
    "depthwise": ("depthwise 3x3 64ch @25x5 (DS-CNN)", "depthwise_conv2d", [1, 25, 5, 64],
                  [3, 3, 64, 1], 72000,
                  {8: (661743, 675444, 162547), 4: (1075649, 992399, 201083)}),
    "fc": ("fully connected 640->128 (anomaly detection), per-tensor", "matmul", [1, 640],
           [1, 640, 128], 81920, {8: (180106, 169800, 14370), 4: (333762, 333339, 27499)}),
}


def dense(values):
    """An MLIR dense attribute holding float32 \\p values as hex."""
    data = np.ascontiguousarray(values, dtype="<f4").tobytes().hex().upper()
    return 'dense<"0x%s">' % data


def tensor(shape):
    return "tensor<%sxf32>" % "x".join(str(d) for d in shape)


def layer_mlir(kind, input_shape, weight_shape, rng):
    """A float TOSA function: the layer, its bias and a ReLU."""
    lines = []
    zero = '"tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>'
    if kind == "matmul":
        k, n = weight_shape[1], weight_shape[2]
        weights = rng.normal(0, 1 / np.sqrt(k), weight_shape)
        out = [1, n]
        lines += [
            '%%w = "tosa.const"() <{values = %s : %s}> : () -> %s' % (
                dense(weights), tensor(weight_shape), tensor(weight_shape)),
            '%%b = "tosa.const"() <{values = %s : %s}> : () -> %s' % (
                dense(rng.normal(0, 0.1, [1, n])), tensor([1, n]), tensor([1, n])),
            "%zp = " + zero,
            "%%s3 = tosa.const_shape {values = dense<[1, 1, %d]> : tensor<3xindex>} : "
            "() -> !tosa.shape<3>" % k,
            "%%s2 = tosa.const_shape {values = dense<[1, %d]> : tensor<2xindex>} : "
            "() -> !tosa.shape<2>" % n,
            "%%x3 = tosa.reshape %%x, %%s3 : (%s, !tosa.shape<3>) -> %s" % (
                tensor(input_shape), tensor([1, 1, k])),
            "%%m = tosa.matmul %%x3, %%w, %%zp, %%zp : (%s, %s, tensor<1xf32>, tensor<1xf32>) "
            "-> %s" % (tensor([1, 1, k]), tensor(weight_shape), tensor([1, 1, n])),
            "%%m2 = tosa.reshape %%m, %%s2 : (%s, !tosa.shape<2>) -> %s" % (
                tensor([1, 1, n]), tensor(out)),
            "%%y = tosa.add %%m2, %%b : (%s, %s) -> %s" % (tensor(out), tensor(out),
                                                          tensor(out)),
        ]
    else:
        if kind == "conv2d":
            channels, kh, kw, cin = weight_shape
            fan_in = kh * kw * cin
        else:
            kh, kw, channels, _ = weight_shape
            fan_in = kh * kw
        pad = kh // 2
        out = [1, input_shape[1], input_shape[2], channels]
        weights = rng.normal(0, 1 / np.sqrt(fan_in), weight_shape)
        lines += [
            '%%w = "tosa.const"() <{values = %s : %s}> : () -> %s' % (
                dense(weights), tensor(weight_shape), tensor(weight_shape)),
            '%%b = "tosa.const"() <{values = %s : %s}> : () -> %s' % (
                dense(rng.normal(0, 0.1, [channels])), tensor([channels]),
                tensor([channels])),
            "%zp = " + zero,
            "%%y = tosa.%s %%x, %%w, %%b, %%zp, %%zp {acc_type = f32, dilation = "
            "array<i64: 1, 1>, pad = array<i64: %d, %d, %d, %d>, stride = array<i64: 1, 1>} : "
            "(%s, %s, %s, tensor<1xf32>, tensor<1xf32>) -> %s" % (
                kind, pad, pad, pad, pad, tensor(input_shape), tensor(weight_shape),
                tensor([channels]), tensor(out)),
        ]
    lines.append("%%r = tosa.clamp %%y {max_val = 0x7F800000 : f32, min_val = 0.0 : f32} : "
                 "(%s) -> %s" % (tensor(out), tensor(out)))
    lines.append("return %%r : %s" % tensor(out))
    return ("func.func @main(%%x: %s) -> %s {\n  %s\n}\n" % (
        tensor(input_shape), tensor(out), "\n  ".join(lines)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "results",
                                                      "cortex-m-layers.md"))
    parser.add_argument("--cores", default=",".join(CORES))
    parser.add_argument("--layers", default=",".join(LAYERS))
    args = parser.parse_args()
    cores = args.cores.split(",")
    work = os.path.join(BUILD, "bench-cortex-m-layers")
    os.makedirs(work, exist_ok=True)

    rows = []
    for name in args.layers.split(","):
        title, kind, input_shape, weight_shape, macs, cmsis = LAYERS[name]
        rng = np.random.default_rng(7)
        model = os.path.join(work, name + ".mlir")
        with open(model, "w") as f:
            f.write(layer_mlir(kind, input_shape, weight_shape, rng))
        # Post-ReLU inputs: a range starting at 0, zero point -128, and
        # about a quarter exact zeros as a ReLU leaves them.
        samples = rng.uniform(-1, 3, [64] + input_shape).clip(0).astype(np.float32)
        calibration = os.path.join(work, name + "-calibration.npy")
        np.save(calibration, samples)
        flags = ["--calibration", calibration]
        if kind == "matmul":
            flags.append("--per-tensor")

        def inputs(header):
            return mnist_raw.quantize_input(samples[:3].reshape(3, -1), header)

        variants = [("int8", flags, 8), ("int4", flags + ["--weights", "i4"], 4),
                    ("int8 + SPARQ", flags + ["--activations",
                                              "sparq:4,5opt,nearest_even,pairs"], None)]
        for variant, variant_flags, bits in variants:
            for core in cores:
                print("bench: %s %s on %s" % (name, variant, core), file=sys.stderr)
                tag = "%s-%s" % (name, variant.replace(" + ", "-").lower())
                instructions, cycles, flash, arena, _ = measure(tag, model, variant_flags,
                                                                inputs, core, work)
                reference = None
                if bits is not None:
                    reference = cmsis[bits][CORES.index(core)] if core in CORES else None
                rows.append((title, variant, core, macs, instructions, cycles, flash, arena,
                             reference))

    with open(args.out, "w") as f:
        f.write("# Cortex-M: layers against CMSIS-NN\n\n")
        f.write("Generated by `bench/cortex_m_layers.py` on %s. Each layer of issue\n"
                % datetime.date.today().isoformat())
        f.write("7's table compiled alone by `tinyq-compile --target CORE` (seeded\n"
                "random weights, per-channel except the per-tensor fully connected\n"
                "layer; bias and ReLU fused; calibrated on seeded random post-ReLU\n"
                "inputs, so the activation zero point is -128), run in\n"
                "`qemu-system-arm` and counted per inference between the harness's\n"
                "markers by `tools/qemu-insn-count` (deterministic). CMSIS-NN: the\n"
                "7.0 counts of issue 7's table for the same shapes. Ratio: TinyQ /\n"
                "CMSIS-NN (the bar: at most 0.8 for int8, 0.6 for int4 weights, 0.5\n"
                "for depthwise). SPARQ rows: the int8 layer with SPARQ activations\n"
                "(`--activations sparq:4,5opt,nearest_even,pairs`); their extra\n"
                "instructions per MAC over the int8 row are the SPARQ cost\n"
                "`tinyq-assign-precision` charges. Estimated MAC / cycle: MACs over\n"
                "`tools/qemu-insn-count/estimate_cycles.py`'s cycles (llvm-mca over\n"
                "the executed blocks). Flash: `.text` + `.rodata`.\n\n")
        f.write("| layer | weights | core | MACs | TinyQ instructions | per MAC "
                "| CMSIS-NN | ratio | estimated MAC / cycle | flash bytes | arena bytes |\n"
                "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
        for (title, variant, core, macs, instructions, cycles, flash, arena,
             reference) in rows:
            f.write("| %s | %s | %s | %d | %d | %.2f | %s | %s | %.2f | %d | %d |\n" % (
                title, variant, core, macs, instructions, instructions / macs,
                "%d" % reference if reference else "",
                "%.2f" % (instructions / reference) if reference else "",
                macs / max(cycles, 1), flash, arena))
    print("bench: wrote %s" % args.out, file=sys.stderr)


if __name__ == "__main__":
    main()
