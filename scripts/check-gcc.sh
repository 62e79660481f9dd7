#!/usr/bin/env bash
# Builds TinyQ a second way, with g++ 12 and assertions
# (-DTINYQ_ENABLE_ASSERTIONS=ON: assert()s and the LLVM_DEBUG output
# compiled in), and runs the FileCheck and GoogleTest suites on it
# (check-tinyq-unit; the integration suite runs in the clang build).
# C++ leaves some orders to the compiler (the evaluation of function
# arguments), so IR that depends on one would differ here.
# GCC_BUILD_DIR (default build-gcc) overrides the build directory; the
# data scripts/check.sh fetched (build/data) serve unless TINYQ_DATA_DIR
# names other.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

BUILD_DIR=${GCC_BUILD_DIR:-build-gcc}
# ccache hashes paths relative to the checkout, so that clones at other
# paths (CI's) reuse what this machine compiled.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
mkdir -p "$BUILD_DIR"
cmake -G Ninja -S . -B "$BUILD_DIR" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=gcc-12 -DCMAKE_CXX_COMPILER=g++-12 \
  -DTINYQ_ENABLE_ASSERTIONS=ON > "$BUILD_DIR/configure.log" 2>&1 ||
  { cat "$BUILD_DIR/configure.log"; exit 1; }
export TINYQ_DATA_DIR=${TINYQ_DATA_DIR:-$PWD/build/data}
log="$BUILD_DIR/check-tinyq-unit.log"
cmake --build "$BUILD_DIR" --target check-tinyq-unit 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
filecheck=$(grep -c '^PASS: TinyQ :: ' "$log" || true)
echo
echo "g++ 12 build with assertions: $filecheck FileCheck tests passed;" \
  "$(sed -n 's/^  Passed *: *\([0-9]*\).*/\1/p' "$log" | tail -1) lit tests" \
  "passed in all (GoogleTest cases included)"
exit "$status"
