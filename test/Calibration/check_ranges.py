"""Calibrates a small TOSA model with tinyq-compile and checks every
recorded range against NumPy's statistics of the same tensors: exact for
minmax and meanmax; within one histogram bin of np.percentile for
percentile; for mse, the chosen range's real quantization error on the raw
values must be within 5% of the best of the same candidate ranges; for kl,
a NumPy transcription of TensorRT's entropy calibration."""

import argparse
import re
import subprocess
import sys

import numpy as np

SCALE = np.array([2.0, -1.0, 0.5, 3.0], dtype=np.float32)
BIAS = np.array([-1.0, 0.25, 0.0, 2.0], dtype=np.float32)

MODEL = """
func.func @main(%x: tensor<{b}x4xf32>) -> tensor<{b}x4xf32> {{
  %s = "tosa.const"() <{{values = dense<[[2.0, -1.0, 0.5, 3.0]]> : tensor<1x4xf32>}}> : () -> tensor<1x4xf32>
  %c = "tosa.const"() <{{values = dense<[[-1.0, 0.25, 0.0, 2.0]]> : tensor<1x4xf32>}}> : () -> tensor<1x4xf32>
  %shift = "tosa.const"() <{{values = dense<0> : tensor<1xi8>}}> : () -> tensor<1xi8>
  %0 = tosa.mul %x, %s, %shift : (tensor<{b}x4xf32>, tensor<1x4xf32>, tensor<1xi8>) -> tensor<{b}x4xf32>
  %1 = tosa.add %0, %c : (tensor<{b}x4xf32>, tensor<1x4xf32>) -> tensor<{b}x4xf32>
  %2 = tosa.clamp %1 {{min_val = 0.0 : f32, max_val = 6.0 : f32}} : (tensor<{b}x4xf32>) -> tensor<{b}x4xf32>
  return %2 : tensor<{b}x4xf32>
}}
"""


BINS = 2048


def quantization_error(values, low, high, bits):
    """Mean squared error of asymmetric uniform quantization to [low, high]."""
    step = (high - low) / (2 ** bits - 1)
    zero_point = np.round(-low / step)
    levels = np.clip(np.round(values / step) + zero_point, 0, 2 ** bits - 1)
    return np.mean(((levels - zero_point) * step - values) ** 2)


def check_mse(index, values, chosen, bits):
    full = (min(values.min(), 0.0), max(values.max(), 0.0))
    errors = [quantization_error(values, full[0] * k / 100, full[1] * k / 100,
                                 bits) for k in range(1, 101)]
    error = quantization_error(values, chosen[0], chosen[1], bits)
    if error > 1.05 * min(errors):
        sys.exit(f"point {index}: range {chosen} has MSE {error}, the best "
                 f"candidate {min(errors)}")


def kl_threshold(values, bits):
    """TensorRT's entropy calibration of |values| into 2^(bits-1) levels
    (2^bits for non-negative tensors), thresholds from 128 bins up."""
    levels = 2 ** (bits - 1 if values.min() < 0 else bits)
    absolute = np.abs(values)
    counts, edges = np.histogram(absolute, bins=BINS,
                                 range=(0, absolute.max()))
    counts = counts.astype(np.float64)
    best, best_bins = np.inf, BINS
    for used in range(max(levels, 128), BINS + 1):
        reference = counts[:used].copy()
        reference[-1] += counts[used:].sum()
        expanded = np.zeros(used)
        for level in range(levels):
            start, end = level * used // levels, (level + 1) * used // levels
            chunk = counts[start:end]
            nonzero = chunk > 0
            if nonzero.any():
                expanded[start:end][nonzero] = chunk.sum() / nonzero.sum()
        if reference.sum() == 0 or expanded.sum() == 0:
            continue
        p = reference / reference.sum()
        q = np.maximum(expanded / expanded.sum(), 1e-12)
        mask = p > 0
        divergence = np.sum(p[mask] * np.log(p[mask] / q[mask]))
        if divergence < best:
            best, best_bins = divergence, used
    return edges[best_bins]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tinyq-compile", required=True)
    parser.add_argument("--work", required=True, help="file name prefix")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--max-samples", type=int, default=0)
    parser.add_argument("--method", default="minmax")
    parser.add_argument("--percentile", type=float, default=99.99)
    parser.add_argument("--bits", type=int, default=8)
    args = parser.parse_args()

    rng = np.random.default_rng(7)
    data = rng.normal(0.0, 2.0, size=(args.samples, 4)).astype(np.float32)
    model_path, data_path = args.work + ".mlir", args.work + ".npy"
    with open(model_path, "w") as f:
        f.write(MODEL.format(b=args.batch))
    np.save(data_path, data)

    command = [args.tinyq_compile, model_path, "--emit=calibrated",
               "--calibration", data_path,
               "--calibration-method", args.method,
               "--calibration-samples", str(args.max_samples),
               "--calibration-percentile", str(args.percentile),
               "--activations", f"i{args.bits}"]
    ir = subprocess.run(command, check=True, capture_output=True,
                        text=True).stdout

    used = data if args.max_samples == 0 else data[:args.max_samples]
    x = used
    product = x * SCALE
    total = product + BIAS
    clamped = np.clip(total, 0.0, 6.0)
    # The addition feeds its clamp only: fused, not observed.
    tensors = [x, product, clamped]

    found = {}
    pattern = re.compile(r"tinyq\.observe %\S+ id (\d+) range <min = (\S+), "
                         r"max = (\S+), samples = (\d+)>")
    for match in pattern.finditer(ir):
        found[int(match.group(1))] = (float(match.group(2).rstrip(",")),
                                      float(match.group(3).rstrip(",")),
                                      int(match.group(4)))
    if sorted(found) != list(range(len(tensors))):
        sys.exit(f"expected calibration points 0..{len(tensors) - 1}, "
                 f"found {sorted(found)}:\n{ir}")
    for index, tensor in enumerate(tensors):
        low, high, count = found[index]
        if count != len(used):
            sys.exit(f"point {index}: samples = {count}, expected {len(used)}")
        values = tensor.astype(np.float64).ravel()
        if args.method == "mse":
            check_mse(index, values, (low, high), args.bits)
            continue
        tolerance = 1e-6
        if args.method == "minmax":
            expected = (tensor.min(), tensor.max())
        elif args.method == "meanmax":
            expected = (tensor.min(axis=1).mean(), tensor.max(axis=1).mean())
        elif args.method == "percentile":
            expected = (np.percentile(values, 100 - args.percentile),
                        np.percentile(values, args.percentile))
            tolerance = (values.max() - values.min()) / BINS
        else:
            threshold = kl_threshold(values, args.bits)
            expected = (max(values.min(), -threshold),
                        min(values.max(), threshold))
            tolerance = np.abs(values).max() / BINS
        if not np.allclose((low, high), expected, rtol=0, atol=tolerance):
            sys.exit(f"point {index}: range [{low}, {high}], NumPy says "
                     f"[{expected[0]}, {expected[1]}] (tolerance {tolerance})")
    print(f"{len(tensors)} ranges match ({args.method}, batch {args.batch}, "
          f"{len(used)} samples)")


if __name__ == "__main__":
    main()
