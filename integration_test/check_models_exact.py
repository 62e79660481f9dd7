"""Compiled integer models against the reference evaluator.

Usage: check_models_exact.py TINYQ_RUN MODELS_DIR DATA_DIR WORK_DIR
           [--limit N] -- QUANTIZATION_FLAGS...

For each model of models/onnx: tinyq-compile (next to TINYQ_RUN) emits the
integer model the flags give, tinyq-run JIT-runs the same quantization
from the ONNX file (what tinyq-compile ships) and tinyq-run --reference
evaluates the emitted model; prints the number of integer layers with a
SPARQ attribute, the JIT accuracy and how many output values are equal.
"""

import os
import re
import subprocess
import sys

import numpy as np

separator = sys.argv.index("--")
args, flags = sys.argv[1:separator], sys.argv[separator + 1:]
tinyq_run, models, data, work = args[:4]
limit = args[args.index("--limit") + 1] if "--limit" in args else "0"
tinyq_compile = os.path.join(os.path.dirname(tinyq_run), "tinyq-compile")
os.makedirs(work, exist_ok=True)
scale = ["--input-scale", "0.00392156862745098"]

for model in ("mnist_mlp", "mnist_cnn", "fashion_mlp", "fashion_cnn", "fashion_deepcnn"):
    folder, suffix = ("mnist", "") if model.startswith("mnist") else ("fashion-mnist", ".gz")
    train = os.path.join(data, folder, "train-images-idx3-ubyte" + suffix)
    evaluation = ["--data", os.path.join(data, folder, "t10k-images-idx3-ubyte" + suffix),
                  "--labels", os.path.join(data, folder, "t10k-labels-idx1-ubyte" + suffix),
                  "--limit", limit]
    onnx = os.path.join(models, model + ".onnx")
    integer = os.path.join(work, model + ".mlir")
    quantize = ["--calibration", train] + scale + flags
    subprocess.run([tinyq_compile, onnx] + quantize + ["--emit=mlir", "-o", integer],
                   check=True, stderr=subprocess.DEVNULL)
    layers = len(re.findall(r"\{sparq = #tinyq\.sparq", open(integer).read()))
    jit, ref = os.path.join(work, model + ".jit.npy"), os.path.join(work, model + ".ref.npy")
    run = subprocess.run([tinyq_run, onnx] + quantize + evaluation + ["--output", jit],
                         check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True).stdout
    subprocess.run([tinyq_run, integer, "--reference"] + scale + evaluation + ["--output", ref],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    a, b = np.load(jit), np.load(ref)
    same = int((a.view(np.uint32) == b.view(np.uint32)).sum()) if a.shape == b.shape else 0
    accuracy = re.search(r"accuracy: ([0-9.]+)", run).group(1)
    print("%s: %d sparq layers, accuracy %s, bit-exact: %d of %d values" % (
        model, layers, accuracy, same, a.size))
