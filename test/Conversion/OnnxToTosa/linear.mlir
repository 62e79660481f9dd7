// RUN: tinyq-opt %s --convert-onnx-to-tosa --split-input-file | FileCheck %s

// NCHW -> NHWC around the convolution; OIHW weights -> OHWI; ONNX pads
// [h_begin, w_begin, h_end, w_end] -> TOSA [top, bottom, left, right].
// H: (8 + 1 + 1 - 3) / 2 + 1 = 4 (the end pad trims to 0); W: (8 + 2 + 1 - 3) + 1 = 9.
// CHECK-LABEL: func.func @conv_pads_strides
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8x8xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[ZP:.*]] = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}>
// CHECK: %[[XT:.*]] = tosa.transpose %[[X]] {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x8x8x3xf32>
// CHECK: %[[WT:.*]] = tosa.transpose %[[W]] {perms = array<i32: 0, 2, 3, 1>} : (tensor<4x3x3x3xf32>) -> tensor<4x3x3x3xf32>
// CHECK: %[[C:.*]] = tosa.conv2d %[[XT]], %[[WT]], %[[B]], %[[ZP]], %[[ZP]] {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 2, 1>, stride = array<i64: 2, 1>}
// CHECK-SAME: -> tensor<1x4x9x4xf32>
// CHECK: tosa.transpose %[[C]] {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x4x9x4xf32>) -> tensor<1x4x4x9xf32>
func.func @conv_pads_strides(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x9xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.Conv"(%x, %w, %b) {onnx.pads = array<i64: 1, 2, 1, 1>, onnx.strides = array<i64: 2, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x9xf32>
  return %0 : tensor<1x4x4x9xf32>
}

// -----

// A 3x3 stride-2 pad-1 convolution on 14x14 (PyTorch's downsampling): the
// padded extent 15 does not fit stride 2 exactly, and under ONNX's floor
// rule the last padded row is never read, so the end padding shrinks to 0.
// Without a bias, a zero bias is created.
// CHECK-LABEL: func.func @conv_trims_end_padding
// CHECK-DAG: %[[ZB:.*]] = "tosa.const"() <{values = dense<0.000000e+00> : tensor<32xf32>}>
// CHECK: tosa.conv2d %{{.*}}, %{{.*}}, %[[ZB]], {{.*}} pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>
// CHECK-SAME: -> tensor<1x7x7x32xf32>
func.func @conv_trims_end_padding(%x: tensor<1x16x14x14xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<1x32x7x7xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.Conv"(%x, %w) {onnx.pads = array<i64: 1, 1, 1, 1>, onnx.strides = array<i64: 2, 2>} : (tensor<1x16x14x14xf32>, tensor<32x16x3x3xf32>) -> tensor<1x32x7x7xf32>
  return %0 : tensor<1x32x7x7xf32>
}

// -----

// With no end padding to trim, the unread trailing row and column are cut
// from the input: 6x6, kernel 2, stride 3, no padding reads rows 0..4.
// CHECK-LABEL: func.func @conv_crops_input
// CHECK-DAG: %[[SIZE:.*]] = tosa.const_shape {values = dense<[1, 5, 5, 1]> : tensor<4xindex>}
// CHECK-DAG: %[[XT:.*]] = tosa.transpose %arg0
// CHECK: %[[SL:.*]] = tosa.slice %[[XT]], %{{.*}}, %[[SIZE]] : (tensor<1x6x6x1xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x5x5x1xf32>
// CHECK: tosa.conv2d %[[SL]], {{.*}} pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 3, 3>
func.func @conv_crops_input(%x: tensor<1x1x6x6xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.Conv"(%x, %w) {onnx.strides = array<i64: 3, 3>} : (tensor<1x1x6x6xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// auto_pad SAME_UPPER on 5x5 with a 2x2 kernel: total padding 1 per axis,
// the extra one at the end.
// CHECK-LABEL: func.func @conv_same_upper
// CHECK: tosa.conv2d {{.*}} pad = array<i64: 0, 1, 0, 1>
func.func @conv_same_upper(%x: tensor<1x1x5x5xf32>, %w: tensor<1x1x2x2xf32>) -> tensor<1x1x5x5xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.Conv"(%x, %w) {onnx.auto_pad = "SAME_UPPER"} : (tensor<1x1x5x5xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x5x5xf32>
  return %0 : tensor<1x1x5x5xf32>
}

// -----

// group == channels with one input channel per group: depthwise, with
// weights [C*M, 1, KH, KW] -> [KH, KW, C, M].
// CHECK-LABEL: func.func @conv_depthwise
// CHECK: %[[S:.*]] = tosa.reshape %arg1, %{{.*}} : (tensor<8x1x3x3xf32>, !tosa.shape<4>) -> tensor<4x2x3x3xf32>
// CHECK: %[[K:.*]] = tosa.transpose %[[S]] {perms = array<i32: 2, 3, 0, 1>} : (tensor<4x2x3x3xf32>) -> tensor<3x3x4x2xf32>
// CHECK: tosa.depthwise_conv2d %{{.*}}, %[[K]], {{.*}} pad = array<i64: 1, 1, 1, 1>
// CHECK-SAME: -> tensor<1x6x6x8xf32>
func.func @conv_depthwise(%x: tensor<1x4x6x6xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.Conv"(%x, %w) {onnx.group = 4 : i64, onnx.pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

// Two groups: one convolution per group on channel slices, then concat.
// CHECK-LABEL: func.func @conv_grouped
// CHECK-COUNT-2: tosa.conv2d {{.*}} -> tensor<1x3x3x2xf32>
// CHECK: tosa.concat %{{.*}}, %{{.*}} {axis = 3 : i32} : (tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>) -> tensor<1x3x3x4xf32>
func.func @conv_grouped(%x: tensor<1x6x5x5xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.Conv"(%x, %w) {onnx.group = 2 : i64} : (tensor<1x6x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %0 : tensor<1x4x3x3xf32>
}

// -----

// Gemm(A, B^T, C) with alpha and beta: [1, M, K] x [1, K, N] matmul.
// CHECK-LABEL: func.func @gemm
// CHECK-DAG: %[[ALPHA:.*]] = "tosa.const"() <{values = dense<2.000000e+00> : tensor<1x1xf32>}>
// CHECK-DAG: %[[BETA:.*]] = "tosa.const"() <{values = dense<5.000000e-01> : tensor<1x1xf32>}>
// CHECK: %[[BT:.*]] = tosa.transpose %arg1 {perms = array<i32: 1, 0>} : (tensor<10x32xf32>) -> tensor<32x10xf32>
// CHECK: %[[A3:.*]] = tosa.reshape %arg0, %{{.*}} -> tensor<1x4x32xf32>
// CHECK: %[[B3:.*]] = tosa.reshape %[[BT]], %{{.*}} -> tensor<1x32x10xf32>
// CHECK: %[[MM:.*]] = tosa.matmul %{{.*}}, %[[B3]], %{{.*}}, %{{.*}} : ({{.*}}) -> tensor<1x4x10xf32>
// CHECK: %[[R:.*]] = tosa.reshape %[[MM]], %{{.*}} -> tensor<4x10xf32>
// CHECK: %[[S:.*]] = tosa.mul %[[R]], %[[ALPHA]]
// CHECK: %[[C2:.*]] = tosa.reshape %arg2, %{{.*}} -> tensor<1x10xf32>
// CHECK: %[[CB:.*]] = tosa.mul %[[C2]], %[[BETA]]
// CHECK: tosa.add %[[S]], %[[CB]] : (tensor<4x10xf32>, tensor<1x10xf32>) -> tensor<4x10xf32>
func.func @gemm(%a: tensor<4x32xf32>, %b: tensor<10x32xf32>, %c: tensor<10xf32>) -> tensor<4x10xf32> attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.Gemm"(%a, %b, %c) {onnx.transB = 1 : i64, onnx.alpha = 2.0 : f32, onnx.beta = 0.5 : f32} : (tensor<4x32xf32>, tensor<10x32xf32>, tensor<10xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// MatMul with a shared rank-2 B flattens A's leading dimensions; equal batch
// dimensions become the matmul batch.
// CHECK-LABEL: func.func @matmul
// CHECK: tosa.matmul {{.*}} -> tensor<1x6x5xf32>
// CHECK: tosa.reshape {{.*}} -> tensor<2x3x5xf32>
// CHECK: tosa.matmul {{.*}} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x3x5xf32>
func.func @matmul(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<2x4x5xf32>) -> (tensor<2x3x5xf32>, tensor<2x3x5xf32>) attributes {tinyq_frontend.format = "onnx", tinyq_frontend.opset = 13 : i64} {
  %0 = tinyq_frontend.node "onnx.MatMul"(%a, %b) : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  %1 = tinyq_frontend.node "onnx.MatMul"(%a, %c) : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  return %0, %1 : tensor<2x3x5xf32>, tensor<2x3x5xf32>
}
