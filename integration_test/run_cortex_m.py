"""Compiled models on emulated Cortex-M boards against the host reference.

Usage: run_cortex_m.py TOOLS_DIR RUNTIME_DIR WORK_DIR MODEL TRAIN IMAGES
           LABELS COUNT TARGET[,TARGET...] -- QUANTIZATION_FLAGS...
       run_cortex_m.py TOOLS_DIR RUNTIME_DIR WORK_DIR MODEL --random - -
           COUNT TARGET[,TARGET...] -- [--codegen FLAGS...]

The reference: the integer model tinyq-compile emits with the flags,
evaluated by tinyq-run --reference on the first COUNT MNIST test images;
with --random (a pre-quantized model with an int8 signature, such as the
MLPerf Tiny KWS model), COUNT seeded random int8 inputs, and the int8
outputs are compared as they are. Flags after --codegen go to the target
compiles only (code generation choices that must not change the results).
For each target: tinyq-compile --target writes a Thumb object and its
header; arm-none-eabi-gcc links it with runtime/cortex-m (startup, linker
script of the board, roundevenf) and integration_test/Inputs/run-model.c, which
reads the images quantized with the header's parameters from a host file
and writes the int8 outputs to another, through semihosting (librdimon);
qemu-system-arm runs it; the outputs, dequantized with the header's
parameters, are compared bit for bit with the reference. The harness for
the Cortex-M55 is compiled with clang (Debian's GCC 12 miscompiles some
MVE code) and linked by GCC.
"""

import os
import re
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mnist_raw  # noqa: E402
from cortex_m_harness import link_model  # noqa: E402

separator = sys.argv.index("--")
(tools, runtime, work, model, train, images, labels, count,
 targets), flags = sys.argv[1:separator], sys.argv[separator + 1:]
codegen = []
if "--codegen" in flags:
    codegen = flags[flags.index("--codegen") + 1:]
    flags = flags[:flags.index("--codegen")]
count = int(count)
random = train == "--random"
os.makedirs(work, exist_ok=True)
quantize = [] if random else (
    ["--calibration", train, "--input-scale", "0.00392156862745098"] + flags)


def run(command, **kwargs):
    if "stdout" not in kwargs and "stderr" not in kwargs:
        kwargs["capture_output"] = True
        kwargs["text"] = True
    result = subprocess.run(command, **kwargs)
    if result.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(command), result.stderr or ""))


def input_shape(header):
    text = open(header).read()
    rank = int(re.search(r"#define \w+_INPUT_RANK (\d+)", text).group(1))
    return [int(re.search(r"#define \w+_INPUT_SHAPE_%d (\d+)" % i, text).group(1))
            for i in range(rank)]


reference = os.path.join(work, "reference.npy")
if random:
    header = os.path.join(work, "signature.h")
    run([os.path.join(tools, "tinyq-compile"), model, "-o", os.path.join(work, "host.o"),
         "--header", header])
    shape = input_shape(header)
    inputs = np.random.default_rng(11).integers(-128, 128, [count] + shape, dtype=np.int8)
    np.save(os.path.join(work, "inputs.npy"), inputs)
    run([os.path.join(tools, "tinyq-run"), model, "--reference", "--input",
         os.path.join(work, "inputs.npy"), "--output", reference])
else:
    integer = os.path.join(work, "integer.mlir")
    run([os.path.join(tools, "tinyq-compile"), model] + quantize +
        ["--emit=mlir", "-o", integer])
    run([os.path.join(tools, "tinyq-run"), integer, "--reference", "--data", images,
         "--labels", labels, "--input-scale", "0.00392156862745098", "--limit",
         str(count), "--output", reference])
expected = np.load(reference)

for target in targets.split(","):
    prefix = os.path.join(work, target)
    run([os.path.join(tools, "tinyq-compile"), model] + quantize + codegen +
        ["--target", target, "--name", "model", "-o", prefix + ".o",
         "--header", prefix + ".h"])
    if random:
        inputs.tofile(prefix + ".in")
    else:
        pixels = (mnist_raw.read_idx(images)[:count] *
                  0.00392156862745098).astype(np.float32)
        mnist_raw.quantize_input(pixels, prefix + ".h").tofile(prefix + ".in")
    board = link_model(target, runtime, prefix)
    result = subprocess.run(
        ["qemu-system-arm", "-M", board, "-nographic", "-monitor", "none", "-serial",
         "none", "-semihosting-config", "enable=on,target=native", "-kernel",
         prefix + ".elf"], timeout=600, capture_output=True, text=True)
    if result.returncode != 0:
        print("%s: the run failed (%d): %s" % (target, result.returncode, result.stderr.strip()))
        continue
    outputs = np.fromfile(prefix + ".out", np.int8)
    if random:
        actual = outputs.reshape(expected.shape) if outputs.size == expected.size else None
        same = int((actual == expected).sum()) if actual is not None else 0
    else:
        scale, zero = mnist_raw.header_params(prefix + ".h", "OUTPUT")
        actual = ((outputs.astype(np.float32) - zero) * scale).reshape(expected.shape) \
            if outputs.size == expected.size else None
        same = int((actual.view(np.uint32) == expected.view(np.uint32)).sum()) \
            if actual is not None else 0
    print("%s on %s: bit-exact: %d of %d values" % (target, board, same, expected.size))
