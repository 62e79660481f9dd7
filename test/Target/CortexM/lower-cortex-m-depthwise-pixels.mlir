// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m55 --tinyq-lower-cortex-m --split-input-file | FileCheck %s
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m55 --tinyq-lower-cortex-m --canonicalize --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --tinyq-combine-byte-accesses --split-input-file | FileCheck %s --check-prefix=BUFFERS

// A 3x3 depthwise convolution (pad 1) with Helium whose output (5x3) has
// columns of 4 pixels or more: the lanes hold 4 output pixels of one
// channel down a column. The input is first copied into one plane per
// channel, column-major ([N, C, W + 2, H + 2], filled with the zero point
// -3), by runs of 4 pixels down a column (the column of 5 in two runs, at
// rows 0 and 1: the second overlaps the first). Per channel, its 9
// weights ([C, taps] bytes) are broadcast once; per tile of 4 pixels (the
// second of a column starts at row min(4, 5 - 4) = 1), each tap reads the
// 4 pixels' bytes, consecutive in the plane, and adds their products with
// the weight; the requantization's multiplier and shift are the channel's,
// broadcast; the 4 bytes go to output pixels 3 apart.
// CHECK-LABEL: func.func @column_lanes
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[}}1, 5, 9, 13, 17, 21, 25, 29, 33], [2, 6, {{.*}}]]> : tensor<4x9xi8>
// CHECK: %[[FILLED:.*]] = linalg.fill ins(%c-3_i8 : i8) outs(%{{.*}} : tensor<1x4x5x7xi8>)
// CHECK-COUNT-4: tensor.extract %arg0[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : tensor<1x5x3x4xi8>
// CHECK-COUNT-4: tensor.insert %{{.*}} into %{{.*}} : tensor<1x4x5x7xi8>
// CHECK: tensor.extract %arg0[%{{.*}}, %c1, %{{.*}}, %{{.*}}] : tensor<1x5x3x4xi8>
// CHECK: scf.for %[[C:.*]] = %c0 to %c4 step %c1
// CHECK-COUNT-9: tensor.extract %[[W]][%[[C]], %{{.*}}] : tensor<4x9xi8>
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK-COUNT-4: tensor.extract %{{.*}}[%{{.*}}, %[[C]], %{{.*}}, %{{.*}}] : tensor<1x4x5x7xi8>
// CHECK: vector.from_elements %{{.*}} : vector<4xi8>
// CHECK: arith.extsi %{{.*}} : vector<4xi8> to vector<4xi32>
// CHECK: arith.muli %{{.*}} : vector<4xi32>
// CHECK: arith.addi %{{.*}} : vector<4xi32>
// CHECK-COUNT-8: vector.from_elements
// CHECK-NOT: vector.from_elements
// CHECK: tinyq_cortexm.intr.mve.vqrdmulh
// CHECK: tinyq_cortexm.intr.mve.vshl.vector
// CHECK: arith.trunci %{{.*}} : vector<4xi32> to vector<4xi8>
// CHECK-COUNT-4: tensor.insert %{{.*}} into %{{.*}}[%{{.*}}, %[[C]]] : tensor<15x4xi8>
// CHECK: vector.from_elements
// CHECK-NOT: tinyq.depthwise_conv2d

// After bufferization, the copy's runs are gathers of bytes a row of the
// input (12 bytes) apart, each stored as 4 consecutive bytes; the taps
// are vector loads of 4 consecutive bytes; the outputs one scatter 3
// pixels (12 bytes) apart.
// BUFFERS-LABEL: func.func @column_lanes
// BUFFERS-DAG: %[[APART:.*]] = arith.constant dense<[0, 12, 24, 36]> : vector<4xi32>
// BUFFERS: vector.gather {{.*}} [%[[APART]]], {{.*}} : memref<60xi8>, vector<4xi32>, vector<4xi1>, vector<4xi8> into vector<4xi8>
// BUFFERS: vector.store {{.*}} : memref<1x4x5x7xi8>, vector<4xi8>
// BUFFERS-COUNT-9: vector.load {{.*}} : memref<1x4x5x7xi8>, vector<4xi8>
// BUFFERS: vector.scatter {{.*}} [%[[APART]]], {{.*}} : memref<60xi8>, vector<4xi32>, vector<4xi1>, vector<4xi8>
func.func @column_lanes(%x: tensor<1x5x3x4xi8>) -> tensor<1x5x3x4xi8> {
  %w = arith.constant dense<[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], [[13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]], [[25, 26, 27, 28], [29, 30, 31, 32], [33, 34, 35, 36]]]> : tensor<3x3x4xi8>
  %b = arith.constant dense<[10, 11, 12, 13]> : tensor<4xi32>
  %0 = tinyq.depthwise_conv2d %x, %w, %b zero_points(-3, 0) multiplier [1395864371, 1395864372, 1395864373, 1395864374] shift [-7, -8, -9, -10] clamp [-128, 127] pad [1, 1, 1, 1] stride [1, 1] dilation [1, 1] : (tensor<1x5x3x4xi8>, tensor<3x3x4xi8>, tensor<4xi32>) -> tensor<1x5x3x4xi8>
  return %0 : tensor<1x5x3x4xi8>
}

// -----

// Rows of 4 pixels or more when the columns are shorter (output 2x9,
// stride 2 along the rows, no padding): planes row-major ([N, C, H, W]),
// copied by runs of 8 pixels of a row (the row of 18 at 0, 8 and 10); the
// taps read every other byte of a row: gathers 2 bytes apart.
// CHECK-LABEL: func.func @row_lanes
// CHECK: linalg.fill ins(%c0_i8 : i8) outs(%{{.*}} : tensor<1x4x3x18xi8>)
// CHECK-COUNT-8: tensor.extract %arg0
// CHECK-COUNT-8: tensor.insert %{{.*}} : tensor<1x4x3x18xi8>
// BUFFERS-LABEL: func.func @row_lanes
// BUFFERS-DAG: arith.constant dense<[0, 4, 8, 12, 16, 20, 24, 28]> : vector<8xi32>
// BUFFERS-DAG: arith.constant dense<[0, 2, 4, 6]> : vector<4xi32>
// BUFFERS-DAG: arith.constant dense<[0, 4, 8, 12]> : vector<4xi32>
// BUFFERS: vector.gather {{.*}} : memref<216xi8>, vector<8xi32>, vector<8xi1>, vector<8xi8> into vector<8xi8>
// BUFFERS: vector.store {{.*}} : memref<1x4x3x18xi8>, vector<8xi8>
// BUFFERS: vector.gather {{.*}} : memref<216xi8>, vector<4xi32>, vector<4xi1>, vector<4xi8> into vector<4xi8>
// BUFFERS: vector.scatter {{.*}} : memref<72xi8>, vector<4xi32>, vector<4xi1>, vector<4xi8>
func.func @row_lanes(%x: tensor<1x3x18x4xi8>) -> tensor<1x2x9x4xi8> {
  %w = arith.constant dense<[[[1, 2, 3, 4], [5, 6, 7, 8]], [[9, 10, 11, 12], [13, 14, 15, 16]]]> : tensor<2x2x4xi8>
  %b = arith.constant dense<[10, 11, 12, 13]> : tensor<4xi32>
  %0 = tinyq.depthwise_conv2d %x, %w, %b zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] pad [0, 0, 0, 0] stride [1, 2] dilation [1, 1] : (tensor<1x3x18x4xi8>, tensor<2x2x4xi8>, tensor<4xi32>) -> tensor<1x2x9x4xi8>
  return %0 : tensor<1x2x9x4xi8>
}
