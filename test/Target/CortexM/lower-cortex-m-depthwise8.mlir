// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m55 --tinyq-lower-cortex-m | FileCheck %s

// A depthwise convolution of 8 channels with Helium, requantized in
// vectors: one tile of 8 channels, whose bias and per-channel multipliers
// are stored even channels first (10, 12, 14, 16, then 11, 13, 15, 17),
// and so are their shifts for vrshl (-7, -9, -11, -13, then -8, ...).
// Per tap, the 8 input bytes and 8 weights widen to 16-bit lanes and
// vmull (bottom, then top) adds the even and the odd channels' products;
// the two requantized vectors interleave back into channel order and
// store 8 bytes.
// CHECK-LABEL: func.func @depthwise8
// CHECK-DAG: arith.constant dense<[10, 12, 14, 16, 11, 13, 15, 17]> : tensor<8xi32>
// CHECK-DAG: arith.constant dense<[-7, -9, -11, -13, -8, -10, -12, -14]> : tensor<8xi32>
// CHECK-DAG: arith.constant dense<[1395864371, 1395864373, 1395864375, 1395864377, 1395864372, 1395864374, 1395864376, 1395864378]> : tensor<8xi32>
// CHECK-COUNT-4: arith.extsi %{{.*}} : vector<8xi8> to vector<8xi16>
// CHECK-NOT: arith.extsi
// CHECK: tinyq_cortexm.intr.mve.vmull %{{.*}}, %{{.*}} {is_unsigned = 0 : i32, top = 0 : i32} : vector<8xi16> to vector<4xi32>
// CHECK: tinyq_cortexm.intr.mve.vmull %{{.*}}, %{{.*}} {is_unsigned = 0 : i32, top = 1 : i32} : vector<8xi16> to vector<4xi32>
// CHECK: tinyq_cortexm.intr.mve.vqrdmulh
// CHECK: tinyq_cortexm.intr.mve.vshl.vector
// CHECK: tinyq_cortexm.intr.mve.vqrdmulh
// CHECK: tinyq_cortexm.intr.mve.vshl.vector
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 4, 1, 5, 2, 6, 3, 7] : vector<4xi32>, vector<4xi32>
// CHECK: arith.trunci %{{.*}} : vector<8xi32> to vector<8xi8>
// CHECK-COUNT-8: tensor.insert
// CHECK-NOT: tinyq.depthwise_conv2d
func.func @depthwise8(%x: tensor<1x1x2x8xi8>) -> tensor<1x1x1x8xi8> {
  %w = arith.constant dense<[[[1, 2, 3, 4, 5, 6, 7, 8], [-1, -2, -3, -4, -5, -6, -7, -8]]]> : tensor<1x2x8xi8>
  %b = arith.constant dense<[10, 11, 12, 13, 14, 15, 16, 17]> : tensor<8xi32>
  %0 = tinyq.depthwise_conv2d %x, %w, %b zero_points(0, 3) multiplier [1395864371, 1395864372, 1395864373, 1395864374, 1395864375, 1395864376, 1395864377, 1395864378] shift [-7, -8, -9, -10, -11, -12, -13, -14] clamp [-128, 127] pad [0, 0, 0, 0] stride [1, 1] dilation [1, 1] : (tensor<1x1x2x8xi8>, tensor<1x2x8xi8>, tensor<8xi32>) -> tensor<1x1x1x8xi8>
  return %0 : tensor<1x1x1x8xi8>
}
