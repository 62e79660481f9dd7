#!/usr/bin/env bash
# Regenerates models/reference/*.ort.json: ONNX Runtime (npm onnxruntime-node,
# installed with scripts disabled; its CPU library ships inside the package)
# run over the full MNIST / Fashion-MNIST test sets for every model.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA_DIR=${TINYQ_DATA_DIR:-build/data}
ORT_DIR=${ORT_DIR:-build/ort}
bash scripts/fetch-data.sh > /dev/null
mkdir -p "$ORT_DIR"
if [ ! -d "$ORT_DIR/node_modules/onnxruntime-node" ]; then
  (cd "$ORT_DIR" && npm install --silent --ignore-scripts --no-audit --no-fund \
     --no-save onnxruntime-node@1.30.0 > /dev/null)
fi
cp scripts/ort-reference.mjs "$ORT_DIR/"
SCALE=0.00392156862745098
for model in models/onnx/*.onnx; do
  name=$(basename "$model" .onnx)
  case "$name" in
    mnist_*) images="$DATA_DIR/mnist/t10k-images-idx3-ubyte" ;;
    fashion_*) images="$DATA_DIR/fashion-mnist/t10k-images-idx3-ubyte.gz" ;;
    *) continue ;;
  esac
  node "$ORT_DIR/ort-reference.mjs" "$PWD/$model" "$PWD/$images" "$SCALE" \
    "models/reference/$name.ort.json"
done
