// RUN: tinyq-opt %s --tinyq-copy-aliased-results --split-input-file | FileCheck %s

// An argument and a value returned twice get copies; the first return of a
// value and non-tensor results stay as they are.
// CHECK-LABEL: func.func @aliased
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[I:.*]]: i32)
// CHECK: %[[A:.*]] = tosa.abs %[[X]]
// CHECK: %[[E0:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[C0:.*]] = linalg.copy ins(%[[X]] : tensor<4xf32>) outs(%[[E0]] : tensor<4xf32>)
// CHECK: %[[E1:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[C1:.*]] = linalg.copy ins(%[[A]] : tensor<4xf32>) outs(%[[E1]] : tensor<4xf32>)
// CHECK: return %[[C0]], %[[A]], %[[C1]], %[[I]]
func.func @aliased(%x: tensor<4xf32>, %i: i32) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, i32) {
  %0 = tosa.abs %x : (tensor<4xf32>) -> tensor<4xf32>
  return %x, %0, %0, %i : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, i32
}

// -----

// Distinct computed results are left alone.
// CHECK-LABEL: func.func @distinct
// CHECK-NOT: linalg.copy
func.func @distinct(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = tosa.abs %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = tosa.exp %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}
