// RUN: tinyq-opt %s --tinyq-sink-transposes --split-input-file | FileCheck %s

// NHWC conv -> NCHW relu -> NHWC pool: the transposes meet and cancel.
// CHECK-LABEL: func.func @cancel_around_relu
// CHECK-NOT: tosa.transpose
// CHECK: %[[R:.*]] = tosa.clamp %arg0 {{.*}} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
// CHECK: return %[[R]]
func.func @cancel_around_relu(%x: tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32> {
  %0 = tosa.transpose %x {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x8x8x4xf32>) -> tensor<1x4x8x8xf32>
  %1 = tosa.clamp %0 {max_val = 3.0e+38 : f32, min_val = 0.0 : f32} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %2 = tosa.transpose %1 {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x8x8x4xf32>
  return %2 : tensor<1x8x8x4xf32>
}

// -----

// A per-channel constant [1, C, 1, 1] (batch norm) is permuted to
// [1, 1, 1, C]; a residual add of two equally transposed values sinks too.
// CHECK-LABEL: func.func @constant_and_residual
// CHECK-DAG: %[[C:.*]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}1.000000e+00, 2.000000e+00]]]]> : tensor<1x1x1x2xf32>}>
// CHECK: %[[M:.*]] = tosa.mul %arg0, %[[C]], %{{.*}} : (tensor<1x3x3x2xf32>, tensor<1x1x1x2xf32>, tensor<1xi8>) -> tensor<1x3x3x2xf32>
// CHECK: %[[A:.*]] = tosa.add %[[M]], %arg1 : (tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
// CHECK: %[[T:.*]] = tosa.transpose %[[A]] {perms = array<i32: 0, 3, 1, 2>}
// CHECK: return %[[T]]
func.func @constant_and_residual(%x: tensor<1x3x3x2xf32>, %y: tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32> {
  %c = "tosa.const"() <{values = dense<[[[[1.0]], [[2.0]]]]> : tensor<1x2x1x1xf32>}> : () -> tensor<1x2x1x1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %0 = tosa.transpose %x {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  %1 = tosa.mul %0, %c, %shift : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>, tensor<1xi8>) -> tensor<1x2x3x3xf32>
  %2 = tosa.transpose %y {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  %3 = tosa.add %1, %2 : (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %3 : tensor<1x2x3x3xf32>
}

// -----

// Different permutations, or a non-constant untransposed operand, stay.
// CHECK-LABEL: func.func @no_sink_mixed
// CHECK: tosa.transpose
// CHECK: tosa.add
func.func @no_sink_mixed(%x: tensor<2x3xf32>, %y: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %0 = tosa.transpose %x {perms = array<i32: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %1 = tosa.add %0, %y : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  return %1 : tensor<3x2xf32>
}

// -----

// Transposes of constants fold: element [i][j] moves to [j][i].
// CHECK-LABEL: func.func @fold_constant
// CHECK: "tosa.const"() <{values = dense<{{\[\[}}1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>}>
// CHECK-NOT: tosa.transpose
func.func @fold_constant() -> tensor<3x2xf32> {
  %c = "tosa.const"() <{values = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>}> : () -> tensor<2x3xf32>
  %0 = tosa.transpose %c {perms = array<i32: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}
