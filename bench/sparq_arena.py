#!/usr/bin/python3
"""Could SPARQ-coded activations shrink the Cortex-M arena? (issue 6)

For each model, compiled for the Cortex-M4: the arena TinyQ plans at W8A8
and with SPARQ (5opt, nearest_even, pairs; SPARQ's result is materialized
as int8, as tinyq-lower-integer-ops does), each with its lower bound (the
most bytes live at once), from `tinyq-compile --print-arena-plan`. Then
the W8A8 plan's lower bound recomputed with activations stored coded: a
vSPARQ pair of 5opt windows has 2720 outcomes, so it fits in 12 bits, 0.75
bytes per activation. Coded: every int8 buffer of the integer entry point
that holds the input of a layer SPARQ codes (a convolution, depthwise or
fully connected layer whose input range starts at 0: post-ReLU) and
nothing else; PLAIN lists, per model, the int8 buffers that stay plain and
why (the script stops if one of them is not in the plan).

Usage: bench/sparq_arena.py [--out docs/results/sparq-arena.md]
Run after scripts/build.sh and scripts/fetch-data.sh; under a minute.
"""

import argparse
import datetime
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cortex_m import BUILD, SCALE, TRAIN_IMAGES, kws_model  # noqa: E402

BUFFER = re.compile(r"arena buffer '(memref<[^']*>)': (\d+) bytes at offset (\d+), "
                    r"live over operations (\d+) to (\d+) of (\d+)")
ARENA = re.compile(r"arena: (\d+) bytes, lower bound (\d+)")
SPARQ = ["--activations", "sparq:4,5opt,nearest_even,pairs"]

# Per model, the int8 buffers of the integer entry point that cannot hold
# SPARQ-coded values: (type, which of the buffers of that type in order of
# first use, why).
PLAIN = {
    "mnist_mlp": [("memref<1x10xi8>", 1, "the logits")],
    "mnist_cnn": [
        ("memref<1x30x30x1xi8>", 1, "the input's padded copy"),
        ("memref<1x28x28x16xi8>", 1, "the first convolution's output, read by max pooling"),
        ("memref<2x2xi8>", 1, "the pooling window"),
        ("memref<1x14x14x16xi8>", 1,
         "max pooling's output, read by the depthwise layer and the residual add"),
        ("memref<196x16xi8>", 2, "the pointwise output, read by the residual add"),
        ("memref<49x32xi8>", 1, "the last convolution's output, transposed before the flatten"),
        ("memref<1x10xi8>", 1, "the logits")],
    "MLPerf Tiny KWS int8": [
        ("memref<1x58x12x1xi8>", 1, "the input's padded copy"),
        ("memref<125x64xi8>", 9, "the last pointwise output, read by average pooling"),
        ("memref<1x12xi8>", 1, "the logits")],
}


def plans(model, flags):
    """The arena plan of each function tinyq-compile reports, in order:
    (buffers as (type, bytes, first, last, operations), size, bound)."""
    result = subprocess.run(
        [os.path.join(BUILD, "bin", "tinyq-compile"), model] + flags +
        ["--target", "cortex-m4", "--print-arena-plan", "-o", os.devnull],
        check=True, capture_output=True, text=True).stderr
    functions, buffers = [], []
    for line in result.splitlines():
        match = BUFFER.search(line)
        if match:
            buffers.append((match.group(1), int(match.group(2)), int(match.group(4)),
                            int(match.group(5)), int(match.group(6))))
            continue
        match = ARENA.search(line)
        if match:
            functions.append((buffers, int(match.group(1)), int(match.group(2))))
            buffers = []
    return functions


def most_live(buffers, sizes):
    """The most bytes live at one operation, buffer i taking sizes[i]."""
    operations = max(b[4] for b in buffers) + 1
    return max(sum(size for b, size in zip(buffers, sizes) if b[2] <= p <= b[3])
               for p in range(operations))


def coded_bytes(values):
    """12 bits per vSPARQ pair: 3 bytes per 2 pairs."""
    pairs = (values + 1) // 2
    return (3 * pairs + 1) // 2


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "results",
                                                       "sparq-arena.md"))
    args = parser.parse_args()
    mnist = ["--calibration", TRAIN_IMAGES, "--input-scale", SCALE]
    models = [("mnist_mlp", os.path.join(ROOT, "models/onnx/mnist_mlp.onnx"), mnist),
              ("mnist_cnn", os.path.join(ROOT, "models/onnx/mnist_cnn.onnx"), mnist)]
    kws = kws_model()
    if kws:
        models.append(("MLPerf Tiny KWS int8", kws, []))
    rows = []
    for name, model, flags in models:
        print("bench: %s" % name, file=sys.stderr)
        functions = plans(model, flags)
        integer, top = functions[0], functions[-1]
        sparq = plans(model, flags + SPARQ)[-1] if flags else None
        buffers, size, bound = integer
        if most_live(buffers, [b[1] for b in buffers]) != bound:
            sys.exit("%s: the plan's buffers do not give its lower bound %d" % (name, bound))
        buffers = sorted(buffers, key=lambda b: b[2])
        occurrence, plain = {}, set()
        for index, b in enumerate(buffers):
            occurrence[b[0]] = occurrence.get(b[0], 0) + 1
            if any(b[0] == t and occurrence[b[0]] == n for t, n, _ in PLAIN[name]):
                plain.add(index)
        if len(plain) != len(PLAIN[name]):
            sys.exit("%s: the plan lacks some of the buffers PLAIN lists" % name)
        coded_sizes = [b[1] if index in plain or not b[0].endswith("xi8>") else coded_bytes(b[1])
                       for index, b in enumerate(buffers)]
        coded = most_live(buffers, coded_sizes)
        rows.append((name, size, bound, top[1], top[2], sparq, coded))
    with open(args.out, "w") as out:
        out.write(
            "# Could SPARQ-coded activations shrink the Cortex-M arena?\n\n"
            "Generated by `python3 bench/sparq_arena.py` on %s (issue 6, deliverable 6). "
            "Arena bytes of each model compiled for the Cortex-M4 (`tinyq-compile "
            "--print-arena-plan`): the integer entry point's arena and lower bound (most "
            "bytes live at once), the header's (`MODEL_run_float`, which quantizes the "
            "input and calls it), the same with SPARQ (5opt, nearest_even, pairs) as TinyQ "
            "compiles it, and the integer entry point's lower bound with activations stored "
            "SPARQ-coded, 12 bits per vSPARQ pair (every int8 buffer that holds the input of "
            "a layer SPARQ codes; the script's PLAIN lists the others and why). The KWS model "
            "is int8 already (no calibration data here), so it has no SPARQ row.\n\n"
            % datetime.date.today().isoformat())
        out.write("| model | integer arena | its lower bound | header arena | header lower bound "
                  "| SPARQ header arena (bound) | coded lower bound | saving on the "
                  "bound |\n|---|--:|--:|--:|--:|--:|--:|--:|\n")
        for name, size, bound, top_size, top_bound, sparq, coded in rows:
            out.write("| %s | %d | %d | %d | %d | %s | %d | %.0f%% |\n" % (
                name, size, bound, top_size, top_bound,
                "%d (%d)" % (sparq[1], sparq[2]) if sparq else "", coded,
                100.0 * (bound - coded) / bound))
    print("bench: wrote %s" % args.out, file=sys.stderr)


if __name__ == "__main__":
    main()
