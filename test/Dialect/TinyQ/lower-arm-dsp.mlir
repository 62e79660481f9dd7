// RUN: tinyq-opt %s --tinyq-lower-arm-dsp --split-input-file | FileCheck %s

// Six outputs over a depth of 8, two rows: one tile of 4 channels, then 2
// channels one at a time. Weight words in loop order, little-endian: tile
// step 0 holds channels 0..3 bytes 0..3 ([1, 2, 3, 4] = 0x04030201 =
// 67305985; [-1, -2, -3, -4] = 0xFCFDFEFF; [0, 1, 0, 1] = 0x01000100;
// [127, -127, 1, 2] = 0x0201817F), step 1 their bytes 4..7, then channel
// 4's two words and channel 5's. The bias holds the zero-point term:
// 10 - (-128) * 36 = 4618, 20 + 128 * -36 = -4588, 30 + 128 * 4 = 542, ...
// CHECK-LABEL: func.func @fully_connected
// CHECK: arith.constant dense<[67305985, -50462977, 16777472, 33653119, 134678021, -117835013, 16777472, 100992003, 33686018, 33686018, 101124105, 33752069]> : tensor<12xi32>
// CHECK: arith.constant dense<[4618, -4588, 542, 2728, 2098, 5692]> : tensor<6xi32>
// Rows, then tiles of 4 channels [0, 4), then single channels [4, 6).
// CHECK: scf.for %[[ROW:.*]] = %c0 to %c2 step %c1
// CHECK: scf.for %{{.*}} = %c0 to %c4 step %c4
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args({{.*}}) -> (i32, i32, i32, i32)
// CHECK-COUNT-2: llvm.call_intrinsic "llvm.arm.sxtb16"
// CHECK-COUNT-8: llvm.call_intrinsic "llvm.arm.smlad"
// CHECK: scf.for %{{.*}} = %c4 to %c6 step %c1
// CHECK: tinyq.requantize
// CHECK-NOT: tinyq.fully_connected
func.func @fully_connected(%x: tensor<2x8xi8>) -> tensor<2x6xi8> {
  %w = arith.constant dense<[[1, 2, 3, 4, 5, 6, 7, 8], [-1, -2, -3, -4, -5, -6, -7, -8], [0, 1, 0, 1, 0, 1, 0, 1], [127, -127, 1, 2, 3, 4, 5, 6], [2, 2, 2, 2, 2, 2, 2, 2], [9, 8, 7, 6, 5, 4, 3, 2]]> : tensor<6x8xi8>
  %b = arith.constant dense<[10, 20, 30, 40, 50, 60]> : tensor<6xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(-128, 3) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<2x8xi8>, tensor<6x8xi8>, tensor<6xi32>) -> tensor<2x6xi8>
  return %0 : tensor<2x6xi8>
}

// -----

// int4: a word holds 8 weights, byte i = w[i] << 4 | (w[4 + i] & 15):
// [1, -2, 3, -4, 5, -6, 7, -8] gives bytes 0x15, 0xEA, 0x37, 0xC8 =
// 0xC837EA15. With one word, the rewrite's folding leaves its unpacked
// forms: high nibbles masked, 0xC030E010 = -1070538736, and rotated by 8,
// 0x10C030E0 = 281030880; low nibbles shifted up and masked, 0x8070A050 =
// -2140102576, and rotated, 0x508070A0 = 1350594720. The sums are 16
// times too large and shifted back.
// CHECK-LABEL: func.func @int4
// CHECK-DAG: arith.constant -1070538736 : i32
// CHECK-DAG: arith.constant 281030880 : i32
// CHECK-DAG: arith.constant -2140102576 : i32
// CHECK-DAG: arith.constant 1350594720 : i32
// CHECK-COUNT-4: llvm.call_intrinsic "llvm.arm.smlad"
// CHECK: arith.shrsi %{{.*}}, %c4_i32
func.func @int4(%x: tensor<1x8xi8>) -> tensor<1x1xi8> {
  %w = arith.constant dense<[[1, -2, 3, -4, 5, -6, 7, -8]]> : tensor<1x8xi4>
  %b = arith.constant dense<0> : tensor<1xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<1x8xi8>, tensor<1x8xi4>, tensor<1xi32>) -> tensor<1x1xi8>
  return %0 : tensor<1x1xi8>
}

// -----

// A pointwise convolution runs the same kernel over [N * H * W, C].
// CHECK-LABEL: func.func @pointwise
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] : tensor<1x2x3x4xi8> into tensor<6x4xi8>
// CHECK: llvm.call_intrinsic "llvm.arm.smlad"
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] output_shape [1, 2, 3, 4] : tensor<6x4xi32> into tensor<1x2x3x4xi32>
// CHECK: tinyq.requantize
func.func @pointwise(%x: tensor<1x2x3x4xi8>) -> tensor<1x2x3x4xi8> {
  %w = arith.constant dense<1> : tensor<4x1x1x4xi8>
  %b = arith.constant dense<0> : tensor<4xi32>
  %0 = tinyq.conv2d %x, %w, %b zero_points(-128, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] pad [0, 0, 0, 0] stride [1, 1] dilation [1, 1] : (tensor<1x2x3x4xi8>, tensor<4x1x1x4xi8>, tensor<4xi32>) -> tensor<1x2x3x4xi8>
  return %0 : tensor<1x2x3x4xi8>
}

// -----

// Depths that are not whole words, SPARQ layers and other convolutions
// stay for tinyq-lower-integer-ops.
// CHECK-LABEL: func.func @left_alone
// CHECK: tinyq.fully_connected
// CHECK: tinyq.conv2d
// CHECK-NOT: llvm.call_intrinsic
func.func @left_alone(%x: tensor<1x6xi8>, %y: tensor<1x4x4x4xi8>) -> (tensor<1x2xi8>, tensor<1x2x2x4xi8>) {
  %w = arith.constant dense<1> : tensor<2x6xi8>
  %b = arith.constant dense<0> : tensor<2xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<1x6xi8>, tensor<2x6xi8>, tensor<2xi32>) -> tensor<1x2xi8>
  %cw = arith.constant dense<1> : tensor<4x3x3x4xi8>
  %cb = arith.constant dense<0> : tensor<4xi32>
  %1 = tinyq.conv2d %y, %cw, %cb zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] pad [0, 0, 0, 0] stride [1, 1] dilation [1, 1] : (tensor<1x4x4x4xi8>, tensor<4x3x3x4xi8>, tensor<4xi32>) -> tensor<1x2x2x4xi8>
  return %0, %1 : tensor<1x2xi8>, tensor<1x2x2x4xi8>
}
