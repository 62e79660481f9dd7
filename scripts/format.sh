#!/usr/bin/env bash
# Formats every C++ file of the repository with clang-format-22 (LLVM style).
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -co --exclude-standard '*.cpp' '*.h' | xargs clang-format-22 -i
