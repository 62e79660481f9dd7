#!/usr/bin/env bash
# Builds TinyQ and runs every test: the FileCheck suite (test/), the
# integration suite (integration_test/: models compiled and run on the host
# and in QEMU) and the GoogleTest suite, all through `ninja check-tinyq`.
# Prints the counts of each and a closing "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh || exit 1
# Real data for the accuracy tests; without it they are reported unsupported.
bash scripts/fetch-data.sh || echo "check: could not fetch MNIST; its tests will be skipped"

BUILD_DIR=${BUILD_DIR:-build}
log="$BUILD_DIR/check-tinyq.log"
cmake --build "$BUILD_DIR" --target check-tinyq 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# lit's summary counts individual GoogleTest cases; its per-test lines name
# FileCheck tests one by one but GoogleTest binaries only by shard.
# lit aligns the colons when it prints several categories.
summary() { sed -n "s/^  $1 *: *\([0-9]*\).*/\1/p" "$log" | tail -1; }
total_passed=$(summary Passed)
skipped=$(( $(summary Unsupported || true) + 0 ))
failed=$(( $(summary Failed) + $(summary 'Unexpectedly Passed') + $(summary Unresolved) + $(summary 'Timed Out') + 0 ))
total_passed=${total_passed:-0}
lit_passed=$(grep -c '^PASS: TinyQ :: ' "$log")
integration_passed=$(grep -c '^PASS: TinyQ-Integration :: ' "$log")
unit_passed=$((total_passed - lit_passed - integration_passed))
echo
echo "lit (FileCheck) tests: $lit_passed passed"
echo "integration tests: $integration_passed passed"
echo "GoogleTest tests: $unit_passed passed"
echo "$((lit_passed + integration_passed + unit_passed)) passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
