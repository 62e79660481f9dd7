// RUN: tinyq-opt %s --tinyq-insert-observers --split-input-file | FileCheck %s
// RUN: tinyq-opt %s --tinyq-insert-observers --tinyq-insert-observers --split-input-file | FileCheck %s

// Arguments and TOSA results, in program order; constants are not observed,
// and running the pass twice changes nothing.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[X:.*]]: tensor<1x4xf32>)
// CHECK: %[[X0:.*]] = tinyq.observe %[[X]] id 0 : tensor<1x4xf32>
// CHECK: %[[C:.*]] = "tosa.const"
// CHECK-NOT: tinyq.observe %[[C]]
// CHECK: %[[A:.*]] = tosa.add %[[X0]], %[[C]]
// CHECK: %[[A1:.*]] = tinyq.observe %[[A]] id 1 : tensor<1x4xf32>
// CHECK: %[[R:.*]] = tosa.clamp %[[A1]]
// CHECK: %[[R2:.*]] = tinyq.observe %[[R]] id 2 : tensor<1x4xf32>
// CHECK: return %[[R2]]
// CHECK-NOT: tinyq.observe
func.func @chain(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %c = "tosa.const"() <{values = dense<1.0> : tensor<1x4xf32>}> : () -> tensor<1x4xf32>
  %0 = tosa.add %x, %c : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  %1 = tosa.clamp %0 {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %1 : tensor<1x4xf32>
}

// -----

// Numbering continues after existing ids; integer tensors are not observed.
// CHECK-LABEL: func.func @existing
// CHECK: tinyq.observe %arg0 id 7
// CHECK-NOT: tinyq.observe %arg1
// CHECK: tosa.abs
// CHECK: tinyq.observe %{{.*}} id 8
func.func @existing(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %0 = tinyq.observe %x id 7 : tensor<4xf32>
  %1 = tosa.abs %0 : (tensor<4xf32>) -> tensor<4xf32>
  return %1, %i : tensor<4xf32>, tensor<4xi32>
}
