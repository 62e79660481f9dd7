"""Calibrates a small TOSA model with tinyq-compile and checks every
recorded range against NumPy's statistics of the same tensors."""

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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tinyq-compile", required=True)
    parser.add_argument("--work", required=True, help="file name prefix")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--max-samples", type=int, default=0)
    parser.add_argument("--method", default="minmax")
    args = parser.parse_args()

    rng = np.random.default_rng(7)
    data = rng.normal(0.0, 2.0, size=(args.samples, 4)).astype(np.float32)
    model_path, data_path = args.work + ".mlir", args.work + ".npy"
    with open(model_path, "w") as f:
        f.write(MODEL.format(b=args.batch))
    np.save(data_path, data)

    command = [args.tinyq_compile, model_path, "--emit=mlir",
               "--calibration", data_path,
               "--calibration-method", args.method,
               "--calibration-samples", str(args.max_samples)]
    ir = subprocess.run(command, check=True, capture_output=True,
                        text=True).stdout

    used = data if args.max_samples == 0 else data[:args.max_samples]
    x = used
    product = x * SCALE
    total = product + BIAS
    clamped = np.clip(total, 0.0, 6.0)
    tensors = [x, product, total, clamped]

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
        if args.method == "minmax":
            expected = (tensor.min(), tensor.max())
        else:
            expected = (tensor.min(axis=1).mean(), tensor.max(axis=1).mean())
        low, high, count = found[index]
        if count != len(used):
            sys.exit(f"point {index}: samples = {count}, expected {len(used)}")
        if not np.allclose((low, high), expected, rtol=1e-6, atol=1e-6):
            sys.exit(f"point {index}: range [{low}, {high}], NumPy says "
                     f"[{expected[0]}, {expected[1]}]")
    print(f"{len(tensors)} ranges match ({args.method}, batch {args.batch}, "
          f"{len(used)} samples)")


if __name__ == "__main__":
    main()
