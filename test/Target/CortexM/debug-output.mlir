// REQUIRES: asserts
// -debug-only=tinyq-lower-cortex-m says, layer by layer, which kernel the
// lowering took and why, or why it left the layer to
// tinyq-lower-integer-ops (needs a TinyQ built with assertions).
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-lower-cortex-m -debug-only=tinyq-lower-cortex-m -o /dev/null 2>&1 | FileCheck %s --check-prefix=M4
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m55 --tinyq-lower-cortex-m -debug-only=tinyq-lower-cortex-m -o /dev/null 2>&1 | FileCheck %s --check-prefix=M55
// Other debug types stay quiet.
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-lower-cortex-m -debug-only=tinyq-fuse-qdq -o /dev/null 2>&1 | FileCheck %s --check-prefix=QUIET --allow-empty
// QUIET-NOT: tinyq-lower-cortex-m

func.func @choices(%x: tensor<1x16xi8>, %y: tensor<1x6xi8>) -> (tensor<1x4xi8>, tensor<1x2xi8>) {
  %w = arith.constant dense<1> : tensor<4x16xi8>
  %b = arith.constant dense<0> : tensor<4xi32>
  // A depth of 16: four words of int8 per channel; its 64 weights take 128
  // bytes as int16 halfword pairs, under the default unpacked-weights-limit,
  // and 4 channels make one tile. On the M55 the depth is one whole
  // 16-byte vector: Helium.
  // M4-DAG: tinyq.fully_connected loc({{.*}}debug-output.mlir":[[#@LINE+3]]:{{.*}}): int8 weights, runs of 16 in a depth of 16: int16 words (128 bytes as int16
  // M4-DAG: dense kernel, int16 words: 1 rows; 4 channels in 1 tiles of 4
  // M55-DAG: tinyq.fully_connected loc({{.*}}debug-output.mlir":[[#@LINE+1]]:{{.*}}): int8 weights, runs of 16 in a depth of 16: mve-bytes words (runs of whole 16-byte vectors)
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<1x16xi8>, tensor<4x16xi8>, tensor<4xi32>) -> tensor<1x4xi8>
  %v = arith.constant dense<1> : tensor<2x6xi8>
  %c = arith.constant dense<0> : tensor<2xi32>
  // A depth of 6 is not whole words of 4 bytes, on either core.
  // M4-DAG: tinyq.fully_connected loc({{.*}}debug-output.mlir":[[#@LINE+4]]:{{.*}}): int8 runs not whole words of 4
  // M4-DAG: tinyq.fully_connected loc({{.*}}debug-output.mlir":[[#@LINE+3]]:{{.*}}): left to tinyq-lower-integer-ops
  // M55-DAG: tinyq.fully_connected loc({{.*}}debug-output.mlir":[[#@LINE+2]]:{{.*}}): int8 runs not whole words of 4
  // M55-DAG: tinyq.fully_connected loc({{.*}}debug-output.mlir":[[#@LINE+1]]:{{.*}}): left to tinyq-lower-integer-ops
  %1 = tinyq.fully_connected %y, %v, %c zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<1x6xi8>, tensor<2x6xi8>, tensor<2xi32>) -> tensor<1x2xi8>
  return %0, %1 : tensor<1x4xi8>, tensor<1x2xi8>
}
