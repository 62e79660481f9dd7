// RUN: tinyq-opt %s --convert-onnx-to-tosa --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[SHAPE:.*]] = tosa.const_shape {values = dense<[1, 3]> : tensor<2xindex>}
// CHECK: %[[B2:.*]] = tosa.reshape %[[B]], %[[SHAPE]] : (tensor<3xf32>, !tosa.shape<2>) -> tensor<1x3xf32>
// CHECK: %[[R:.*]] = tosa.add %[[A]], %[[B2]] : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
// CHECK: return %[[R]]
func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.Add"(%a, %b) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @sub_mul
// CHECK: %[[SHIFT:.*]] = "tosa.const"() <{values = dense<0> : tensor<1xi8>}>
// CHECK: %[[S:.*]] = tosa.sub %arg0, %arg1
// CHECK: tosa.mul %[[S]], %arg1, %[[SHIFT]]
func.func @sub_mul(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 14 : i64} {
  %0 = tinyq_frontend.node "onnx.Sub"(%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = tinyq_frontend.node "onnx.Mul"(%0, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// a / b = a * reciprocal(b)
// CHECK-LABEL: func.func @div
// CHECK: %[[R:.*]] = tosa.reciprocal %arg1
// CHECK: tosa.mul %arg0, %[[R]]
func.func @div(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.Div"(%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @relu_clip
// CHECK: %[[R:.*]] = tosa.clamp %arg0 {max_val = 0x7F800000 : f32, min_val = 0.000000e+00 : f32}
// CHECK: tosa.clamp %[[R]] {max_val = 6.000000e+00 : f32, min_val = 0xFF800000 : f32}
func.func @relu_clip(%x: tensor<4xf32>) -> tensor<4xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %none = tinyq_frontend.none
  %max = arith.constant dense<6.0> : tensor<f32>
  %0 = tinyq_frontend.node "onnx.Relu"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = tinyq_frontend.node "onnx.Clip"(%0, %none, %max) : (tensor<4xf32>, none, tensor<f32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// LeakyRelu: x >= 0 ? x : alpha * x
// CHECK-LABEL: func.func @leaky_relu
// CHECK-DAG: %[[ALPHA:.*]] = "tosa.const"() <{values = dense<1.000000e-01> : tensor<1xf32>}>
// CHECK-DAG: %[[ZERO:.*]] = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}>
// CHECK: %[[SCALED:.*]] = tosa.mul %arg0, %[[ALPHA]]
// CHECK: %[[GE:.*]] = tosa.greater_equal %arg0, %[[ZERO]] : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xi1>
// CHECK: tosa.select %[[GE]], %arg0, %[[SCALED]]
func.func @leaky_relu(%x: tensor<4xf32>) -> tensor<4xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.LeakyRelu"(%x) {onnx.alpha = 0.1 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// HardSwish: x * clamp(x / 6 + 1/2, 0, 1)
// CHECK-LABEL: func.func @hard_swish
// CHECK-DAG: %[[SIXTH:.*]] = "tosa.const"() <{values = dense<0.166666672> : tensor<1xf32>}>
// CHECK-DAG: %[[HALF:.*]] = "tosa.const"() <{values = dense<5.000000e-01> : tensor<1xf32>}>
// CHECK: %[[S:.*]] = tosa.mul %arg0, %[[SIXTH]]
// CHECK: %[[A:.*]] = tosa.add %[[S]], %[[HALF]]
// CHECK: %[[C:.*]] = tosa.clamp %[[A]] {max_val = 1.000000e+00 : f32, min_val = 0.000000e+00 : f32}
// CHECK: tosa.mul %arg0, %[[C]]
func.func @hard_swish(%x: tensor<4xf32>) -> tensor<4xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 14 : i64} {
  %0 = tinyq_frontend.node "onnx.HardSwish"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @sigmoid_tanh_hard_sigmoid
// CHECK-DAG: %[[ALPHA:.*]] = "tosa.const"() <{values = dense<2.500000e-01> : tensor<1xf32>}>
// CHECK-DAG: %[[BETA:.*]] = "tosa.const"() <{values = dense<1.250000e-01> : tensor<1xf32>}>
// CHECK: %[[S:.*]] = tosa.sigmoid %arg0
// CHECK: %[[T:.*]] = tosa.tanh %[[S]]
// CHECK: %[[M:.*]] = tosa.mul %[[T]], %[[ALPHA]]
// CHECK: %[[A:.*]] = tosa.add %[[M]], %[[BETA]]
// CHECK: tosa.clamp %[[A]] {max_val = 1.000000e+00 : f32, min_val = 0.000000e+00 : f32}
func.func @sigmoid_tanh_hard_sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.Sigmoid"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = tinyq_frontend.node "onnx.Tanh"(%0) : (tensor<4xf32>) -> tensor<4xf32>
  %2 = tinyq_frontend.node "onnx.HardSigmoid"(%1) {onnx.alpha = 0.25 : f32, onnx.beta = 0.125 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// Bounds given as tensors become a maximum and a minimum.
// CHECK-LABEL: func.func @clip_tensor_bounds
// CHECK: %[[C:.*]] = tosa.clamp %arg0 {max_val = 0x7F800000 : f32, min_val = 0xFF800000 : f32}
// CHECK: %[[LO:.*]] = tosa.reshape %arg1, %{{.*}} : (tensor<f32>, !tosa.shape<1>) -> tensor<1xf32>
// CHECK: %[[M:.*]] = tosa.maximum %[[C]], %[[LO]]
// CHECK: %[[HI:.*]] = tosa.reshape %arg2
// CHECK: tosa.minimum %[[M]], %[[HI]]
func.func @clip_tensor_bounds(%x: tensor<4xf32>, %lo: tensor<f32>, %hi: tensor<f32>) -> tensor<4xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.Clip"(%x, %lo, %hi) : (tensor<4xf32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
