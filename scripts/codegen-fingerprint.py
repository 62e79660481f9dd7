#!/usr/bin/python3
"""Fingerprints of what TinyQ generates: compiles a fixed matrix of models,
precisions, targets and kernel flags and prints one line per compile with
the SHA-256 of the object file and of the header (and, for each lit test's
tinyq-opt RUN line, of its output). A change that claims to keep behaviour
(a refactoring) must leave every line identical: equal objects execute
equal instruction counts, so the benchmarks in docs/results need not be
rerun to know that.

Usage: scripts/codegen-fingerprint.py [-o FILE] [--jobs N] [--only REGEX]
Run with Debian's interpreter after scripts/build.sh and
scripts/fetch-data.sh (models that are absent, such as ../shared's, are
left out and reported). About ten minutes on two cores. Compare two runs
with `diff`.
"""

import argparse
import concurrent.futures
import hashlib
import os
import re
import shlex
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from cortex_m import BUILD, SCALE, TRAIN_IMAGES  # noqa: E402
from cortex_m_layers import LAYERS, layer_mlir  # noqa: E402

TARGETS = ["host", "cortex-m0plus", "cortex-m3", "cortex-m4", "cortex-m7", "cortex-m33",
           "cortex-m55", "cortex-m85"]
# The kernel flags change code on every DSP core alike: two cores suffice.
FLAG_TARGETS = ["cortex-m4", "cortex-m55"]
SHARED = os.environ.get("TINYQ_SHARED_MODELS",
                        os.path.join(os.path.dirname(ROOT), "shared", "models"))


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def tool(name):
    return os.path.join(BUILD, "bin", name)


def prepare_inputs(work):
    """(name, model path, quantization flags) of every model variant."""
    models = []
    for name, (_, kind, input_shape, weight_shape, _, _) in LAYERS.items():
        rng = np.random.default_rng(7)
        path = os.path.join(work, name + ".mlir")
        with open(path, "w") as f:
            f.write(layer_mlir(kind, input_shape, weight_shape, rng))
        samples = rng.uniform(-1, 3, [64] + input_shape).clip(0).astype(np.float32)
        calibration = os.path.join(work, name + "-calibration.npy")
        np.save(calibration, samples)
        flags = ["--calibration", calibration] + (["--per-tensor"] if kind == "matmul" else [])
        models += [("layer-%s-w8" % name, path, flags),
                   ("layer-%s-w4" % name, path, flags + ["--weights", "i4"]),
                   ("layer-%s-sparq" % name, path,
                    flags + ["--activations", "sparq:4,5opt,nearest_even,pairs"])]
    quantize = ["--calibration", TRAIN_IMAGES, "--input-scale", SCALE]
    for base in ["mnist_mlp", "mnist_cnn", "fashion_mlp", "fashion_cnn", "fashion_deepcnn"]:
        path = os.path.join(ROOT, "models", "onnx", base + ".onnx")
        models += [(base + "-float", path, []), (base + "-w8", path, quantize),
                   (base + "-w4", path, quantize + ["--weights", "i4"])]
    cnn = os.path.join(ROOT, "models", "onnx", "mnist_cnn.onnx")
    models.append(("mnist_cnn-sparq", cnn,
                   quantize + ["--activations", "sparq:4,5opt,nearest_even,pairs"]))
    models.append(("mnist_cnn-auto", cnn, quantize + ["--weights", "auto"]))
    for base in ["mnist_mlp", "mnist_cnn"]:
        for tag, prune in [("50", ["--sparsity", "0.5"]), ("2of4", ["--pattern", "2:4"])]:
            pruned = os.path.join(work, "%s-%s.onnx" % (base, tag))
            subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "models", "prune.py"),
                            os.path.join(ROOT, "models", "onnx", base + ".onnx"), "-o",
                            pruned] + prune, check=True, capture_output=True)
            models.append(("%s-%s-w8" % (base, tag), pruned, quantize))
    for folder, files in [("mlperf_tiny_kws", ["kws_ref_model.tflite"]),
                          ("mlperf_tiny_vww", ["vww_96_int8.tflite"]),
                          ("mlperf_tiny_ic", ["pretrainedResnet_quant.tflite"])]:
        for file in files:
            path = os.path.join(SHARED, folder, file)
            if os.path.exists(path):
                models.append((os.path.splitext(file)[0], path, []))
            else:
                print("fingerprint: %s is absent" % path, file=sys.stderr)
    return models


def compile_jobs(models):
    """(tag, command prefix) of every compile of the matrix."""
    jobs = []
    for name, path, flags in models:
        for target in TARGETS:
            variants = [("", [])]
            if target in FLAG_TARGETS:
                variants += [("skip-zeros", ["--skip-zero-activations"]),
                             ("packed", ["--unpacked-weights-limit=0"]),
                             ("unpacked", ["--unpacked-weights-limit=262144"])]
            for variant, extra in variants:
                tag = "-".join(filter(None, [name, target, variant]))
                jobs.append((tag, [tool("tinyq-compile"), path] + flags + extra +
                             ["--target", target, "--name", "model"]))
    return jobs


def run_compile(work, tag, command):
    prefix = os.path.join(work, tag)
    result = subprocess.run(command + ["-o", prefix + ".o", "--header", prefix + ".h"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        first = (result.stderr.strip().splitlines() or ["?"])[-1]
        return "%s error: %s" % (tag, first)
    return "%s obj %s header %s" % (tag, digest(prefix + ".o"), digest(prefix + ".h"))


def lit_opt_jobs():
    """(tag, shell command) of every `tinyq-opt %s ... |` RUN line."""
    jobs = []
    test_root = os.path.join(ROOT, "test")
    for folder, _, files in sorted(os.walk(test_root)):
        for file in sorted(files):
            if not file.endswith(".mlir"):
                continue
            path = os.path.join(folder, file)
            for index, line in enumerate(re.findall(r"//\s*RUN:\s*(.*)", open(path).read())):
                match = re.match(r"(tinyq-opt %s[^|]*)\|", line)
                if not match:
                    continue
                command = match.group(1).replace("%s", shlex.quote(path))
                command = command.replace("tinyq-opt", shlex.quote(tool("tinyq-opt")), 1)
                tag = "lit-%s-%d" % (os.path.relpath(path, test_root), index)
                jobs.append((tag, command))
    return jobs


def run_lit_opt(tag, command):
    result = subprocess.run(command + " 2>/dev/null", shell=True, capture_output=True)
    return "%s out %s" % (tag, hashlib.sha256(result.stdout).hexdigest()[:16])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-o", "--out", default="-")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--only", default="", help="compile only tags matching REGEX")
    parser.add_argument("--work", default=os.path.join(BUILD, "codegen-fingerprint"))
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    only = re.compile(args.only)
    lines = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_compile, args.work, tag, command)
                   for tag, command in compile_jobs(prepare_inputs(args.work))
                   if only.search(tag)]
        futures += [pool.submit(run_lit_opt, tag, command) for tag, command in lit_opt_jobs()
                    if only.search(tag)]
        for done, future in enumerate(futures):
            lines.append(future.result())
            if done % 50 == 0:
                print("fingerprint: %d of %d" % (done, len(futures)), file=sys.stderr)
    text = "".join(line + "\n" for line in sorted(lines))
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
