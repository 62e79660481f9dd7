// RUN: tinyq-opt %s --tinyq-lower-integer-ops --split-input-file --verify-diagnostics | FileCheck %s

// A fully connected layer with SPARQ activations is the plain layer over
// tinyq.sparq of its input; tinyq.sparq with pairs becomes one elementwise
// generic over [rows, K/2, 2] (an odd K padded with the zero point), whose
// window shift comes from comparisons with 2^(s + n): for 5opt and n = 4,
// 16, 32, 64 and 128 (no table).
// CHECK-LABEL: func.func @fully_connected
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : i32
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : i32
// CHECK-DAG: %[[C64:.*]] = arith.constant 64 : i32
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : i32
// CHECK: %[[PADDED:.*]] = tensor.pad %{{.*}} low[0, 0] high[0, 1]
// CHECK: %[[PAIRS:.*]] = tensor.expand_shape %[[PADDED]] {{\[\[}}0], [1, 2]] output_shape [3, 2, 2] : tensor<3x4xi8> into tensor<3x2x2xi8>
// CHECK: linalg.generic {{.*}} ins(%[[PAIRS]], %[[PAIRS]] : tensor<3x2x2xi8>, tensor<3x2x2xi8>)
// CHECK: linalg.index 2
// CHECK: arith.cmpi slt, %[[A:.*]], %[[C128]]
// CHECK: arith.cmpi slt, %[[A]], %[[C64]]
// CHECK: arith.cmpi slt, %[[A]], %[[C32]]
// CHECK: arith.cmpi slt, %[[A]], %[[C16]]
// CHECK: tensor.collapse_shape
// CHECK: tensor.extract_slice {{.*}} to tensor<3x3xi8>
// CHECK-NOT: tinyq.sparq
// CHECK-NOT: tinyq.fully_connected
// CHECK-NOT: memref.global
func.func @fully_connected(%x: tensor<3x3xi8>) -> tensor<3x2xi8> {
  %w = "tosa.const"() <{values = dense<[[1, 2, 3], [-1, 0, 1]]> : tensor<2x3xi8>}> : () -> tensor<2x3xi8>
  %b = "tosa.const"() <{values = dense<0> : tensor<2xi32>}> : () -> tensor<2xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(-128, 0) multiplier [1073741824] shift [0] clamp [-128, 127] {sparq = #tinyq.sparq<bits = 4, shifts = [0, 1, 2, 3, 4], rounding = nearest_even, pairs = true>} : (tensor<3x3xi8>, tensor<2x3xi8>, tensor<2xi32>) -> tensor<3x2xi8>
  return %0 : tensor<3x2xi8>
}

// -----

// A depthwise layer's vSPARQ rows are its window taps (3x3 = 9, an odd
// row: the last tap pairs with a virtual zero): the windows are gathered as
// [N, OH, OW, C, KH, KW], coded as rows of 9 (padded to 10, viewed as 5
// pairs), moved taps-first and reduced by a 1x9 depthwise layer.
// CHECK-LABEL: func.func @depthwise_pairs
// CHECK: %[[WINDOWS:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<1x4x4x2xi8>) outs(%{{.*}} : tensor<1x2x2x2x3x3xi8>)
// CHECK: tensor.collapse_shape %[[WINDOWS]] {{\[\[}}0], [1], [2], [3], [4, 5]] : tensor<1x2x2x2x3x3xi8> into tensor<1x2x2x2x9xi8>
// CHECK: tensor.pad {{.*}} high[0, 0, 0, 0, 1]
// CHECK: tensor.expand_shape {{.*}} into tensor<1x2x2x2x5x2xi8>
// CHECK: linalg.index 5
// CHECK: linalg.transpose {{.*}} permutation = [0, 1, 2, 4, 3]
// CHECK: tensor.expand_shape {{.*}} into tensor<4x1x9x2xi8>
// CHECK-NOT: tinyq.
// CHECK: return
func.func @depthwise_pairs(%x: tensor<1x4x4x2xi8>) -> tensor<1x2x2x2xi8> {
  %w = "tosa.const"() <{values = dense<1> : tensor<3x3x2xi8>}> : () -> tensor<3x3x2xi8>
  %b = "tosa.const"() <{values = dense<0> : tensor<2xi32>}> : () -> tensor<2xi32>
  %0 = tinyq.depthwise_conv2d %x, %w, %b zero_points(-128, 0) multiplier [1073741824] shift [0] clamp [-128, 127] pad [0, 0, 0, 0] stride [1, 1] dilation [1, 1] {sparq = #tinyq.sparq<bits = 4, shifts = [0, 2, 4], rounding = truncate, pairs = true>} : (tensor<1x4x4x2xi8>, tensor<3x3x2xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi8>
  return %0 : tensor<1x2x2x2xi8>
}

// -----

func.func @zero_point(%x: tensor<3x4xi8>) -> tensor<3x2xi8> {
  %w = "tosa.const"() <{values = dense<1> : tensor<2x4xi8>}> : () -> tensor<2x4xi8>
  %b = "tosa.const"() <{values = dense<0> : tensor<2xi32>}> : () -> tensor<2xi32>
  // expected-error @+1 {{SPARQ needs the input zero point -128 (a range starting at 0), not -3}}
  %0 = tinyq.fully_connected %x, %w, %b zero_points(-3, 0) multiplier [1073741824] shift [0] clamp [-128, 127] {sparq = #tinyq.sparq<bits = 4, shifts = [0, 4], rounding = truncate>} : (tensor<3x4xi8>, tensor<2x4xi8>, tensor<2xi32>) -> tensor<3x2xi8>
  return %0 : tensor<3x2xi8>
}
