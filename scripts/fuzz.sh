#!/usr/bin/env bash
# Builds the libFuzzer targets (ONNX and TFLite importers) (clang-22, AddressSanitizer) and runs each for
# a bounded time from a seed corpus of real and broken models.
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 120)
# Crash inputs are written to build-fuzz/crashes/<target>/; the closing lines
# give executions and crashes per target.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-120}
bash scripts/install-deps.sh > /dev/null
cmake -G Ninja -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Release \
  -DTINYQ_ENABLE_FUZZERS=ON -DCMAKE_C_COMPILER=clang-22 \
  -DCMAKE_CXX_COMPILER=clang++-22 -DLLVM_ENABLE_LLD=ON > /dev/null
ninja -C build-fuzz onnx-import-fuzzer tflite-import-fuzzer > /dev/null

run() {
  local target=$1; shift
  local corpus=build-fuzz/corpus/$target crashes=build-fuzz/crashes/$target
  mkdir -p "$corpus" "$crashes"
  local seed
  for seed in "$@"; do
    # Unique names: the node tests all call their file model.onnx.
    cp "$seed" "$corpus/$(echo "$seed" | md5sum | cut -c1-16)"
  done
  local log=build-fuzz/$target.log
  # Leaks are reported by LeakSanitizer in libraries we do not own (protobuf
  # singletons); crashes, overflows, hangs and OOM are what this checks.
  ASAN_OPTIONS=detect_leaks=0 "build-fuzz/bin/$target" "$corpus" \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=20 -rss_limit_mb=4096 \
    -artifact_prefix="$crashes/" -print_final_stats=1 > "$log" 2>&1 || true
  local execs crashes_found
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  crashes_found=$(find "$crashes" -type f | wc -l)
  echo "$target: ${execs:-0} executions in ${SECONDS_PER_TARGET} s, $crashes_found crashes"
}

node_models=$(find /usr/share/libonnx-testdata/data/node -name model.onnx 2> /dev/null | head -200 || true)
run onnx-import-fuzzer models/onnx/*.onnx test/Import/ONNX/broken/*.onnx $node_models
kws=../shared/models/mlperf_tiny_kws
run tflite-import-fuzzer test/Import/TFLite/broken/*.tflite test/Import/TFLite/Inputs/*.tflite \
  $(ls "$kws"/*.tflite 2> /dev/null || true)
