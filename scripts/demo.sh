#!/usr/bin/env bash
# The main job: build TinyQ, quantize the bundled MNIST CNN post-training
# (calibration on 1000 training images) and compile it to an object file
# with a C header, link it into examples/classify-mnist.c and classify the
# 10k test images.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh
bash scripts/fetch-data.sh

BUILD_DIR=${BUILD_DIR:-build}
DATA_DIR=${TINYQ_DATA_DIR:-$BUILD_DIR/data}
OUT="$BUILD_DIR/demo"
mkdir -p "$OUT"

echo "== tinyq-compile models/onnx/mnist_cnn.onnx (W8A8, min-max calibration)"
"$BUILD_DIR/bin/tinyq-compile" models/onnx/mnist_cnn.onnx \
  --calibration "$DATA_DIR/mnist/train-images-idx3-ubyte" \
  --calibration-samples 1000 --input-scale 0.00392156862745098 \
  --name mnist -o "$OUT/mnist.o" --header "$OUT/mnist.h"
grep -E '^void|^#define MNIST_ARENA_SIZE' "$OUT/mnist.h"
echo "object: $(llvm-size-22 "$OUT/mnist.o" | tail -1 | awk '{print $1 " bytes of code and constants"}');" \
  "undefined symbols: $(llvm-nm-22 --undefined-only "$OUT/mnist.o" | awk '{print $2}' | tr '\n' ' ')"

echo "== cc examples/classify-mnist.c mnist.o"
clang-22 -O2 -I "$OUT" examples/classify-mnist.c "$OUT/mnist.o" -lm \
  -o "$OUT/classify-mnist"
"$OUT/classify-mnist" "$DATA_DIR/mnist/t10k-images-idx3-ubyte" \
  "$DATA_DIR/mnist/t10k-labels-idx1-ubyte"
