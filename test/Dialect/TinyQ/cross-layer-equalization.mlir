// RUN: tinyq-opt %s --tinyq-cross-layer-equalization --split-input-file | FileCheck %s

// A's output channel ranges are [4, 1], B's input channel ranges [1, 4]:
// s = [sqrt(4 / 1), sqrt(1 / 4)] = [2, 0.5]. A's weights and bias are
// divided by s ([4, 1] -> [2, 2], [2, 1] -> [1, 2]), B's input channels
// multiplied by it ([1, 4] -> [2, 2]); then s = 1 and nothing moves.
// CHECK-LABEL: func.func @conv_relu_conv
// CHECK-DAG: %[[WA:.*]] = "tosa.const"() <{values = dense<2.000000e+00> : tensor<2x1x1x1xf32>}>
// CHECK-DAG: %[[BA:.*]] = "tosa.const"() <{values = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>}>
// CHECK: %[[A:.*]] = tosa.conv2d %arg0, %[[WA]], %[[BA]]
// CHECK: %[[R:.*]] = tosa.clamp %[[A]]
// CHECK: %[[WB:.*]] = "tosa.const"() <{values = dense<2.000000e+00> : tensor<1x1x1x2xf32>}>
// CHECK: tosa.conv2d %[[R]], %[[WB]]
func.func @conv_relu_conv(%x: tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32> {
  %wa = "tosa.const"() <{values = dense<[[[[4.0]]], [[[1.0]]]]> : tensor<2x1x1x1xf32>}> : () -> tensor<2x1x1x1xf32>
  %ba = "tosa.const"() <{values = dense<[2.0, 1.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %wb = "tosa.const"() <{values = dense<[[[[1.0, 4.0]]]]> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %bb = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.conv2d %x, %wa, %ba, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %1 = tosa.clamp %0 {max_val = 0x7F800000 : f32, min_val = 0.0 : f32} : (tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32>
  %2 = tosa.conv2d %1, %wb, %bb, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  return %2 : tensor<1x1x1x1xf32>
}

// -----

// ReLU6 is not positively homogeneous, and a ReLU output used twice cannot
// be rescaled: both pairs stay as they are.
// CHECK-LABEL: func.func @not_pairs
// CHECK-DAG: "tosa.const"() <{values = dense<{{\[\[\[\[}}4.000000e+00]]], {{\[\[\[}}1.000000e+00]]]]>
// CHECK-DAG: "tosa.const"() <{values = dense<{{\[\[\[\[}}1.000000e+00, 4.000000e+00]]]]>
func.func @not_pairs(%x: tensor<1x1x1x1xf32>) -> (tensor<1x1x1x1xf32>, tensor<1x1x1x2xf32>) {
  %wa = "tosa.const"() <{values = dense<[[[[4.0]]], [[[1.0]]]]> : tensor<2x1x1x1xf32>}> : () -> tensor<2x1x1x1xf32>
  %ba = "tosa.const"() <{values = dense<[2.0, 1.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %wb = "tosa.const"() <{values = dense<[[[[1.0, 4.0]]]]> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %bb = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.conv2d %x, %wa, %ba, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %1 = tosa.clamp %0 {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32>
  %2 = tosa.conv2d %1, %wb, %bb, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  %3 = tosa.conv2d %x, %wa, %ba, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %4 = tosa.clamp %3 {max_val = 0x7F800000 : f32, min_val = 0.0 : f32} : (tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32>
  %5 = tosa.conv2d %4, %wb, %bb, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  return %2, %4 : tensor<1x1x1x1xf32>, tensor<1x1x1x2xf32>
}
