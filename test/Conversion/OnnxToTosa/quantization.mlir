// RUN: tinyq-opt %s --convert-onnx-to-tosa --split-input-file | FileCheck %s

// Constant scale and zero point become the !quant.uniform type; uint8
// storage passes through tensor.bitcast (quant.scast takes signless types).
// CHECK-LABEL: func.func @quantize_linear_uint8
// CHECK: %[[Q:.*]] = quant.qcast %arg0 : tensor<6xf32> to tensor<6x!quant.uniform<u8:f32, 2.000000e+00:128>>
// CHECK: %[[S:.*]] = quant.scast %[[Q]] : tensor<6x!quant.uniform<u8:f32, 2.000000e+00:128>> to tensor<6xi8>
// CHECK: tensor.bitcast %[[S]] : tensor<6xi8> to tensor<6xui8>
func.func @quantize_linear_uint8(%x: tensor<6xf32>) -> tensor<6xui8> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %s = arith.constant dense<2.0> : tensor<f32>
  %z = arith.constant dense<128> : tensor<ui8>
  %0 = tinyq_frontend.node "onnx.QuantizeLinear"(%x, %s, %z) : (tensor<6xf32>, tensor<f32>, tensor<ui8>) -> tensor<6xui8>
  return %0 : tensor<6xui8>
}

// -----

// A 1-D scale is per axis (axis 1 by default).
// CHECK-LABEL: func.func @dequantize_linear_per_axis
// CHECK: %[[S:.*]] = quant.scast %arg0 : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32:1, {5.000000e-01:1,2.500000e-01:-2,1.000000e+00:3}>>
// CHECK: quant.dcast %[[S]] : tensor<2x3x!quant.uniform<i8:f32:1, {5.000000e-01:1,2.500000e-01:-2,1.000000e+00:3}>> to tensor<2x3xf32>
func.func @dequantize_linear_per_axis(%x: tensor<2x3xi8>) -> tensor<2x3xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %s = arith.constant dense<[0.5, 0.25, 1.0]> : tensor<3xf32>
  %z = arith.constant dense<[1, -2, 3]> : tensor<3xi8>
  %0 = tinyq_frontend.node "onnx.DequantizeLinear"(%x, %s, %z) : (tensor<2x3xi8>, tensor<3xf32>, tensor<3xi8>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// QLinearMatMul: dequantize both operands, MatMul in float, quantize.
// Scales are float32 in ONNX: 0.1 widens to 0.10000000149011612.
// CHECK-LABEL: func.func @qlinear_matmul
// CHECK-DAG: quant.dcast %{{.*}} : tensor<2x4x!quant.uniform<i8:f32, 0.10000000149011612:-1>> to tensor<2x4xf32>
// CHECK-DAG: quant.dcast %{{.*}} : tensor<4x3x!quant.uniform<i8:f32, 0.20000000298023224>> to tensor<4x3xf32>
// CHECK: tosa.matmul
// CHECK: quant.qcast %{{.*}} : tensor<2x3xf32> to tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:4>>
func.func @qlinear_matmul(%a: tensor<2x4xi8>, %b: tensor<4x3xi8>) -> tensor<2x3xi8> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %as = arith.constant dense<0.1> : tensor<f32>
  %az = arith.constant dense<-1> : tensor<i8>
  %bs = arith.constant dense<0.2> : tensor<f32>
  %bz = arith.constant dense<0> : tensor<i8>
  %ys = arith.constant dense<0.5> : tensor<f32>
  %yz = arith.constant dense<4> : tensor<i8>
  %0 = tinyq_frontend.node "onnx.QLinearMatMul"(%a, %as, %az, %b, %bs, %bz, %ys, %yz) : (tensor<2x4xi8>, tensor<f32>, tensor<i8>, tensor<4x3xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<i8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

// QLinearConv with a per-channel weight and an int32 bias whose scales are
// x_scale * w_scale[c] = 0.5 * {0.25, 0.125}.
// CHECK-LABEL: func.func @qlinear_conv
// CHECK-DAG: quant.scast %{{.*}} : tensor<2xi32> to tensor<2x!quant.uniform<i32:f32:0, {1.250000e-01,6.250000e-02}>>
// CHECK-DAG: quant.scast %{{.*}} : tensor<2x1x1x1xi8> to tensor<2x1x1x1x!quant.uniform<i8:f32:0, {2.500000e-01,1.250000e-01}>>
// CHECK: tosa.conv2d
// CHECK: quant.qcast %{{.*}} : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!quant.uniform<i8:f32, 1.000000e+00>>
func.func @qlinear_conv(%x: tensor<1x1x2x2xi8>, %w: tensor<2x1x1x1xi8>, %b: tensor<2xi32>) -> tensor<1x2x2x2xi8> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %xs = arith.constant dense<0.5> : tensor<f32>
  %xz = arith.constant dense<0> : tensor<i8>
  %ws = arith.constant dense<[0.25, 0.125]> : tensor<2xf32>
  %wz = arith.constant dense<[0, 0]> : tensor<2xi8>
  %ys = arith.constant dense<1.0> : tensor<f32>
  %yz = arith.constant dense<0> : tensor<i8>
  %0 = tinyq_frontend.node "onnx.QLinearConv"(%x, %xs, %xz, %w, %ws, %wz, %ys, %yz, %b) : (tensor<1x1x2x2xi8>, tensor<f32>, tensor<i8>, tensor<2x1x1x1xi8>, tensor<2xf32>, tensor<2xi8>, tensor<f32>, tensor<i8>, tensor<2xi32>) -> tensor<1x2x2x2xi8>
  return %0 : tensor<1x2x2x2xi8>
}

// -----

// QuantizeLinear -> DequantizeLinear keeps its quantization: no folding of
// scast(scast(x)) or dcast(qcast(x)) happens during conversion.
// CHECK-LABEL: func.func @quantize_dequantize_chain
// CHECK: %[[Q:.*]] = quant.qcast %arg0
// CHECK: %[[S:.*]] = quant.scast %[[Q]] {{.*}} to tensor<4xi8>
// CHECK: %[[B:.*]] = quant.scast %[[S]] {{.*}} to tensor<4x!quant.uniform<i8:f32, 2.500000e-01:3>>
// CHECK: quant.dcast %[[B]]
func.func @quantize_dequantize_chain(%x: tensor<4xf32>) -> tensor<4xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %s = arith.constant dense<0.25> : tensor<f32>
  %z = arith.constant dense<3> : tensor<i8>
  %0 = tinyq_frontend.node "onnx.QuantizeLinear"(%x, %s, %z) : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  %1 = tinyq_frontend.node "onnx.DequantizeLinear"(%0, %s, %z) : (tensor<4xi8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}
