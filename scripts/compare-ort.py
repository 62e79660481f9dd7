#!/usr/bin/python3
"""Compares tinyq-run with ONNX Runtime's reference outputs
(models/reference/<model>.ort.json, from scripts/ort-reference.sh): top-1
agreement over the whole test set and the logits of the first images.

    /usr/bin/python3 scripts/compare-ort.py --tinyq-run build/bin/tinyq-run \
        --model models/onnx/mnist_cnn.onnx --images IMAGES --labels LABELS

Passes when the top-1 labels agree on at least 99.99% of the images and
every stored logit is within 1e-4 (absolute, or relative for |x| > 1).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tinyq-run", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--images", required=True)
    parser.add_argument("--labels", required=True)
    parser.add_argument("--reference")
    args = parser.parse_args()
    name = os.path.splitext(os.path.basename(args.model))[0]
    reference_path = args.reference or os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(args.model))),
        "reference", name + ".ort.json")
    with open(reference_path) as f:
        reference = json.load(f)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "logits.npy")
        subprocess.run([args.tinyq_run, args.model, "--data", args.images,
                        "--labels", args.labels, "--input-scale",
                        str(reference["input_scale"]), "--output", out],
                       check=True, stdout=subprocess.DEVNULL)
        logits = np.load(out).reshape(len(reference["top1"]), -1)
    top1 = logits.argmax(axis=1)
    ref_top1 = np.array(reference["top1"])
    agree = int((top1 == ref_top1).sum())
    total = len(ref_top1)
    ref_logits = np.array(reference["logits_first_images"], dtype=np.float64)
    ours = logits[: len(ref_logits)].astype(np.float64)
    diff = np.abs(ours - ref_logits)
    tolerance = 1e-4 * np.maximum(1.0, np.abs(ref_logits))
    within = bool((diff <= tolerance).all())
    print(f"{name}: top-1 agreement with {reference['runtime']}: "
          f"{agree}/{total} ({100.0 * agree / total:.2f}%)")
    print(f"{name}: logits of {ref_logits.shape[0]} images: max |diff| "
          f"{diff.max():.3g}, {'all' if within else 'NOT all'} within 1e-4")
    return 0 if agree * 10000 >= total * 9999 and within else 1


if __name__ == "__main__":
    sys.exit(main())
