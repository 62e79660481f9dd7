// RUN: tinyq-opt %s --canonicalize --split-input-file | FileCheck %s

// Constant folding of tinyq operations. Expected values are worked out by
// hand from the numerics contract in each case's comment.

// Upstream folds dcast(qcast(x)) to x; tinyq.fake_quant stays.
// CHECK-LABEL: func.func @fake_quant_is_not_folded_away
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK: %[[F:.*]] = tinyq.fake_quant %[[X]] as !quant.uniform<i8:f32, 1.000000e-01:-3>
// CHECK: return %[[F]], %[[X]]
func.func @fake_quant_is_not_folded_away(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = tinyq.fake_quant %x as !quant.uniform<i8:f32, 0.1:-3> : tensor<4xf32>
  %1 = quant.qcast %x : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.1:-3>>
  %2 = quant.dcast %1 : tensor<4x!quant.uniform<i8:f32, 0.1:-3>> to tensor<4xf32>
  return %0, %2 : tensor<4xf32>, tensor<4xf32>
}

// -----

// s = 0.5, z = 1, i4 [-8, 7]:
//   0.25 -> 0.5 -> 0 (tie to even) -> 1 -> 0.0
//   0.75 -> 1.5 -> 2 (tie to even) -> 3 -> 1.0
//   -1.3 -> -2.6 -> -3 -> -2 -> -1.5
//   100  -> 200 -> clamp 7 -> (7 - 1) * 0.5 = 3.0
//   -100 -> clamp -8 -> (-8 - 1) * 0.5 = -4.5
// CHECK-LABEL: func.func @fold_fake_quant_per_tensor
// CHECK: %[[C:.*]] = arith.constant dense<[0.000000e+00, 1.000000e+00, -1.500000e+00, 3.000000e+00, -4.500000e+00]> : tensor<5xf32>
// CHECK-NOT: tinyq.fake_quant
// CHECK: return %[[C]]
func.func @fold_fake_quant_per_tensor() -> tensor<5xf32> {
  %c = arith.constant dense<[0.25, 0.75, -1.3, 100.0, -100.0]> : tensor<5xf32>
  %0 = tinyq.fake_quant %c as !quant.uniform<i4:f32, 0.5:1> : tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// Narrow range [-7, 7] and per-column scales 1 and 0.25:
//   row 0: 3.4 -> 3; 3.4 / 0.25 = 13.6 -> clamp 7 -> 1.75
//   row 1: -9 -> clamp -7; 0.3 / 0.25 = 1.2 -> 1 -> 0.25
// CHECK-LABEL: func.func @fold_fake_quant_per_axis
// CHECK: arith.constant dense<{{\[}}[3.000000e+00, 1.750000e+00], [-7.000000e+00, 2.500000e-01]]> : tensor<2x2xf32>
func.func @fold_fake_quant_per_axis() -> tensor<2x2xf32> {
  %c = arith.constant dense<[[3.4, 3.4], [-9.0, 0.3]]> : tensor<2x2xf32>
  %0 = tinyq.fake_quant %c as !quant.uniform<i4<-7:7>:f32:1, {1.0, 0.25}> : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// A splat folds to a splat: 0.3 / 0.1 = 2.9999998 -> 3 -> 0.3 (f32).
// CHECK-LABEL: func.func @fold_fake_quant_splat
// CHECK: arith.constant dense<3.000000e-01> : tensor<8xf32>
func.func @fold_fake_quant_splat() -> tensor<8xf32> {
  %c = arith.constant dense<0.3> : tensor<8xf32>
  %0 = tinyq.fake_quant %c as !quant.uniform<i8:f32, 0.1> : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Multiplier 2^30 with shift -2 is 0.125; zero point 3; clamp [-128, 127]:
//   100 * 0.125 = 12.5 -> 13 (SRDHM rounds 0.5 up at its own step: 100 * 2^30
//   / 2^31 = 50 exactly, then 50 / 4 = 12.5 rounds away from zero) -> 16
//   -100 -> -12.5 -> -13 -> -10
//   5000 -> 625 -> 628 -> clamp 127
//   -5000 -> -625 -> -622 -> clamp -128
// CHECK-LABEL: func.func @fold_requantize_per_tensor
// CHECK: arith.constant dense<[16, -10, 127, -128]> : tensor<4xi8>
func.func @fold_requantize_per_tensor() -> tensor<4xi8> {
  %c = arith.constant dense<[100, -100, 5000, -5000]> : tensor<4xi32>
  %0 = tinyq.requantize %c multiplier [1073741824] shift [-2] zero_point 3 clamp [-128, 127] : tensor<4xi32> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// Per channel on axis 1: channel 0 halves (2^30, 0), channel 1 doubles
// (2^30, 2); int4 output with clamp [-7, 7]:
//   [6, 3] -> [3, 6]; [-5, -4] -> [-2.5 -> -2, -8 -> clamp -7]
// With shift 0 only the doubling high multiply rounds, and its ties go
// toward +infinity, so -2.5 becomes -2.
// CHECK-LABEL: func.func @fold_requantize_per_channel_int4
// CHECK: arith.constant dense<{{\[}}[3, 6], [-2, -7]]> : tensor<2x2xi4>
func.func @fold_requantize_per_channel_int4() -> tensor<2x2xi4> {
  %c = arith.constant dense<[[6, 3], [-5, -4]]> : tensor<2x2xi32>
  %0 = tinyq.requantize %c multiplier [1073741824, 1073741824] shift [0, 2] zero_point 0 clamp [-7, 7] axis 1 : tensor<2x2xi32> -> tensor<2x2xi4>
  return %0 : tensor<2x2xi4>
}

// -----

// A zero multiplier maps everything to the zero point.
// CHECK-LABEL: func.func @fold_requantize_zero_multiplier
// CHECK: arith.constant dense<-5> : tensor<3xi16>
func.func @fold_requantize_zero_multiplier() -> tensor<3xi16> {
  %c = arith.constant dense<[2147483647, -2147483648, 7]> : tensor<3xi32>
  %0 = tinyq.requantize %c multiplier [0] shift [0] zero_point -5 clamp [-32768, 32767] : tensor<3xi32> -> tensor<3xi16>
  return %0 : tensor<3xi16>
}

// -----

// 4-bit windows at shifts {0, 2, 4}, nearest_even, zero point -128 so the
// magnitudes are x + 128:
//   -128 -> 0 -> 0 -> -128
//   -113 -> 15 (fits at shift 0) -> 15 -> -113
//   -28 -> 100 = 0b1100100: shift 4, round bit 3 is 0 -> 96 -> -32
//   127 -> 255: shift 4, rounds to 256, saturates to 240 -> 112
//   -77 -> 51 = 0b110011: shift 2, window 0b1100xx, round bit 1 set, sticky
//          bit 0 set -> 52 -> -76
// CHECK-LABEL: func.func @fold_sparq_bit
// CHECK: arith.constant dense<[-128, -113, -32, 112, -76]> : tensor<5xi8>
func.func @fold_sparq_bit() -> tensor<5xi8> {
  %c = arith.constant dense<[-128, -113, -28, 127, -77]> : tensor<5xi8>
  %0 = tinyq.sparq %c <bits = 4, shifts = [0, 2, 4], rounding = nearest_even> zero_point -128 : tensor<5xi8>
  return %0 : tensor<5xi8>
}

// -----

// vSPARQ with 2-bit windows over rows of 3 (pairs (0,1) and (2, virtual 0)):
//   row 0: (0, 45): 45 = 0b101101 with a zero partner goes through the 4-bit
//          5opt window: shift 2, 0b1011 with round bit 0 -> 44; then 45 is
//          alone -> 44 again.
//   row 1: (12, 3): both non-zero, 2-bit windows: 12 = 0b1100 -> 12;
//          3 -> 3; 200 alone -> 4-bit window at shift 4: 0b1100 + round bit
//          (bit 3) 1 with sticky 0 and even lsb -> 192.
// CHECK-LABEL: func.func @fold_sparq_pairs
// CHECK: arith.constant dense<{{\[}}[0, 44, 44], [12, 3, 192]]> : tensor<2x3xi32>
func.func @fold_sparq_pairs() -> tensor<2x3xi32> {
  %c = arith.constant dense<[[0, 45, 45], [12, 3, 200]]> : tensor<2x3xi32>
  %0 = tinyq.sparq %c <bits = 2, shifts = [0, 1, 2, 3, 4, 5, 6], rounding = nearest_even, pairs = true> : tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// Magnitudes below 0 clamp to 0 and above 255 to 255; with zero point 0 on
// i16: -7 -> 0; 300 -> 255 -> 4-bit truncate at shift 4 -> 240.
// CHECK-LABEL: func.func @fold_sparq_clamps_magnitudes
// CHECK: arith.constant dense<[0, 240]> : tensor<2xi16>
func.func @fold_sparq_clamps_magnitudes() -> tensor<2xi16> {
  %c = arith.constant dense<[-7, 300]> : tensor<2xi16>
  %0 = tinyq.sparq %c <bits = 4, shifts = [0, 4], rounding = truncate> : tensor<2xi16>
  return %0 : tensor<2xi16>
}

// -----

// Nothing folds without constants; observe is never folded.
// CHECK-LABEL: func.func @no_fold_without_constants
// CHECK: tinyq.observe
// CHECK: tinyq.requantize
// CHECK: tinyq.sparq
func.func @no_fold_without_constants(%x: tensor<4xf32>, %a: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi8>, tensor<4xi8>) {
  %0 = tinyq.observe %x id 0 : tensor<4xf32>
  %1 = tinyq.requantize %a multiplier [1073741824] shift [0] zero_point 0 clamp [-128, 127] : tensor<4xi32> -> tensor<4xi8>
  %2 = tinyq.sparq %1 <bits = 4, shifts = [0, 4], rounding = truncate> : tensor<4xi8>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xi8>, tensor<4xi8>
}

// -----

// An int8 input with zero point -10 rescaled by 1.25 (multiplier 1342177280
// = 0.625 * 2^31 with shift 1) into zero point 0:
//   (-10 + 10) * 1.25 = 0; (6 + 10) * 1.25 = 20; (127 + 10) * 1.25 = 171.25
//   -> clamp 127; (-128 + 10) * 1.25 = -147.5 -> clamp -128.
// CHECK-LABEL: func.func @fold_requantize_int8
// CHECK: arith.constant dense<[0, 20, 127, -128]> : tensor<4xi8>
func.func @fold_requantize_int8() -> tensor<4xi8> {
  %c = arith.constant dense<[-10, 6, 127, -128]> : tensor<4xi8>
  %0 = tinyq.requantize %c input_zero_point -10 multiplier [1342177280] shift [1] zero_point 0 clamp [-128, 127] : tensor<4xi8> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}
