// RUN: not tinyq-opt %s --convert-onnx-to-tosa --split-input-file --allow-unregistered-dialect 2>&1 | FileCheck %s

// One error per function, naming the operator, node and opset.

func.func @unknown_operator(%x: tensor<4xf32>) -> tensor<4xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  // CHECK: error: {{.*}}unsupported ONNX operator 'Erf' (opset 13) in node 'erf_node'
  %0 = tinyq_frontend.node "onnx.Erf"(%x) : (tensor<4xf32>) -> tensor<4xf32> loc("erf_node")
  return %0 : tensor<4xf32>
}

// -----

func.func @too_old_for_hard_swish(%x: tensor<4xf32>) -> tensor<4xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  // CHECK: error: {{.*}}unsupported ONNX operator 'HardSwish' (opset 13) in node 'hs'
  %0 = tinyq_frontend.node "onnx.HardSwish"(%x) : (tensor<4xf32>) -> tensor<4xf32> loc("hs")
  return %0 : tensor<4xf32>
}

// -----

func.func @other_domain(%x: tensor<4xf32>) -> tensor<4xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  // CHECK: error: {{.*}}unsupported ONNX operator 'com.microsoft.Gelu' (opset 13) in node 'gelu'
  %0 = tinyq_frontend.node "onnx.com.microsoft.Gelu"(%x) : (tensor<4xf32>) -> tensor<4xf32> loc("gelu")
  return %0 : tensor<4xf32>
}

// -----

func.func @clip_vector_bound(%x: tensor<4xf32>, %lo: tensor<2xf32>) -> tensor<4xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  // CHECK: error: {{.*}}cannot convert ONNX operator 'Clip' (opset 13) in node 'clip': min and max must be scalars of the input's element type
  %0 = tinyq_frontend.node "onnx.Clip"(%x, %lo) : (tensor<4xf32>, tensor<2xf32>) -> tensor<4xf32> loc("clip")
  return %0 : tensor<4xf32>
}

// -----

func.func @pad_reflect(%x: tensor<4xf32>) -> tensor<6xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %pads = arith.constant dense<[1, 1]> : tensor<2xi64>
  // CHECK: error: {{.*}}cannot convert ONNX operator 'Pad' (opset 13) in node 'pad': only mode 'constant' is supported, got 'reflect'
  %0 = tinyq_frontend.node "onnx.Pad"(%x, %pads) {onnx.mode = "reflect"} : (tensor<4xf32>, tensor<2xi64>) -> tensor<6xf32> loc("pad")
  return %0 : tensor<6xf32>
}

// -----

func.func @conv_mismatched_groups(%x: tensor<1x6x5x5xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x3x3xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  // CHECK: error: {{.*}}cannot convert ONNX operator 'Conv' (opset 13) in node 'conv': the weight shape does not match the input channels and the group count
  %0 = tinyq_frontend.node "onnx.Conv"(%x, %w) {onnx.group = 2 : i64} : (tensor<1x6x5x5xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x3x3xf32> loc("conv")
  return %0 : tensor<1x4x3x3xf32>
}

// -----

func.func @maxpool_indices(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  // CHECK: error: {{.*}}cannot convert ONNX operator 'MaxPool' (opset 13) in node 'pool': the Indices output is not supported
  %0:2 = tinyq_frontend.node "onnx.MaxPool"(%x) {onnx.kernel_shape = array<i64: 2, 2>, onnx.strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) loc("pool")
  "test.use"(%0#1) : (tensor<1x1x2x2xi64>) -> ()
  return %0#0 : tensor<1x1x2x2xf32>
}
