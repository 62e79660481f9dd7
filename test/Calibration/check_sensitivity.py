"""Checks the tinyq.sensitivity record of test/Calibration/sensitivity.test.

    check_sensitivity.py CALIBRATED.mlir FLOAT.npy SIMULATED_W4.npy DATA.npy
    check_sensitivity.py --sparq CALIBRATED.mlir DATA.npy

Weight metrics are recomputed with NumPy from the layer's float weights
(symmetric, narrow range, per output channel, round half to even). The low
candidate's activation metrics must equal the error between the float model
and the simulated W4A8 model on the calibration samples (the layer's output
is the model's output); the W8A8 candidate's, the error of the output's own
8-bit quantization, is bounded by a quarter of the squared grid step.
The input statistics count the calibration samples' values within half a
step of 0 on the input's 8-bit grid, and the channel pairs holding one.

With --sparq, the input's SQNR after SPARQ (4-bit windows at shifts 0..4,
nearest-even rounding, vSPARQ over channel pairs) is recomputed from the
data with a bit-by-bit SPARQ written from the issue's definition.
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


def bit_sparq(a, n, shifts):
    """bSPARQ of magnitude a, nearest-even rounding, bit by bit."""
    if a == 0:
        return 0
    leading = a.bit_length() - 1
    s = min(x for x in shifts if leading <= x + n - 1)
    if s == 0:
        return a
    result = (a >> s) << s
    round_bit = (a >> (s - 1)) & 1
    sticky = (a & ((1 << (s - 1)) - 1)) != 0
    if round_bit and (sticky or (a >> s) & 1):
        result += 1 << s
    if result == 1 << (s + n):
        result = ((1 << n) - 1) << s
    return result


def check_sparq(mlir_path, data_path):
    text = open(mlir_path).read()
    minimum, maximum = (float(v) for v in re.findall(
        r"tinyq.observe %\w+ id \d+ range <min = ([^,]+), max = ([^,]+),", text)[0])
    assert minimum == 0.0, minimum
    scale = np.float32(maximum / 255)
    data = np.load(data_path).astype(np.float32)
    magnitudes = np.clip(np.rint(data / scale), 0, 255).astype(np.int64)
    table = np.array([bit_sparq(a, 4, range(5)) for a in range(256)])
    pairs = magnitudes.reshape(-1, 2)
    coded = table[pairs]
    # vSPARQ: a value whose partner is 0 keeps all 8 bits.
    keep = (pairs == 0)[:, ::-1]
    coded = np.where(keep, pairs, coded).reshape(data.shape)
    sqnr, _ = metrics(data, coded * np.float64(scale))
    recorded = float(re.search(r"tinyq.input_sparq_sqnr = ([0-9.eE+-]+)", text).group(1))
    changed = int((coded != magnitudes).sum())
    print("sparq input sqnr", "ok" if close(recorded, sqnr, 1e-6) and changed > 0
          else (recorded, sqnr, changed))


if __name__ == "__main__":
    if sys.argv[1] == "--sparq":
        check_sparq(*sys.argv[2:])
    else:
        main(*sys.argv[1:])
