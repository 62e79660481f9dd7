// RUN: tinyq-opt %s --convert-onnx-to-tosa --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @max_pool
// CHECK: %[[T:.*]] = tosa.transpose %arg0 {perms = array<i32: 0, 2, 3, 1>}
// CHECK: %[[P:.*]] = tosa.max_pool2d %[[T]] {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x28x28x16xf32>) -> tensor<1x14x14x16xf32>
// CHECK: tosa.transpose %[[P]] {perms = array<i32: 0, 3, 1, 2>}
func.func @max_pool(%x: tensor<1x16x28x28xf32>) -> tensor<1x16x14x14xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.MaxPool"(%x) {onnx.kernel_shape = array<i64: 2, 2>, onnx.strides = array<i64: 2, 2>} : (tensor<1x16x28x28xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// -----

// ceil_mode rounds the output up with end padding: 5x5, kernel 2, stride 2
// -> 3x3 (floor would give 2x2).
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK: tosa.max_pool2d {{.*}} pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>} : (tensor<1x5x5x1xf32>) -> tensor<1x3x3x1xf32>
func.func @max_pool_ceil(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.MaxPool"(%x) {onnx.kernel_shape = array<i64: 2, 2>, onnx.strides = array<i64: 2, 2>, onnx.ceil_mode = 1 : i64} : (tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// count_include_pad = 0 is TOSA's own rule: padding stays in the pool.
// CHECK-LABEL: func.func @avg_pool_exclude_pad
// CHECK: tosa.avg_pool2d {{.*}} {acc_type = f32, kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}
func.func @avg_pool_exclude_pad(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.AveragePool"(%x) {onnx.kernel_shape = array<i64: 3, 3>, onnx.pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// count_include_pad = 1 pads with zeros explicitly, then pools unpadded.
// CHECK-LABEL: func.func @avg_pool_include_pad
// CHECK: %[[PADDED:.*]] = tosa.pad %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x4x4x2xf32>, !tosa.shape<8>, tensor<1xf32>) -> tensor<1x6x6x2xf32>
// CHECK: tosa.avg_pool2d %[[PADDED]], {{.*}} pad = array<i64: 0, 0, 0, 0>
func.func @avg_pool_include_pad(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.AveragePool"(%x) {onnx.kernel_shape = array<i64: 3, 3>, onnx.pads = array<i64: 1, 1, 1, 1>, onnx.count_include_pad = 1 : i64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @global_pools
// CHECK: tosa.avg_pool2d {{.*}} kernel = array<i64: 7, 5>, {{.*}} -> tensor<1x1x1x32xf32>
// CHECK: tosa.max_pool2d {{.*}}kernel = array<i64: 7, 5>, {{.*}} -> tensor<1x1x1x32xf32>
func.func @global_pools(%x: tensor<1x32x7x5xf32>) -> (tensor<1x32x1x1xf32>, tensor<1x32x1x1xf32>) attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.GlobalAveragePool"(%x) : (tensor<1x32x7x5xf32>) -> tensor<1x32x1x1xf32>
  %1 = tinyq_frontend.node "onnx.GlobalMaxPool"(%x) : (tensor<1x32x7x5xf32>) -> tensor<1x32x1x1xf32>
  return %0, %1 : tensor<1x32x1x1xf32>, tensor<1x32x1x1xf32>
}
