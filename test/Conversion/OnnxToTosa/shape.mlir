// RUN: tinyq-opt %s --convert-onnx-to-tosa --split-input-file | FileCheck %s

// PyTorch's x.view(x.size(0), -1): Shape -> Gather -> Unsqueeze -> Concat
// folds to a constant, and the Reshape uses the inferred shape.
// CHECK-LABEL: func.func @view_flatten
// CHECK-NOT: tinyq_frontend.node
// CHECK: %[[S:.*]] = tosa.const_shape {values = dense<[2, 48]> : tensor<2xindex>}
// CHECK: %[[R:.*]] = tosa.reshape %arg0, %[[S]] : (tensor<2x3x4x4xf32>, !tosa.shape<2>) -> tensor<2x48xf32>
// CHECK: return %[[R]]
func.func @view_flatten(%x: tensor<2x3x4x4xf32>) -> tensor<2x48xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %shape = tinyq_frontend.node "onnx.Shape"(%x) : (tensor<2x3x4x4xf32>) -> tensor<4xi64>
  %zero = arith.constant dense<0> : tensor<i64>
  %batch = tinyq_frontend.node "onnx.Gather"(%shape, %zero) {onnx.axis = 0 : i64} : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
  %axes = arith.constant dense<0> : tensor<1xi64>
  %b1 = tinyq_frontend.node "onnx.Unsqueeze"(%batch, %axes) : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %minus = arith.constant dense<-1> : tensor<1xi64>
  %target = tinyq_frontend.node "onnx.Concat"(%b1, %minus) {onnx.axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %0 = tinyq_frontend.node "onnx.Reshape"(%x, %target) : (tensor<2x3x4x4xf32>, tensor<2xi64>) -> tensor<2x48xf32>
  return %0 : tensor<2x48xf32>
}

// -----

// CHECK-LABEL: func.func @flatten_squeeze_unsqueeze
// CHECK: tosa.reshape %arg0, %{{.*}} -> tensor<2x48xf32>
// CHECK: tosa.reshape %arg1, %{{.*}} -> tensor<5xf32>
// CHECK: tosa.reshape %arg1, %{{.*}} -> tensor<1x5x1x1xf32>
func.func @flatten_squeeze_unsqueeze(%x: tensor<2x3x4x4xf32>, %y: tensor<1x5x1xf32>) -> (tensor<2x48xf32>, tensor<5xf32>, tensor<1x5x1x1xf32>) attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.Flatten"(%x) {onnx.axis = 1 : i64} : (tensor<2x3x4x4xf32>) -> tensor<2x48xf32>
  %axes = arith.constant dense<[0, 2]> : tensor<2xi64>
  %1 = tinyq_frontend.node "onnx.Squeeze"(%y, %axes) : (tensor<1x5x1xf32>, tensor<2xi64>) -> tensor<5xf32>
  %a3 = arith.constant dense<3> : tensor<1xi64>
  %2 = tinyq_frontend.node "onnx.Unsqueeze"(%y, %a3) : (tensor<1x5x1xf32>, tensor<1xi64>) -> tensor<1x5x1x1xf32>
  return %0, %1, %2 : tensor<2x48xf32>, tensor<5xf32>, tensor<1x5x1x1xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_concat
// CHECK: %[[T:.*]] = tosa.transpose %arg0 {perms = array<i32: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK: %[[R:.*]] = tosa.transpose %arg0 {perms = array<i32: 2, 1, 0>}
// CHECK: tosa.concat %[[T]], %[[T]] {axis = 2 : i32} : (tensor<4x2x3xf32>, tensor<4x2x3xf32>) -> tensor<4x2x6xf32>
func.func @transpose_concat(%x: tensor<2x3x4xf32>) -> (tensor<4x2x6xf32>, tensor<4x3x2xf32>) attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.Transpose"(%x) {onnx.perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = tinyq_frontend.node "onnx.Transpose"(%x) : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %2 = tinyq_frontend.node "onnx.Concat"(%0, %0) {onnx.axis = -1 : i64} : (tensor<4x2x3xf32>, tensor<4x2x3xf32>) -> tensor<4x2x6xf32>
  return %2, %1 : tensor<4x2x6xf32>, tensor<4x3x2xf32>
}

// -----

// ONNX pads [b0, b1, e0, e1] -> TOSA [b0, e0, b1, e1].
// CHECK-LABEL: func.func @pad
// CHECK-DAG: %[[VALUE:.*]] = "tosa.const"() <{values = dense<2.500000e+00> : tensor<1xf32>}>
// CHECK-DAG: %[[PADS:.*]] = tosa.const_shape {values = dense<[1, 3, 0, 2]> : tensor<4xindex>}
// CHECK: tosa.pad %arg0, %[[PADS]], %[[VALUE]] : (tensor<2x3xf32>, !tosa.shape<4>, tensor<1xf32>) -> tensor<6x5xf32>
func.func @pad(%x: tensor<2x3xf32>) -> tensor<6x5xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %pads = arith.constant dense<[1, 0, 3, 2]> : tensor<4xi64>
  %value = arith.constant dense<2.5> : tensor<f32>
  %0 = tinyq_frontend.node "onnx.Pad"(%x, %pads, %value) : (tensor<2x3xf32>, tensor<4xi64>, tensor<f32>) -> tensor<6x5xf32>
  return %0 : tensor<6x5xf32>
}

// -----

// Constant, Identity and inference Dropout.
// CHECK-LABEL: func.func @constant_identity_dropout
// CHECK: %[[C:.*]] = "tosa.const"() <{values = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>}>
// CHECK: %[[S:.*]] = tosa.add %arg0, %[[C]]
// CHECK: return %[[S]]
func.func @constant_identity_dropout(%x: tensor<2xf32>) -> tensor<2xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %c = tinyq_frontend.node "onnx.Constant"() {onnx.value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %i = tinyq_frontend.node "onnx.Identity"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  %d:2 = tinyq_frontend.node "onnx.Dropout"(%i) : (tensor<2xf32>) -> (tensor<2xf32>, tensor<2xi1>)
  %0 = tinyq_frontend.node "onnx.Add"(%d#0, %c) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Cast of constants folds; of tensors it is tosa.cast.
// CHECK-LABEL: func.func @cast
// CHECK-DAG: "tosa.const"() <{values = dense<[3.000000e+00, -1.000000e+00]> : tensor<2xf32>}>
// CHECK-DAG: tosa.cast %arg0 : (tensor<2xf32>) -> tensor<2xf16>
func.func @cast(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf16>) attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %c = arith.constant dense<[3, -1]> : tensor<2xi64>
  %0 = tinyq_frontend.node "onnx.Cast"(%c) {onnx.to = 1 : i64} : (tensor<2xi64>) -> tensor<2xf32>
  %1 = tinyq_frontend.node "onnx.Cast"(%x) {onnx.to = 10 : i64} : (tensor<2xf32>) -> tensor<2xf16>
  return %0, %1 : tensor<2xf32>, tensor<2xf16>
}
