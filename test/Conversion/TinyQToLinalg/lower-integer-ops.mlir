// RUN: tinyq-opt %s --tinyq-lower-integer-ops | FileCheck %s

// The input zero point 2 folds into the bias: [8 - 2 * (1 + 3),
// 8 - 2 * (2 + 4)] = [0, -4]; the accumulation sign-extends to i32, and
// per-channel requantization runs along the output channels. The int4
// weights [[1, 3], [2, 4]] are stored packed, element 2k in the low nibble:
// 0x31 = 49, 0x42 = 66, read at byte (2n + k) / 2 and unpacked in the loop
// (the nibble moved to the top of 32 bits and shifted back down).
// CHECK-DAG: #[[PACKED:.*]] = affine_map<(d0, d1, d2) -> (d2 floordiv 2 + d1)>
// CHECK-LABEL: func.func @fully_connected
// CHECK-DAG: arith.constant dense<[0, -4]> : tensor<2xi32>
// CHECK-DAG: arith.constant dense<1073741824> : tensor<2xi32>
// CHECK-DAG: arith.constant dense<[-1, 0]> : tensor<2xi32>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<[49, 66]> : tensor<2xi8>
// CHECK: linalg.generic
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[PACKED]], #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %[[W]] : tensor<3x2xi8>, tensor<2xi8>)
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: linalg.index 2
// CHECK: linalg.index 1
// CHECK: arith.remui
// CHECK: arith.shli %{{.*}}, %c24_i32
// CHECK: arith.shrsi %{{.*}}, %c28_i32
// CHECK: arith.shli %{{.*}}, %c28_i32
// CHECK: arith.shrsi %{{.*}}, %c28_i32
// CHECK: arith.select
// CHECK: arith.muli
// CHECK: arith.mulsi_extended
// CHECK-NOT: tinyq.
func.func @fully_connected(%x: tensor<3x2xi8>) -> tensor<3x2xi8> {
  %w = "tosa.const"() <{values = dense<[[1, 3], [2, 4]]> : tensor<2x2xi4>}> : () -> tensor<2x2xi4>
  %b = "tosa.const"() <{values = dense<8> : tensor<2xi32>}> : () -> tensor<2xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(2, 0) multiplier [1073741824, 1073741824] shift [-1, 0] clamp [-128, 127] : (tensor<3x2xi8>, tensor<2x2xi4>, tensor<2xi32>) -> tensor<3x2xi8>
  return %0 : tensor<3x2xi8>
}

// The padding holds the input zero point 3, which folds into the bias:
// [10 - 3 * 1, 10 - 3 * (-2)] = [7, 16]; the named convolution accumulates
// into the broadcast bias.
// CHECK-LABEL: func.func @conv2d
// CHECK-DAG: %[[Z:.*]] = arith.constant 3 : i8
// CHECK-DAG: arith.constant dense<[7, 16]> : tensor<2xi32>
// CHECK: tensor.pad %arg0 low[0, 1, 0, 0] high[0, 1, 0, 0]
// CHECK: tensor.yield %[[Z]] : i8
// CHECK: linalg.broadcast
// CHECK: linalg.conv_2d_nhwc_fhwc {{.*}}strides = dense<1> : vector<2xi64>{{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x3x1x1xi8>, tensor<2x1x1x1xi8>) outs(%{{.*}} : tensor<1x3x1x2xi32>)
// CHECK: arith.mulsi_extended
// CHECK-NOT: tinyq.
func.func @conv2d(%x: tensor<1x1x1x1xi8>) -> tensor<1x3x1x2xi8> {
  %w = "tosa.const"() <{values = dense<[[[[1]]], [[[-2]]]]> : tensor<2x1x1x1xi8>}> : () -> tensor<2x1x1x1xi8>
  %b = "tosa.const"() <{values = dense<10> : tensor<2xi32>}> : () -> tensor<2xi32>
  %0 = tinyq.conv2d %x, %w, %b zero_points(3, 0) multiplier [1073741824] shift [0] clamp [-128, 127] pad [1, 1, 0, 0] stride [1, 1] dilation [1, 1] : (tensor<1x1x1x1xi8>, tensor<2x1x1x1xi8>, tensor<2xi32>) -> tensor<1x3x1x2xi8>
  return %0 : tensor<1x3x1x2xi8>
}

// One elementwise linalg.generic: both inputs sign-extended, their zero
// points subtracted, scaled by 2^20 and rescaled; the sum requantized. All
// arithmetic on 32 bits.
// CHECK-LABEL: func.func @add
// CHECK-DAG: %[[HEADROOM:.*]] = arith.constant 1048576 : i32
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins(%arg0, %arg1 : tensor<2x3xi8>, tensor<2x3xi8>)
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.subi
// CHECK: arith.muli %{{.*}}, %[[HEADROOM]] : i32
// CHECK: arith.mulsi_extended
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.mulsi_extended
// CHECK: arith.addi
// CHECK: arith.mulsi_extended
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK-NOT: i64
// CHECK-NOT: tinyq.
func.func @add(%a: tensor<2x3xi8>, %b: tensor<2x3xi8>) -> tensor<2x3xi8> {
  %0 = tinyq.add %a, %b zero_points(-128, 1, -3) left_shift 20 multiplier [1073741824, 1543503872, 1684354560] shift [0, -1, -17] clamp [-3, 127] : (tensor<2x3xi8>, tensor<2x3xi8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// Padding holds the input zero point -2; the window sum over the padded
// input (pooling_nhwc_sum, sign-extended into i32) loses 9 * -2 = -18; the
// count of valid positions comes from the output indices; the average
// rounds half away from zero (signed division); all on 32 bits.
// CHECK-LABEL: func.func @avg_pool
// CHECK-DAG: %[[Z:.*]] = arith.constant -2 : i8
// CHECK-DAG: %[[CORRECTION:.*]] = arith.constant -18 : i32
// CHECK: tensor.pad %arg0 low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield %[[Z]] : i8
// CHECK: linalg.pooling_nhwc_sum {{.*}}strides = dense<2> : vector<2xi64>{{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x7x7x2xi8>, tensor<3x3xi32>) outs(%{{.*}} : tensor<1x3x3x2xi32>)
// CHECK: linalg.generic
// CHECK: linalg.index 1
// CHECK: linalg.index 2
// CHECK: arith.subi %{{.*}}, %[[CORRECTION]] : i32
// CHECK: arith.divsi
// CHECK: arith.mulsi_extended
// CHECK-NOT: i64
// CHECK-NOT: tinyq.
func.func @avg_pool(%x: tensor<1x5x5x2xi8>) -> tensor<1x3x3x2xi8> {
  %0 = tinyq.avg_pool2d %x zero_points(-2, -3) multiplier [1503238554] shift [0] clamp [-3, 127] kernel [3, 3] stride [2, 2] pad [1, 1, 1, 1] : tensor<1x5x5x2xi8> -> tensor<1x3x3x2xi8>
  return %0 : tensor<1x3x3x2xi8>
}

// A depthwise convolution with int4 weights [1, -2, 3] (channels) runs as a
// linalg.generic over (n, y, x, c, ky, kx) reading the packed bytes
// 0xE1 = -31 (1 low, -2 high) and 0x03, with an unused [KH, KW] operand
// for the window extents.
// CHECK-LABEL: func.func @depthwise_int4
// CHECK-DAG: %[[W:.*]] = arith.constant dense<[-31, 3]> : tensor<2xi8>
// CHECK-DAG: %[[WINDOW:.*]] = tensor.empty() : tensor<1x1xi8>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%arg0, %[[W]], %[[WINDOW]] : tensor<1x2x2x3xi8>, tensor<2xi8>, tensor<1x1xi8>)
// CHECK: arith.remui
// CHECK-NOT: linalg.depthwise_conv_2d
func.func @depthwise_int4(%x: tensor<1x2x2x3xi8>) -> tensor<1x2x2x3xi8> {
  %w = "tosa.const"() <{values = dense<[[[1, -2, 3]]]> : tensor<1x1x3xi4>}> : () -> tensor<1x1x3xi4>
  %b = "tosa.const"() <{values = dense<0> : tensor<3xi32>}> : () -> tensor<3xi32>
  %0 = tinyq.depthwise_conv2d %x, %w, %b zero_points(0, 0) multiplier [1073741824] shift [1] clamp [-128, 127] pad [0, 0, 0, 0] stride [1, 1] dilation [1, 1] : (tensor<1x2x2x3xi8>, tensor<1x1x3xi4>, tensor<3xi32>) -> tensor<1x2x2x3xi8>
  return %0 : tensor<1x2x2x3xi8>
}
