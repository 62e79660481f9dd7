// RUN: tinyq-opt %s --tinyq-insert-observers --split-input-file | FileCheck %s
// RUN: tinyq-opt %s --tinyq-insert-observers --tinyq-insert-observers --split-input-file | FileCheck %s

// Arguments and TOSA results, in program order; constants are not observed,
// nor is an addition whose only user is its activation (fused), and running
// the pass twice changes nothing.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[X:.*]]: tensor<1x4xf32>)
// CHECK: %[[X0:.*]] = tinyq.observe %[[X]] id 0 : tensor<1x4xf32>
// CHECK: %[[C:.*]] = "tosa.const"
// CHECK-NOT: tinyq.observe %[[C]]
// CHECK: %[[A:.*]] = tosa.add %[[X0]], %[[C]]
// CHECK-NOT: tinyq.observe %[[A]]
// CHECK: %[[R:.*]] = tosa.clamp %[[A]]
// CHECK: %[[R1:.*]] = tinyq.observe %[[R]] id 1 : tensor<1x4xf32>
// CHECK: %[[E:.*]] = tosa.exp %[[R1]]
// CHECK: %[[E2:.*]] = tinyq.observe %[[E]] id 2 : tensor<1x4xf32>
// CHECK: return %[[E2]]
// CHECK-NOT: tinyq.observe
func.func @chain(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %c = "tosa.const"() <{values = dense<1.0> : tensor<1x4xf32>}> : () -> tensor<1x4xf32>
  %0 = tosa.add %x, %c : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  %1 = tosa.clamp %0 {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %2 = tosa.exp %1 : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %2 : tensor<1x4xf32>
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

// -----

// A matmul reaching its constant bias through a reshape is fused, and so is
// its bias addition feeding a clamp; reshapes and transposes share their
// input's quantization. An addition with two users is observed.
// CHECK-LABEL: func.func @fused
// CHECK: tinyq.observe %arg0 id 0
// CHECK: %[[M:.*]] = tosa.matmul
// CHECK-NOT: tinyq.observe %[[M]]
// CHECK: %[[R:.*]] = tosa.reshape %[[M]]
// CHECK-NOT: tinyq.observe %[[R]]
// CHECK: %[[A:.*]] = tosa.add %[[R]]
// CHECK-NOT: tinyq.observe %[[A]]
// CHECK: %[[C:.*]] = tosa.clamp %[[A]]
// CHECK: %[[C1:.*]] = tinyq.observe %[[C]] id 1
// CHECK: %[[T:.*]] = tosa.transpose %[[C1]]
// CHECK-NOT: tinyq.observe %[[T]]
// CHECK: %[[S:.*]] = tosa.add %[[T]], %[[T]]
// CHECK: tinyq.observe %[[S]] id 2
func.func @fused(%x: tensor<1x1x8xf32>) -> (tensor<4x1xf32>, tensor<4x1xf32>) {
  %w = "tosa.const"() <{values = dense<0.5> : tensor<1x8x4xf32>}> : () -> tensor<1x8x4xf32>
  %b = "tosa.const"() <{values = dense<0.25> : tensor<1x4xf32>}> : () -> tensor<1x4xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shape = tosa.const_shape {values = dense<[1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %0 = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x8xf32>, tensor<1x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32>
  %1 = tosa.reshape %0, %shape : (tensor<1x1x4xf32>, !tosa.shape<2>) -> tensor<1x4xf32>
  %2 = tosa.add %1, %b : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  %3 = tosa.clamp %2 {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %4 = tosa.transpose %3 {perms = array<i32: 1, 0>} : (tensor<1x4xf32>) -> tensor<4x1xf32>
  %5 = tosa.add %4, %4 : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  return %5, %5 : tensor<4x1xf32>, tensor<4x1xf32>
}
