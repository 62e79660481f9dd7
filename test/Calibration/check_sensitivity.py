"""Checks the tinyq.sensitivity record of test/Calibration/sensitivity.test.

    check_sensitivity.py CALIBRATED.mlir FLOAT.npy SIMULATED_W4.npy DATA.npy

Weight metrics are recomputed with NumPy from the layer's float weights
(symmetric, narrow range, per output channel, round half to even). The low
candidate's activation metrics must equal the error between the float model
and the simulated W4A8 model on the calibration samples (the layer's output
is the model's output); the W8A8 candidate's, the error of the output's own
8-bit quantization, is bounded by a quarter of the squared grid step.
The input statistics count the calibration samples' values within half a
step of 0 on the input's 8-bit grid, and the channel pairs holding one.
"""

import re
import sys

import numpy as np

WEIGHTS = np.array([[0.9, -0.31], [0.05, 0.7], [-0.47, 0.22]], np.float32)


def metrics(reference, approx):
    reference = reference.astype(np.float64)
    error = approx.astype(np.float64) - reference
    mse = float(np.mean(error ** 2))
    sqnr = float(10 * np.log10(np.sum(reference ** 2) / np.sum(error ** 2)))
    return sqnr, mse


def quantize_weights(bits):
    levels = 2 ** (bits - 1) - 1
    scale = (np.abs(WEIGHTS).max(axis=1, keepdims=True) / levels).astype(np.float32)
    q = np.clip(np.rint(WEIGHTS / scale), -levels, levels)
    return (q * scale).astype(np.float32)


def close(a, b, tolerance):
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def main(mlir_path, float_path, simulated_path, data_path):
    text = open(mlir_path).read()
    candidates = re.findall(
        r"#tinyq.candidate<precision = #tinyq.precision<weight_bits = (\d+), activation_bits = "
        r"(\d+), granularity = per_channel>, weight_sqnr = ([^,]+), weight_mse "
        r"= ([^,]+), activation_sqnr = ([^,]+), activation_mse = ([^>]+)>", text)
    record = {int(c[0]): [float(v) for v in c[2:]] for c in candidates}
    print("candidates:", sorted(record))
    ok = True
    for bits, values in sorted(record.items()):
        sqnr, mse = metrics(WEIGHTS, quantize_weights(bits))
        ok &= close(values[0], sqnr, 1e-5) and close(values[1], mse, 1e-5)
    print("weights", "ok" if ok else record)

    reference = np.load(float_path)
    sqnr, mse = metrics(reference, np.load(simulated_path))
    low = record[4]
    print("low activations", "ok" if close(low[2], sqnr, 1e-5) and
          close(low[3], mse, 1e-5) else (low, sqnr, mse))

    # The last calibration point is the layer's output.
    minimum, maximum = (float(v) for v in re.findall(
        r"tinyq.observe %\w+ id \d+ range <min = ([^,]+), max = ([^,]+),",
        text)[-1])
    step = (max(maximum, 0.0) - min(minimum, 0.0)) / 255
    high = record[8]
    print("grid activations", "ok" if 0 < high[3] <= step * step / 4 and
          high[2] > low[2] else (high, step))

    # The first calibration point is the layer's input: a value is a zero
    # magnitude when it rounds to 0 steps (|x| <= step / 2).
    minimum, maximum = (float(v) for v in re.findall(
        r"tinyq.observe %\w+ id \d+ range <min = ([^,]+), max = ([^,]+),",
        text)[0])
    step = (max(maximum, 0.0) - min(minimum, 0.0)) / 255
    data = np.load(data_path).astype(np.float64)
    zero = np.abs(data) <= step / 2
    zeros = float(zero.mean())
    pairs = float(zero.reshape(-1, 2).any(axis=1).mean())
    recorded = [float(re.search(name + r" = ([0-9.eE+-]+)", text).group(1))
                for name in ("tinyq.input_zero_fraction",
                             "tinyq.input_pair_zero_fraction")]
    print("input zeros", "ok" if abs(recorded[0] - zeros) < 1e-12 and
          abs(recorded[1] - pairs) < 1e-12 and 0 < zeros < pairs < 1
          else (recorded, zeros, pairs))


if __name__ == "__main__":
    main(*sys.argv[1:])
