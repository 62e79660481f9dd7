// RUN: tinyq-opt %s --convert-onnx-to-tosa --split-input-file | FileCheck %s

// y = x * s + t with s = scale / sqrt(var + eps), t = B - mean * s:
//   channel 0: scale 2, var 3 (+ eps 1) -> s = 1; B 1, mean 4 -> t = -3
//   channel 1: scale 1, var 15 (+ eps 1) -> s = 0.25; B 0, mean 8 -> t = -2
// CHECK-LABEL: func.func @batch_norm
// CHECK-DAG: %[[S:.*]] = "tosa.const"() <{values = dense<{{\[\[\[}}[1.000000e+00]], {{\[\[}}2.500000e-01]]]]> : tensor<1x2x1x1xf32>}>
// CHECK-DAG: %[[T:.*]] = "tosa.const"() <{values = dense<{{\[\[\[}}[-3.000000e+00]], {{\[\[}}-2.000000e+00]]]]> : tensor<1x2x1x1xf32>}>
// CHECK: %[[M:.*]] = tosa.mul %arg0, %[[S]]
// CHECK: tosa.add %[[M]], %[[T]]
func.func @batch_norm(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 15 : i64} {
  %scale = arith.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %b = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = arith.constant dense<[4.0, 8.0]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %0 = tinyq_frontend.node "onnx.BatchNormalization"(%x, %scale, %b, %mean, %var) {onnx.epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Softmax along the last axis: exp(x - max) * 1 / sum.
// CHECK-LABEL: func.func @softmax
// CHECK: %[[MAX:.*]] = tosa.reduce_max %arg0 {axis = 1 : i32} : (tensor<2x10xf32>) -> tensor<2x1xf32>
// CHECK: %[[D:.*]] = tosa.sub %arg0, %[[MAX]]
// CHECK: %[[E:.*]] = tosa.exp %[[D]]
// CHECK: %[[SUM:.*]] = tosa.reduce_sum %[[E]] {axis = 1 : i32}
// CHECK: %[[INV:.*]] = tosa.reciprocal %[[SUM]]
// CHECK: tosa.mul %[[E]], %[[INV]]
func.func @softmax(%x: tensor<2x10xf32>) -> tensor<2x10xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.Softmax"(%x) : (tensor<2x10xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// Before opset 13, Softmax's axis (default 1) coerces to 2-D first.
// CHECK-LABEL: func.func @softmax_opset_11
// CHECK: %[[F:.*]] = tosa.reshape %arg0, %{{.*}} -> tensor<2x12xf32>
// CHECK: tosa.reduce_max %[[F]] {axis = 1 : i32}
// CHECK: tosa.reshape {{.*}} -> tensor<2x3x4xf32>
func.func @softmax_opset_11(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 11 : i64} {
  %0 = tinyq_frontend.node "onnx.Softmax"(%x) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// ReduceMean over H and W without keepdims: sums, times 1/(4*5), reshape.
// CHECK-LABEL: func.func @reduce_mean
// CHECK-DAG: %[[K:.*]] = "tosa.const"() <{values = dense<5.000000e-02> : tensor<1x1x1x1xf32>}>
// CHECK: %[[A:.*]] = tosa.reduce_sum %arg0 {axis = 2 : i32} : (tensor<1x3x4x5xf32>) -> tensor<1x3x1x5xf32>
// CHECK: %[[B:.*]] = tosa.reduce_sum %[[A]] {axis = 3 : i32} : (tensor<1x3x1x5xf32>) -> tensor<1x3x1x1xf32>
// CHECK: %[[M:.*]] = tosa.mul %[[B]], %[[K]]
// CHECK: tosa.reshape %[[M]], %{{.*}} -> tensor<1x3xf32>
func.func @reduce_mean(%x: tensor<1x3x4x5xf32>) -> tensor<1x3xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.ReduceMean"(%x) {onnx.axes = array<i64: -2, -1>, onnx.keepdims = 0 : i64} : (tensor<1x3x4x5xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}
