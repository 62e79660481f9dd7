"""JIT-runs tinyq.requantize (lowered by tinyq-lower-integer-ops) on random
int32 values, per-channel multipliers and shifts, and compares every
output with a Python transcription of TFLite's integer rules."""

import argparse
import subprocess
import sys

import numpy as np

INT32_MIN, INT32_MAX = -2**31, 2**31 - 1


def srdhm(a, b):
    if a == b == INT32_MIN:
        return INT32_MAX
    product = a * b
    nudge = 2**30 if product >= 0 else 1 - 2**30
    total = product + nudge
    # Truncating division, as C does.
    quotient = abs(total) // 2**31
    return quotient if total >= 0 else -quotient


def rounding_divide(x, exponent):
    mask = (1 << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> exponent) + (1 if remainder > threshold else 0)


def requantize(x, multiplier, shift, zero_point, clamp_min, clamp_max):
    left, right = max(shift, 0), max(-shift, 0)
    shifted = min(max(x * 2**left, INT32_MIN), INT32_MAX)
    scaled = rounding_divide(srdhm(shifted, multiplier), right)
    return min(max(scaled, clamp_min - zero_point),
               clamp_max - zero_point) + zero_point


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tinyq-run", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()

    rng = np.random.default_rng(11)
    rows, channels = 4000, 8
    x = rng.integers(-2**20, 2**20, size=(rows, channels), dtype=np.int64)
    # Extremes and rounding ties.
    x[:8] = np.array([INT32_MIN, INT32_MAX, 0, -1, 1, 2**30, -2**30, 12345])[:, None]
    x[8:16] = rng.integers(INT32_MIN, INT32_MAX, size=(8, channels))
    x = x.astype(np.int32)
    multipliers = [0, 2**30, 2**31 - 1] + list(
        rng.integers(2**30, 2**31 - 1, size=channels - 3))
    shifts = [-31, 0, 30, -1, 5, -20, -7, 2]
    zero_point, clamp_min, clamp_max = -3, -120, 125

    model = f"""
func.func @main(%x: tensor<{rows}x{channels}xi32>) -> tensor<{rows}x{channels}xi8> {{
  %0 = tinyq.requantize %x multiplier {list(map(int, multipliers))} shift {shifts}
         zero_point {zero_point} clamp [{clamp_min}, {clamp_max}] axis 1
         : tensor<{rows}x{channels}xi32> -> tensor<{rows}x{channels}xi8>
  return %0 : tensor<{rows}x{channels}xi8>
}}
"""
    with open(args.work + ".mlir", "w") as f:
        f.write(model)
    np.save(args.work + ".in.npy", x)
    subprocess.run([args.tinyq_run, args.work + ".mlir", "--unbatched",
                    "--input", args.work + ".in.npy",
                    "--output", args.work + ".out.npy"], check=True,
                   capture_output=True)
    got = np.load(args.work + ".out.npy")
    mismatches = 0
    for r in range(rows):
        for c in range(channels):
            want = requantize(int(x[r, c]), int(multipliers[c]), shifts[c],
                              zero_point, clamp_min, clamp_max)
            if int(got[r, c]) != want:
                mismatches += 1
                if mismatches <= 5:
                    print(f"x={x[r, c]} m={multipliers[c]} s={shifts[c]}: "
                          f"got {got[r, c]}, want {want}")
    unclamped = sum(clamp_min < int(v) < clamp_max for v in got.ravel())
    print(f"{rows * channels} values, {mismatches} mismatches, "
          f"{unclamped} strictly inside the clamp")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
