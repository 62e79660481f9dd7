// RUN: not tinyq-opt %s --convert-tflite-to-tosa --split-input-file 2>&1 | FileCheck %s

func.func @unknown_operator(%x: tensor<4xf32>) -> tensor<4xf32> attributes {tinyq_frontend.format = "tflite"} {
  // CHECK: error: {{.*}}unsupported TFLite operator 'SQUARE' (version 1) writing tensor 'sq'
  %0 = tinyq_frontend.node "tflite.SQUARE"(%x) {tflite.version = 1 : i64} : (tensor<4xf32>) -> tensor<4xf32> loc("sq")
  return %0 : tensor<4xf32>
}

// -----

// Quantized operators without a quantized form (dequantize, float operator,
// quantize) stay unconverted.
func.func @quantized_sub(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> attributes {tinyq_frontend.format = "tflite"} {
  // CHECK: error: {{.*}}cannot convert TFLite operator 'SUB' (version 2) writing tensor 'difference': expects static float32 operands (quantized operators take the quantized path)
  %0 = tinyq_frontend.node "tflite.SUB"(%x, %x) {tflite.fused_activation_function = "NONE", tflite.version = 2 : i64} : (tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> loc("difference")
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @conv_bad_filter(%x: tensor<1x5x5x2xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x3x3x4xf32> attributes {tinyq_frontend.format = "tflite"} {
  // CHECK: error: {{.*}}cannot convert TFLite operator 'CONV_2D' (version 1) writing tensor 'conv': the filter shape does not match the input channels
  %none = tinyq_frontend.none
  %0 = tinyq_frontend.node "tflite.CONV_2D"(%x, %w, %none) {tflite.padding = "VALID", tflite.stride_h = 1 : i64, tflite.stride_w = 1 : i64, tflite.fused_activation_function = "NONE", tflite.version = 1 : i64} : (tensor<1x5x5x2xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x3x3x4xf32> loc("conv")
  return %0 : tensor<1x3x3x4xf32>
}
