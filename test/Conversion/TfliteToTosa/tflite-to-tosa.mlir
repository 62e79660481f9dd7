// RUN: tinyq-opt %s --convert-tflite-to-tosa --split-input-file | FileCheck %s

// NHWC and OHWI already: no transposes. SAME on 5x5 with a 3x3 filter and
// stride 2 pads 1 on each side; the fused RELU6 is a clamp.
// CHECK-LABEL: func.func @conv_same_relu6
// CHECK-NOT: tosa.transpose
// CHECK: %[[C:.*]] = tosa.conv2d %arg0, %arg1, %arg2, {{.*}} pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : {{.*}} -> tensor<1x3x3x4xf32>
// CHECK: tosa.clamp %[[C]] {max_val = 6.000000e+00 : f32, min_val = 0.000000e+00 : f32}
func.func @conv_same_relu6(%x: tensor<1x5x5x2xf32>, %w: tensor<4x3x3x2xf32>, %b: tensor<4xf32>) -> tensor<1x3x3x4xf32> attributes {tinyq_frontend.format = "tflite"} {
  %0 = tinyq_frontend.node "tflite.CONV_2D"(%x, %w, %b) {tflite.padding = "SAME", tflite.stride_h = 2 : i64, tflite.stride_w = 2 : i64, tflite.dilation_h_factor = 1 : i64, tflite.dilation_w_factor = 1 : i64, tflite.fused_activation_function = "RELU6", tflite.version = 1 : i64} : (tensor<1x5x5x2xf32>, tensor<4x3x3x2xf32>, tensor<4xf32>) -> tensor<1x3x3x4xf32>
  return %0 : tensor<1x3x3x4xf32>
}

// -----

// Depthwise filter [1, KH, KW, C*M] -> [KH, KW, C, M] by a reshape; VALID.
// CHECK-LABEL: func.func @depthwise_valid
// CHECK: %[[F:.*]] = tosa.reshape %arg1, %{{.*}} : (tensor<1x3x3x4xf32>, !tosa.shape<4>) -> tensor<3x3x2x2xf32>
// CHECK: tosa.depthwise_conv2d %arg0, %[[F]], {{.*}} pad = array<i64: 0, 0, 0, 0>
// CHECK-SAME: -> tensor<1x4x4x4xf32>
func.func @depthwise_valid(%x: tensor<1x6x6x2xf32>, %w: tensor<1x3x3x4xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> attributes {tinyq_frontend.format = "tflite"} {
  %0 = tinyq_frontend.node "tflite.DEPTHWISE_CONV_2D"(%x, %w, %b) {tflite.padding = "VALID", tflite.stride_h = 1 : i64, tflite.stride_w = 1 : i64, tflite.depth_multiplier = 2 : i64, tflite.dilation_h_factor = 1 : i64, tflite.dilation_w_factor = 1 : i64, tflite.fused_activation_function = "NONE", tflite.version = 1 : i64} : (tensor<1x6x6x2xf32>, tensor<1x3x3x4xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Hybrid weights: an int8 constant with scale 0.5 and zero point 0 becomes
// the float constant of (q - z) * s, here [2, -4, 6, 0] * 0.5.
// FULLY_CONNECTED is [1, rows, K] x [1, K, O] plus the bias.
// CHECK-LABEL: func.func @fully_connected_hybrid
// CHECK-DAG: "tosa.const"() <{values = dense<{{\[\[}}1.000000e+00, -2.000000e+00], [3.000000e+00, 0.000000e+00]]> : tensor<2x2xf32>}>
// CHECK: tosa.matmul {{.*}} -> tensor<1x1x2xf32>
// CHECK: tosa.add {{.*}} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
func.func @fully_connected_hybrid(%x: tensor<1x2xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> attributes {tinyq_frontend.format = "tflite"} {
  %q = arith.constant dense<[[2, -4], [6, 0]]> : tensor<2x2xi8>
  %w = quant.scast %q : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8:f32, 0.5>>
  %0 = tinyq_frontend.node "tflite.FULLY_CONNECTED"(%x, %w, %b) {tflite.fused_activation_function = "NONE", tflite.weights_format = 0 : i64, tflite.keep_num_dims = false, tflite.version = 1 : i64} : (tensor<1x2xf32>, tensor<2x2x!quant.uniform<i8:f32, 0.5>>, tensor<2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

// TFLite's PAD paddings [[b0, e0], [b1, e1]] are TOSA's order already.
// CHECK-LABEL: func.func @pad_mean
// CHECK-DAG: %[[P:.*]] = tosa.const_shape {values = dense<[0, 0, 1, 2, 3, 0, 0, 0]> : tensor<8xindex>}
// CHECK: tosa.pad %arg0, %[[P]], %{{.*}} -> tensor<1x7x7x2xf32>
// CHECK: tosa.reduce_sum {{.*}} {axis = 1 : i32}
// CHECK: tosa.reduce_sum {{.*}} {axis = 2 : i32}
func.func @pad_mean(%x: tensor<1x4x4x2xf32>) -> (tensor<1x7x7x2xf32>, tensor<1x2xf32>) attributes {tinyq_frontend.format = "tflite"} {
  %p = arith.constant dense<[[0, 0], [1, 2], [3, 0], [0, 0]]> : tensor<4x2xi32>
  %0 = tinyq_frontend.node "tflite.PAD"(%x, %p) {tflite.version = 1 : i64} : (tensor<1x4x4x2xf32>, tensor<4x2xi32>) -> tensor<1x7x7x2xf32>
  %axes = arith.constant dense<[1, 2]> : tensor<2xi32>
  %1 = tinyq_frontend.node "tflite.MEAN"(%x, %axes) {tflite.keep_dims = false, tflite.version = 1 : i64} : (tensor<1x4x4x2xf32>, tensor<2xi32>) -> tensor<1x2xf32>
  return %0, %1 : tensor<1x7x7x2xf32>, tensor<1x2xf32>
}

// -----

// CHECK-LABEL: func.func @activations
// CHECK: tosa.sigmoid
// CHECK: tosa.clamp {{.*}} {max_val = 1.000000e+00 : f32, min_val = -1.000000e+00 : f32}
// CHECK: tosa.add
// CHECK: tosa.clamp {{.*}} {max_val = 0x7F800000 : f32, min_val = 0.000000e+00 : f32}
func.func @activations(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<2x3xf32> attributes {tinyq_frontend.format = "tflite"} {
  %0 = tinyq_frontend.node "tflite.LOGISTIC"(%x) {tflite.version = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = tinyq_frontend.node "tflite.RELU_N1_TO_1"(%0) {tflite.version = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = tinyq_frontend.node "tflite.ADD"(%1, %y) {tflite.fused_activation_function = "RELU", tflite.version = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %2 : tensor<2x3xf32>
}

// -----

// QUANTIZE of a float tensor and DEQUANTIZE of a quantized one keep their
// types as quant casts.
// CHECK-LABEL: func.func @quantize_dequantize
// CHECK: %[[Q:.*]] = quant.qcast %arg0 : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK: quant.dcast %[[Q]] : tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>> to tensor<4xf32>
func.func @quantize_dequantize(%x: tensor<4xf32>) -> tensor<4xf32> attributes {tinyq_frontend.format = "tflite"} {
  %0 = tinyq_frontend.node "tflite.QUANTIZE"(%x) {tflite.version = 1 : i64} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
  %1 = tinyq_frontend.node "tflite.DEQUANTIZE"(%0) {tflite.version = 2 : i64} : (tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}
