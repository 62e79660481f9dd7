#!/usr/bin/env bash
# The main job, for now: build TinyQ, run examples/simulate-int4.mlir through
# a tinyq-opt pipeline, lower it with upstream passes and JIT-run it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh

BUILD_DIR=${BUILD_DIR:-build}
OPT="$BUILD_DIR/bin/tinyq-opt"
LLVM_BIN=$(llvm-config-22 --bindir)
LLVM_LIB=$(llvm-config-22 --libdir)
OUT="$BUILD_DIR/demo"
mkdir -p "$OUT"

echo "== tinyq-opt --tinyq-strip-observe --inline --canonicalize --tinyq-expand-fake-quant"
"$OPT" examples/simulate-int4.mlir \
  --tinyq-strip-observe --inline --canonicalize --tinyq-expand-fake-quant \
  -o "$OUT/simulated.mlir"
echo "int4-simulated weights folded by the numerics library:"
sed -n '/func.func @dense_simulated/,/^  }/p' "$OUT/simulated.mlir" |
  grep -o 'dense<\[\[.*\]\]> : tensor<4x3xf32>'
echo "activation quantization, expanded (rounding is explicit):"
grep -E 'math.roundeven' "$OUT/simulated.mlir" | head -1

echo "== lowering to LLVM and running with the MLIR JIT"
"$OPT" "$OUT/simulated.mlir" --pass-pipeline="builtin.module(func.func(convert-elementwise-to-linalg), one-shot-bufferize{bufferize-function-boundaries}, func.func(convert-linalg-to-loops), expand-strided-metadata, lower-affine, convert-scf-to-cf, convert-to-llvm, reconcile-unrealized-casts)" \
  -o "$OUT/simulated.llvm.mlir"
"$LLVM_BIN/mlir-runner" "$OUT/simulated.llvm.mlir" -e main -entry-point-result=void \
  -shared-libs="$LLVM_LIB/libmlir_c_runner_utils.so,$LLVM_LIB/libmlir_runner_utils.so" \
  > "$OUT/run.txt"
echo "float output:               $(sed -n 2p "$OUT/run.txt")"
echo "W4A8 simulated output:      $(sed -n 4p "$OUT/run.txt")"
