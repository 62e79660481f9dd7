// RUN: tinyq-opt %s --tinyq-quantize --split-input-file --verify-diagnostics | FileCheck %s
// RUN: tinyq-opt %s --tinyq-quantize="weight-bits=4 activation-bits=4 per-tensor=true" --split-input-file --verify-diagnostics | FileCheck %s --check-prefix=W4A4

// The types are those of simulate-quantization.mlir. Integer weights, by
// hand: 0.5 / (0.5 / 127) = 127 and -2 / (2 / 127) = -127; per tensor at 4
// bits with scale 2 / 7: 0.5 * 3.5 = 1.75 -> 2, -2 -> -7.
// CHECK-LABEL: func.func @conv
// CHECK: %[[Q:.*]] = quant.qcast %arg0 : tensor<1x2x2x1xf32> to tensor<1x2x2x1x!quant.uniform<i8:f32, 0.0039215688593685627:-128>>
// CHECK: %[[I:.*]] = quant.scast %[[Q]] : {{.*}} to tensor<1x2x2x1xi8>
// CHECK: %[[Q2:.*]] = quant.scast %[[I]] : tensor<1x2x2x1xi8> to tensor<1x2x2x1x!quant.uniform<i8:f32, 0.0039215688593685627:-128>>
// CHECK: %[[X:.*]] = quant.dcast %[[Q2]] : {{.*}} to tensor<1x2x2x1xf32>
// CHECK: %[[WI:.*]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}127]]], {{\[\[\[}}-127]]]]> : tensor<2x1x1x1xi8>}>
// CHECK: %[[WQ:.*]] = quant.scast %[[WI]] : tensor<2x1x1x1xi8> to tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.0039370078593492508,0.015748031437397003}>>
// CHECK: %[[W:.*]] = quant.dcast %[[WQ]]
// CHECK: tosa.conv2d %[[X]], %[[W]]
// CHECK-NOT: tinyq.observe
// W4A4-LABEL: func.func @conv
// W4A4: quant.qcast %arg0 : tensor<1x2x2x1xf32> to tensor<1x2x2x1x!quant.uniform<i8<-8:7>:f32, 0.066666670143604279:-8>>
// W4A4: "tosa.const"() <{values = dense<{{\[\[\[\[}}2]]], {{\[\[\[}}-7]]]]> : tensor<2x1x1x1xi4>}>
// W4A4: quant.scast %{{.*}} : tensor<2x1x1x1xi4> to tensor<2x1x1x1x!quant.uniform<i4<-7:7>:f32, 0.28571429848670959>>
func.func @conv(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x2xf32> {
  %0 = tinyq.observe %x id 0 range <min = 0.0, max = 1.0, samples = 4> : tensor<1x2x2x1xf32>
  %w = "tosa.const"() <{values = dense<[[[[0.5]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>}> : () -> tensor<2x1x1x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %1 = tosa.conv2d %0, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  return %1 : tensor<1x2x2x2xf32>
}

// -----

// Matmul weights per output column: column 0 has scale 1 / 127, so -0.5 is
// -63.5 steps and rounds to the even -64; column 1 has scale 4 / 127.
// CHECK-LABEL: func.func @matmul
// CHECK: "tosa.const"() <{values = dense<{{\[\[\[}}127, 127], [-64, 0]]]> : tensor<1x2x2xi8>}>
// CHECK: quant.scast %{{.*}} : tensor<1x2x2xi8> to tensor<1x2x2x!quant.uniform<i8<-127:127>:f32:2, {0.0078740157186985015,0.031496062874794006}>>
// CHECK: tosa.matmul
func.func @matmul(%y: tensor<1x1x2xf32>) -> tensor<1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %m = "tosa.const"() <{values = dense<[[[1.0, 4.0], [-0.5, 0.0]]]> : tensor<1x2x2xf32>}> : () -> tensor<1x2x2xf32>
  %0 = tosa.matmul %y, %m, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %0 : tensor<1x1x2xf32>
}

// -----

func.func @uncalibrated(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{calibration point without a range: calibrate first}}
  %0 = tinyq.observe %x id 0 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A layer's own tinyq.precision overrides the pass options: the conv's
// weights are 4-bit per tensor (scale 2 / 7: 0.5 -> 1.75 -> 2, -2 -> -7)
// under the default 8-bit per-channel pass as under the W4A4 one.
// CHECK-LABEL: func.func @layer_precision
// CHECK: "tosa.const"() <{values = dense<{{\[\[\[\[}}2]]], {{\[\[\[}}-7]]]]> : tensor<2x1x1x1xi4>}>
// W4A4-LABEL: func.func @layer_precision
// W4A4: "tosa.const"() <{values = dense<{{\[\[\[\[}}2]]], {{\[\[\[}}-7]]]]> : tensor<2x1x1x1xi4>}>
func.func @layer_precision(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x2xf32> {
  %0 = tinyq.observe %x id 0 range <min = 0.0, max = 1.0, samples = 4> : tensor<1x2x2x1xf32>
  %w = "tosa.const"() <{values = dense<[[[[0.5]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>}> : () -> tensor<2x1x1x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %1 = tosa.conv2d %0, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, tinyq.precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_tensor>} : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  return %1 : tensor<1x2x2x2xf32>
}
