"""Raw tensors for the C harness (integration_test/Inputs/run-model.c) and back.

  mnist_raw.py IMAGES HEADER OUT_F32 OUT_I8
      MNIST images (IDX, gzipped or not) as float32 pixels * (1 / 255) (computed in double,
      as tinyq-run --input-scale does), and as int8 quantized with
      the generated header's input scale and zero point (x / s in float32,
      round half to even, + z, saturate): the compiler's rule.
  mnist_raw.py --to-npy RAW_F32 OUT_NPY ROWS COLUMNS
  mnist_raw.py --dequantize RAW_I8 HEADER OUT_NPY ROWS COLUMNS
      int8 outputs back to float32 with the header's output parameters,
      (q - z) * s in float32.
"""

import gzip
import re
import sys

import numpy as np


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def header_params(path, tensor):
    text = open(path).read()
    scale = re.search(rf"#define \w+_{tensor}_SCALE (\S+)f\n", text).group(1)
    zero = re.search(rf"#define \w+_{tensor}_ZERO_POINT \((-?\d+)\)", text).group(1)
    return np.float32(scale), np.float32(int(zero))


def quantize_input(values, header):
    """float32 \p values as the int8 inputs the model of \p header takes:
    x / s in float32, round half to even, + z, saturate (the compiler's
    rule)."""
    scale, zero = header_params(header, "INPUT")
    q = np.clip(np.rint(np.asarray(values, np.float32) / scale) + zero, -128, 127)
    return q.astype(np.int8)


def main(argv):
    if argv[0] == "--to-npy":
        raw, out, rows, columns = argv[1:]
        np.save(out, np.fromfile(raw, np.float32).reshape(int(rows), int(columns)))
    elif argv[0] == "--dequantize":
        raw, header, out, rows, columns = argv[1:]
        scale, zero = header_params(header, "OUTPUT")
        q = np.fromfile(raw, np.int8).astype(np.float32)
        np.save(out, ((q - zero) * scale).reshape(int(rows), int(columns)))
    else:
        images, header, out_f32, out_i8 = argv
        pixels = (read_idx(images) * 0.00392156862745098).astype(np.float32)
        pixels.tofile(out_f32)
        quantize_input(pixels, header).tofile(out_i8)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
