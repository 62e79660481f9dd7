// RUN: tinyq-opt %s --tinyq-expose-observers --split-input-file | FileCheck %s

// Observed values become extra results in id order, tagged with their ids.
// CHECK-LABEL: func.func @main
// CHECK-SAME: -> (tensor<4xf32>, tensor<4xf32> {tinyq.observe_id = 1 : i64}, tensor<4xf32> {tinyq.observe_id = 5 : i64})
// CHECK-NOT: tinyq.observe
// CHECK: %[[A:.*]] = tosa.abs %arg0
// CHECK: return %[[A]], %arg0, %[[A]]
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tinyq.observe %x id 1 : tensor<4xf32>
  %1 = tosa.abs %0 : (tensor<4xf32>) -> tensor<4xf32>
  %2 = tinyq.observe %1 id 5 : tensor<4xf32>
  return %2 : tensor<4xf32>
}
