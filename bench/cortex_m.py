#!/usr/bin/python3
"""Cortex-M whole-model benchmark: instructions per inference counted by
tools/qemu-insn-count in QEMU's MPS2/MPS3 boards (deterministic), per MAC,
estimated cycles (llvm-mca over the executed blocks), code + constant
bytes and arena bytes, for the MNIST models (W8A8, W4A8)
and the MLPerf Tiny KWS int8 model, on the Cortex-M4, M7 and M55.

Usage: bench/cortex_m.py [--out docs/results/cortex-m.md]
Run after scripts/build.sh (it uses build/bin and build/lib); about two
minutes. Not part of the test suite.
"""

import argparse
import datetime
import os
import re
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "integration_test"))
import mnist_raw  # noqa: E402
from cortex_m_harness import link_model  # noqa: E402
from integer_layers import read_layers  # noqa: E402

# The cores the benchmark reports, as issue 7 asks.
CORES = ["cortex-m4", "cortex-m7", "cortex-m55"]

BUILD = os.path.join(ROOT, os.environ.get("BUILD_DIR", "build"))
RUNTIME = os.path.join(ROOT, "runtime", "cortex-m")
PLUGIN = os.path.join(BUILD, "lib", "libtinyq-insn-count.so")
ESTIMATE = os.path.join(ROOT, "tools", "qemu-insn-count", "estimate_cycles.py")
SCALE = "0.00392156862745098"
# The MNIST files scripts/fetch-data.sh puts in the build directory.
MNIST = os.path.join(BUILD, "data", "mnist")
TRAIN_IMAGES = os.path.join(MNIST, "train-images-idx3-ubyte")
TEST_IMAGES = os.path.join(MNIST, "t10k-images-idx3-ubyte")
TEST_LABELS = os.path.join(MNIST, "t10k-labels-idx1-ubyte")


def kws_model():
    """The MLPerf Tiny KWS int8 model ($TINYQ_KWS_MODELS, else ../shared
    beside the checkout), or None when it is absent."""
    folder = os.environ.get("TINYQ_KWS_MODELS", os.path.join(
        os.path.dirname(ROOT), "shared", "models", "mlperf_tiny_kws"))
    path = os.path.join(folder, "kws_ref_model.tflite")
    return path if os.path.exists(path) else None


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs).stdout


def count_macs(integer_mlir):
    """MACs of the integer layers, from their operand and result types."""
    return sum(layer.macs for layer in read_layers(integer_mlir))


def measure(name, model, flags, inputs, core, work, per_inference=None):
    """Instructions and estimated cycles per inference, flash, arena and
    its lower bound of \p model compiled with \p flags for \p core. Every
    inference must count the same, unless \p per_inference is a list: it
    gets each inference's count, and the mean is returned (kernels that
    skip zero activations run data-dependent loops)."""
    prefix = os.path.join(work, "%s-%s" % (name, core))
    run([os.path.join(BUILD, "bin", "tinyq-compile"), model] + flags +
        ["--target", core, "--name", "model", "-o", prefix + ".o", "--header", prefix + ".h"])
    inputs(prefix + ".h").tofile(prefix + ".in")
    board = link_model(core, RUNTIME, prefix, markers=True)
    report = run([sys.executable, os.path.join(ROOT, "integration_test", "count_instructions.py"),
                  PLUGIN, board, prefix + ".elf", prefix + ".counts", prefix + ".blocks"])
    counts = [int(c) for c in re.findall(r"window \d+: (\d+) instructions", report)]
    if per_inference is None and len(set(counts)) != 1:
        sys.exit("%s on %s: inferences differ in instructions: %s" % (name, core, counts))
    if per_inference is not None:
        per_inference.extend(counts)
    estimate = run([sys.executable, ESTIMATE, prefix + ".elf", prefix + ".blocks", core,
                    str(len(re.findall(r"window \d+:", report)))])
    cycles = int(re.search(r"estimated cycles per window: (\d+)", estimate).group(1))
    sizes = run(["arm-none-eabi-size", "-A", prefix + ".o"])
    flash = sum(int(m.group(1)) for m in re.finditer(r"^\.(?:text|rodata)\S*\s+(\d+)", sizes,
                                                     re.M))
    header = open(prefix + ".h").read()
    arena = int(re.search(r"_ARENA_SIZE (\d+)", header).group(1))
    bound = int(re.search(r"_ARENA_LOWER_BOUND (\d+)", header).group(1))
    return round(sum(counts) / len(counts)), cycles, flash, arena, bound


def mnist_inputs(images, count=3):
    """The first \p count test images of \p images, quantized as a model's
    header says: a function of the header's path."""
    def inputs(header):
        pixels = (mnist_raw.read_idx(images)[:count] * float(SCALE)).astype(np.float32)
        return mnist_raw.quantize_input(pixels, header)
    return inputs


def random_inputs(header, count=3):
    """\p count seeded random int8 inputs of the size the header gives."""
    size = int(re.search(r"_INPUT_SIZE (\d+)", open(header).read()).group(1))
    return np.random.default_rng(11).integers(-128, 128, (count, size), dtype=np.int8)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "results", "cortex-m.md"))
    args = parser.parse_args()
    work = os.path.join(BUILD, "bench-cortex-m")
    os.makedirs(work, exist_ok=True)
    train, images = TRAIN_IMAGES, TEST_IMAGES

    kws = kws_model()
    models = [
        ("mnist_mlp W8A8", os.path.join(ROOT, "models/onnx/mnist_mlp.onnx"),
         ["--calibration", train, "--input-scale", SCALE], mnist_inputs(images)),
        ("mnist_cnn W8A8", os.path.join(ROOT, "models/onnx/mnist_cnn.onnx"),
         ["--calibration", train, "--input-scale", SCALE], mnist_inputs(images)),
        ("mnist_cnn W4A8", os.path.join(ROOT, "models/onnx/mnist_cnn.onnx"),
         ["--calibration", train, "--input-scale", SCALE, "--weights", "i4"], mnist_inputs(images)),
        ("mnist_cnn W8 + SPARQ (5opt, nearest_even, pairs)",
         os.path.join(ROOT, "models/onnx/mnist_cnn.onnx"),
         ["--calibration", train, "--input-scale", SCALE, "--activations",
          "sparq:4,5opt,nearest_even,pairs"], mnist_inputs(images)),
    ]
    if kws:
        models.append(("MLPerf Tiny KWS int8", kws, [],
                       random_inputs))
    rows = []
    for name, model, flags, inputs in models:
        integer = os.path.join(work, "integer.mlir")
        run([os.path.join(BUILD, "bin", "tinyq-compile"), model] + flags +
            ["--emit=mlir", "-o", integer])
        macs = count_macs(integer)
        for core in CORES:
            print("bench: %s on %s" % (name, core), file=sys.stderr)
            tag = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            instructions, cycles, flash, arena, bound = measure(tag, model, flags, inputs,
                                                                core, work)
            rows.append((name, core, macs, instructions, cycles, flash, arena, bound))

    with open(args.out, "w") as f:
        f.write("# Cortex-M: whole models\n\n")
        f.write("Generated by `bench/cortex_m.py` on %s. Instructions executed per\n"
                % datetime.date.today().isoformat())
        f.write("inference between the harness's markers, counted by\n"
                "`tools/qemu-insn-count` in `qemu-system-arm` (deterministic: every\n"
                "inference of a run counts the same; the bench checks it), on\n"
                "`mps2-an386` (M4), `mps2-an500` (M7) and `mps3-an547` (M55).\n"
                "Estimated cycles: `tools/qemu-insn-count/estimate_cycles.py`, each\n"
                "executed block (the plugin's profile) at its llvm-mca steady-state\n"
                "cycles for the core's scheduling model, times its executions. Fully\n"
                "connected layers, convolutions whose kernel rows are whole words and\n"
                "depthwise convolutions of 4k channels run TinyQ's Arm kernels\n"
                "(`tinyq-lower-cortex-m`: DSP on the M4 and M7, Helium where it\n"
                "applies on the M55); the other layers the portable lowering\n"
                "compiled by LLVM for the core. Flash: `.text` +\n"
                "`.rodata` of the model's object (weights included). Arena:\n"
                "`NAME_ARENA_SIZE`, planned by liveness, and its lower bound (the\n"
                "most bytes in use at once).\n\n")
        f.write("| model | core | MACs | instructions | instructions / MAC "
                "| estimated cycles | MAC / cycle | flash bytes "
                "| arena bytes | arena lower bound |\n"
                "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
        for name, core, macs, instructions, cycles, flash, arena, bound in rows:
            f.write("| %s | %s | %d | %d | %.2f | %d | %.2f | %d | %d | %d |\n" % (
                name, core, macs, instructions, instructions / max(macs, 1), cycles,
                macs / max(cycles, 1), flash, arena, bound))
        f.write("\nFor scale, from issue 7: CMSIS-NN 7.0 executes about 2.2 to 2.6\n"
                "instructions per MAC on the M4 for int8 convolutions and fully\n"
                "connected layers, and the best MLPerf Tiny KWS results are about\n"
                "5.2 M cycles per inference on an M4 and 3.2 M on an M7 (measured\n"
                "on silicon, where the estimate is llvm-mca's model).\n")
    print("bench: wrote %s" % args.out, file=sys.stderr)


if __name__ == "__main__":
    main()
