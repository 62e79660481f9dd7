#!/usr/bin/env bash
# Installs what is missing, configures (once) and builds TinyQ.
# BUILD_DIR (default build), TINYQ_CC / TINYQ_CXX (default clang-22) override.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

BUILD_DIR=${BUILD_DIR:-build}
# ccache hashes paths relative to the checkout, so that clones at other
# paths (CI's) reuse what this machine compiled.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
CC=${TINYQ_CC:-clang-22}
CXX=${TINYQ_CXX:-clang++-22}
extra=()
if [[ "$CXX" == clang* ]]; then
  extra+=(-DLLVM_ENABLE_LLD=ON)
fi

mkdir -p "$BUILD_DIR"
cmake -G Ninja -S . -B "$BUILD_DIR" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  "${extra[@]}" > "$BUILD_DIR/configure.log" 2>&1 ||
  { cat "$BUILD_DIR/configure.log"; exit 1; }
cmake --build "$BUILD_DIR"
