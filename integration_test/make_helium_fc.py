"""Writes an integer fully connected layer (tinyq.fully_connected) with
seeded random int8 weights and bias: long reductions for the Helium
kernels' tiles on the Cortex-M55, and rows, depths and channel counts that
are not whole tiles for the x86-64 VNNI kernel.

Usage: make_helium_fc.py OUTPUT DEPTH CHANNELS per-tensor|per-channel
                         [ROWS [INPUT_ZERO_POINT]]
"""

import sys

import numpy as np

path, depth, channels, granularity = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rows = int(sys.argv[5]) if len(sys.argv) > 5 else 1
input_zero_point = int(sys.argv[6]) if len(sys.argv) > 6 else -128
rng = np.random.default_rng(depth)
weights = rng.integers(-127, 128, (channels, depth))
bias = rng.integers(-20000, 20000, channels)
# Sums of depth products of ~74 (inputs) by ~73 (weights): a scale near
# 2^-10 * 0.7 puts the outputs across the int8 range, some clamped.
# Per-tensor: a ReLU's clamp from the output zero point (negative results
# clamp away); per-channel: the full range (their rounding shows).
if granularity == "per-tensor":
    multipliers, shifts = [1503238554], [-10]
    zero_point, clamp_min = -100, -100
else:
    multipliers = rng.integers(1 << 30, 1 << 31, channels).tolist()
    shifts = rng.integers(-12, -10, channels).tolist()
    zero_point, clamp_min = 3, -128


def dense(values):
    return "[%s]" % ", ".join(str(int(v)) for v in values)


with open(path, "w") as f:
    f.write("func.func @main(%%x: tensor<%dx%dxi8>) -> tensor<%dx%dxi8> {\n" % (
        rows, depth, rows, channels))
    f.write("  %%w = arith.constant dense<[%s]> : tensor<%dx%dxi8>\n" % (
        ", ".join(dense(row) for row in weights), channels, depth))
    f.write("  %%b = arith.constant dense<%s> : tensor<%dxi32>\n" % (dense(bias), channels))
    f.write("  %%y = tinyq.fully_connected %%x, %%w, %%b zero_points(%d, %d) "
            "multiplier %s shift %s clamp [%d, 127] : (tensor<%dx%dxi8>, tensor<%dx%dxi8>, "
            "tensor<%dxi32>) -> tensor<%dx%dxi8>\n" % (
                input_zero_point, zero_point, dense(multipliers), dense(shifts), clamp_min, rows,
                depth, channels, depth, channels, rows, channels))
    f.write("  return %%y : tensor<%dx%dxi8>\n}\n" % (rows, channels))
