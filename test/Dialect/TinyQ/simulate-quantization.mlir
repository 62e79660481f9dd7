// RUN: tinyq-opt %s --tinyq-simulate-quantization --split-input-file --verify-diagnostics | FileCheck %s
// RUN: tinyq-opt %s --tinyq-simulate-quantization="weight-bits=4 activation-bits=4 per-tensor=true" --split-input-file --verify-diagnostics | FileCheck %s --check-prefix=W4A4

// Activations: [0, 1] at 8 bits has scale 1/255 (float32
// 0.0039215688593685627) and zero point -128; at 4 bits 1/15 and -8.
// Weights: per output channel, absolute maxima 0.5 and 2 over 127 (float32
// 0.0039370078593492508 and 0.015748031437397003); per tensor at 4 bits,
// 2 / 7 (float32 0.28571429848670959).
// CHECK-LABEL: func.func @conv
// CHECK: %[[X:.*]] = tinyq.fake_quant %arg0 as !quant.uniform<i8:f32, 0.0039215688593685627:-128>
// CHECK: %[[W:.*]] = tinyq.fake_quant %{{.*}} as !quant.uniform<i8<-127:127>:f32:0, {0.0039370078593492508,0.015748031437397003}>
// CHECK: tosa.conv2d %[[X]], %[[W]]
// CHECK-NOT: tinyq.observe
// W4A4-LABEL: func.func @conv
// W4A4: tinyq.fake_quant %arg0 as !quant.uniform<i8<-8:7>:f32, 0.066666670143604279:-8>
// W4A4: tinyq.fake_quant %{{.*}} as !quant.uniform<i4<-7:7>:f32, 0.28571429848670959>
func.func @conv(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x2xf32> {
  %0 = tinyq.observe %x id 0 range <min = 0.0, max = 1.0, samples = 4> : tensor<1x2x2x1xf32>
  %w = "tosa.const"() <{values = dense<[[[[0.5]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>}> : () -> tensor<2x1x1x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %1 = tosa.conv2d %0, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  return %1 : tensor<1x2x2x2xf32>
}

// -----

// Depthwise weights are quantized along their channel axis, matmul weights
// along their output axis.
// CHECK-LABEL: func.func @depthwise_matmul
// CHECK: tinyq.fake_quant %{{.*}} as !quant.uniform<i8<-127:127>:f32:2, {0.0078740157186985015,0.023622047156095505}>
// CHECK: tosa.depthwise_conv2d
// CHECK: tinyq.fake_quant %{{.*}} as !quant.uniform<i8<-127:127>:f32:2, {0.0078740157186985015,0.031496062874794006}>
// CHECK: tosa.matmul
func.func @depthwise_matmul(%x: tensor<1x1x1x2xf32>, %y: tensor<1x1x2xf32>) -> (tensor<1x1x1x2xf32>, tensor<1x1x2xf32>) {
  %w = "tosa.const"() <{values = dense<[[[[1.0], [-3.0]]]]> : tensor<1x1x2x1xf32>}> : () -> tensor<1x1x2x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<1x1x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %m = "tosa.const"() <{values = dense<[[[1.0, 4.0], [-0.5, 0.0]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %1 = tosa.matmul %y, %m, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %0, %1 : tensor<1x1x1x2xf32>, tensor<1x1x2xf32>
}

// -----

func.func @uncalibrated(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{calibration point without a range: calibrate first}}
  %0 = tinyq.observe %x id 0 : tensor<4xf32>
  return %0 : tensor<4xf32>
}
