// RUN: tinyq-opt %s --tinyq-lower-integer-ops --tinyq-tile-accumulations --split-input-file | FileCheck %s

// A convolution over one input channel (the Arm kernels leave it to the
// portable lowering): one output row at a time, its window of the padded
// input, its own accumulators from the bias, requantized into the row of
// the result. No accumulator tensor of the whole output remains.
// CHECK-LABEL: func.func @conv
// CHECK-NOT: tensor<1x4x4x2xi32>
// CHECK: %[[PADDED:.*]] = tensor.pad
// CHECK: scf.for %[[N:.*]] = %c0 to %c1 step %c1
// CHECK: scf.for %[[Y:.*]] = %c0 to %c4 step %c1
// CHECK: %[[WINDOW:.*]] = tensor.extract_slice %[[PADDED]][%[[N]], %[[Y]], 0, 0] [1, 3, 6, 1] [1, 1, 1, 1]
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<1x1x4x2xi32>
// CHECK: %[[BIAS:.*]] = linalg.broadcast ins(%{{.*}} : tensor<2xi32>) outs(%[[EMPTY]] : tensor<1x1x4x2xi32>)
// CHECK: %[[ACC:.*]] = linalg.conv_2d_nhwc_fhwc {{.*}} ins(%[[WINDOW]], %{{.*}} : tensor<1x3x6x1xi8>, tensor<2x3x3x1xi8>) outs(%[[BIAS]] : tensor<1x1x4x2xi32>)
// CHECK: %[[ROW:.*]] = linalg.generic {{.*}} ins(%[[ACC]], %{{.*}}, %{{.*}} : tensor<1x1x4x2xi32>, tensor<1xi32>, tensor<1xi32>)
// CHECK: tensor.insert_slice %[[ROW]] into %{{.*}}[%[[N]], %[[Y]], 0, 0] [1, 1, 4, 2] [1, 1, 1, 1] : tensor<1x1x4x2xi8> into tensor<1x4x4x2xi8>
// CHECK-NOT: tensor<1x4x4x2xi32>
func.func @conv(%x: tensor<1x4x4x1xi8>) -> tensor<1x4x4x2xi8> {
  %w = arith.constant dense<[[[[1], [2], [3]], [[4], [5], [6]], [[7], [8], [9]]], [[[-1], [-2], [-3]], [[-4], [-5], [-6]], [[-7], [-8], [-9]]]]> : tensor<2x3x3x1xi8>
  %b = arith.constant dense<[100, -100]> : tensor<2xi32>
  %0 = tinyq.conv2d %x, %w, %b zero_points(-128, 5) multiplier [1395864371] shift [-7] clamp [-128, 127] pad [1, 1, 1, 1] stride [1, 1] dilation [1, 1] : (tensor<1x4x4x1xi8>, tensor<2x3x3x1xi8>, tensor<2xi32>) -> tensor<1x4x4x2xi8>
  return %0 : tensor<1x4x4x2xi8>
}

// -----

// A fully connected layer over 3 rows: one row of the input, one row of
// accumulators, at a time.
// CHECK-LABEL: func.func @fully_connected
// CHECK: scf.for %[[R:.*]] = %c0 to %c3 step %c1
// CHECK: %[[INPUT:.*]] = tensor.extract_slice %arg0[%[[R]], 0] [1, 6] [1, 1] : tensor<3x6xi8> to tensor<1x6xi8>
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<1x2xi32>
// CHECK: %[[BIAS:.*]] = linalg.generic {{.*}} outs(%[[EMPTY]] : tensor<1x2xi32>)
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}} ins(%[[INPUT]], %{{.*}} : tensor<1x6xi8>, tensor<2x6xi8>) outs(%[[BIAS]] : tensor<1x2xi32>)
// CHECK: linalg.generic {{.*}} ins(%[[ACC]], %{{.*}}, %{{.*}} : tensor<1x2xi32>, tensor<1xi32>, tensor<1xi32>)
// CHECK-NOT: tensor<3x2xi32>
func.func @fully_connected(%x: tensor<3x6xi8>) -> tensor<3x2xi8> {
  %w = arith.constant dense<1> : tensor<2x6xi8>
  %b = arith.constant dense<0> : tensor<2xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<3x6xi8>, tensor<2x6xi8>, tensor<2xi32>) -> tensor<3x2xi8>
  return %0 : tensor<3x2xi8>
}

// -----

// One row is the whole output: nothing to tile.
// CHECK-LABEL: func.func @one_row
// CHECK-NOT: scf.for
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}} outs(%{{.*}} : tensor<1x2xi32>)
// CHECK-NOT: scf.for
func.func @one_row(%x: tensor<1x6xi8>) -> tensor<1x2xi8> {
  %w = arith.constant dense<1> : tensor<2x6xi8>
  %b = arith.constant dense<0> : tensor<2xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<1x6xi8>, tensor<2x6xi8>, tensor<2xi32>) -> tensor<1x2xi8>
  return %0 : tensor<1x2xi8>
}

// -----

// Accumulations read elsewhere too stay whole.
// CHECK-LABEL: func.func @shared
// CHECK-NOT: scf.for
// CHECK: linalg.matmul
// CHECK: linalg.generic
func.func @shared(%x: tensor<2x3xi32>, %w: tensor<3x4xi32>) -> (tensor<2x4xi8>, tensor<2x4xi32>) {
  %c0 = arith.constant 0 : i32
  %empty = tensor.empty() : tensor<2x4xi32>
  %zero = linalg.fill ins(%c0 : i32) outs(%empty : tensor<2x4xi32>) -> tensor<2x4xi32>
  %acc = linalg.matmul ins(%x, %w : tensor<2x3xi32>, tensor<3x4xi32>) outs(%zero : tensor<2x4xi32>) -> tensor<2x4xi32>
  %init = tensor.empty() : tensor<2x4xi8>
  %bytes = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%acc : tensor<2x4xi32>) outs(%init : tensor<2x4xi8>) {
  ^bb0(%in: i32, %out: i8):
    %t = arith.trunci %in : i32 to i8
    linalg.yield %t : i8
  } -> tensor<2x4xi8>
  return %bytes, %acc : tensor<2x4xi8>, tensor<2x4xi32>
}

// -----

// The same without the second use: tiled by rows, matmul and fill fused.
// CHECK-LABEL: func.func @alone
// CHECK: scf.for
// CHECK: linalg.fill {{.*}} -> tensor<1x4xi32>
// CHECK: linalg.matmul {{.*}} -> tensor<1x4xi32>
// CHECK: linalg.generic
func.func @alone(%x: tensor<2x3xi32>, %w: tensor<3x4xi32>) -> tensor<2x4xi8> {
  %c0 = arith.constant 0 : i32
  %empty = tensor.empty() : tensor<2x4xi32>
  %zero = linalg.fill ins(%c0 : i32) outs(%empty : tensor<2x4xi32>) -> tensor<2x4xi32>
  %acc = linalg.matmul ins(%x, %w : tensor<2x3xi32>, tensor<3x4xi32>) outs(%zero : tensor<2x4xi32>) -> tensor<2x4xi32>
  %init = tensor.empty() : tensor<2x4xi8>
  %bytes = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%acc : tensor<2x4xi32>) outs(%init : tensor<2x4xi8>) {
  ^bb0(%in: i32, %out: i8):
    %t = arith.trunci %in : i32 to i8
    linalg.yield %t : i8
  } -> tensor<2x4xi8>
  return %bytes : tensor<2x4xi8>
}
