// RUN: tinyq-opt %s --tinyq-fuse-qdq --split-input-file | FileCheck %s

// By hand: input scale 0.5 (zero point -10), weight scales 0.25 and 0.125,
// so accumulator scales 0.125 and 0.0625: the bias [1, -0.5] becomes
// [8, -8]; over the output scale 0.25 the multipliers are 0.5 = 2^30 * 2^-31
// (shift 0) and 0.25 (shift -1). ReLU clamps at the output zero point 3.
// CHECK-LABEL: func.func @conv_relu
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x2x1xi8>)
// CHECK-DAG: %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}4]]], {{\[\[\[}}-8]]]]> : tensor<2x1x1x1xi8>}>
// CHECK-DAG: %[[B:.*]] = "tosa.const"() <{values = dense<[8, -8]> : tensor<2xi32>}>
// CHECK: %[[Y:.*]] = tinyq.conv2d %[[X]], %[[W]], %[[B]] zero_points(-10, 3) multiplier [1073741824, 1073741824] shift [0, -1] clamp [3, 127] pad [0, 0, 0, 0] stride [1, 1] dilation [1, 1] : (tensor<1x2x2x1xi8>, tensor<2x1x1x1xi8>, tensor<2xi32>) -> tensor<1x2x2x2xi8>
// CHECK-NEXT: return %[[Y]]
func.func @conv_relu(%x: tensor<1x2x2x1xi8>) -> tensor<1x2x2x2xi8> {
  %xq = quant.scast %x : tensor<1x2x2x1xi8> to tensor<1x2x2x1x!quant.uniform<i8:f32, 0.5:-10>>
  %xd = quant.dcast %xq : tensor<1x2x2x1x!quant.uniform<i8:f32, 0.5:-10>> to tensor<1x2x2x1xf32>
  %wi = "tosa.const"() <{values = dense<[[[[4]]], [[[-8]]]]> : tensor<2x1x1x1xi8>}> : () -> tensor<2x1x1x1xi8>
  %wq = quant.scast %wi : tensor<2x1x1x1xi8> to tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>>
  %wd = quant.dcast %wq : tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>> to tensor<2x1x1x1xf32>
  %b = "tosa.const"() <{values = dense<[1.0, -0.5]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.conv2d %xd, %wd, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32>
  %1 = tosa.clamp %0 {max_val = 0x7F800000 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %2 = quant.qcast %1 : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!quant.uniform<i8:f32, 0.25:3>>
  %3 = quant.scast %2 : tensor<1x2x2x2x!quant.uniform<i8:f32, 0.25:3>> to tensor<1x2x2x2xi8>
  return %3 : tensor<1x2x2x2xi8>
}

// -----

// Depthwise with per-tensor weights and ReLU6: [KH, KW, C, 1] weights become
// [KH, KW, C]; 6 / 0.25 + 3 = 27 is the clamp maximum; no clamp bound below
// the output's minimum. Accumulator scale 1 * 0.5 over 0.25 is 2 = 2^30 * 2^(2 - 31).
// CHECK-LABEL: func.func @depthwise_relu6
// CHECK: %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[\[}}1, -2]]]> : tensor<1x1x2xi8>}>
// CHECK: tinyq.depthwise_conv2d %arg0, %[[W]], %{{.*}} zero_points(0, 3) multiplier [1073741824, 1073741824] shift [2, 2] clamp [3, 27]
func.func @depthwise_relu6(%x: tensor<1x1x1x2xi8>) -> tensor<1x1x1x2xi8> {
  %xq = quant.scast %x : tensor<1x1x1x2xi8> to tensor<1x1x1x2x!quant.uniform<i8:f32, 1.0>>
  %xd = quant.dcast %xq : tensor<1x1x1x2x!quant.uniform<i8:f32, 1.0>> to tensor<1x1x1x2xf32>
  %wi = "tosa.const"() <{values = dense<[[[[1], [-2]]]]> : tensor<1x1x2x1xi8>}> : () -> tensor<1x1x2x1xi8>
  %wq = quant.scast %wi : tensor<1x1x2x1xi8> to tensor<1x1x2x1x!quant.uniform<i8<-127:127>:f32, 0.5>>
  %wd = quant.dcast %wq : tensor<1x1x2x1x!quant.uniform<i8<-127:127>:f32, 0.5>> to tensor<1x1x2x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.depthwise_conv2d %xd, %wd, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<1x1x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %1 = tosa.clamp %0 {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32>
  %2 = quant.qcast %1 : tensor<1x1x1x2xf32> to tensor<1x1x1x2x!quant.uniform<i8:f32, 0.25:3>>
  %3 = quant.scast %2 : tensor<1x1x1x2x!quant.uniform<i8:f32, 0.25:3>> to tensor<1x1x1x2xi8>
  return %3 : tensor<1x1x1x2xi8>
}

// -----

// A float input (no dequantization) is not fused.
// CHECK-LABEL: func.func @float_input
// CHECK-NOT: tinyq.conv2d
// CHECK: tosa.conv2d
func.func @float_input(%x: tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xi8> {
  %wi = "tosa.const"() <{values = dense<1> : tensor<1x1x1x1xi8>}> : () -> tensor<1x1x1x1xi8>
  %wq = quant.scast %wi : tensor<1x1x1x1xi8> to tensor<1x1x1x1x!quant.uniform<i8<-127:127>:f32, 0.5>>
  %wd = quant.dcast %wq : tensor<1x1x1x1x!quant.uniform<i8<-127:127>:f32, 0.5>> to tensor<1x1x1x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.conv2d %x, %wd, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  %1 = quant.qcast %0 : tensor<1x1x1x1xf32> to tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25>>
  %2 = quant.scast %1 : tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25>> to tensor<1x1x1x1xi8>
  return %2 : tensor<1x1x1x1xi8>
}

// -----

// Reshape and max pooling run on the integers; the convolution behind them
// then sees a Q/DQ input and fuses.
// CHECK-LABEL: func.func @through_scale_preserving
// CHECK: %[[R:.*]] = tosa.reshape %arg0, %{{.*}} : (tensor<1x1x2x2xi8>, !tosa.shape<4>) -> tensor<1x2x2x1xi8>
// CHECK: %[[P:.*]] = tosa.max_pool2d %[[R]] {{.*}} : (tensor<1x2x2x1xi8>) -> tensor<1x1x1x1xi8>
// CHECK: tinyq.conv2d %[[P]]
func.func @through_scale_preserving(%x: tensor<1x1x2x2xi8>) -> tensor<1x1x1x1xi8> {
  %xq = quant.scast %x : tensor<1x1x2x2xi8> to tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5:-10>>
  %xd = quant.dcast %xq : tensor<1x1x2x2x!quant.uniform<i8:f32, 0.5:-10>> to tensor<1x1x2x2xf32>
  %shape = tosa.const_shape {values = dense<[1, 2, 2, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %r = tosa.reshape %xd, %shape : (tensor<1x1x2x2xf32>, !tosa.shape<4>) -> tensor<1x2x2x1xf32>
  %p = tosa.max_pool2d %r {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x2x2x1xf32>) -> tensor<1x1x1x1xf32>
  %wi = "tosa.const"() <{values = dense<1> : tensor<1x1x1x1xi8>}> : () -> tensor<1x1x1x1xi8>
  %wq = quant.scast %wi : tensor<1x1x1x1xi8> to tensor<1x1x1x1x!quant.uniform<i8<-127:127>:f32, 0.5>>
  %wd = quant.dcast %wq : tensor<1x1x1x1x!quant.uniform<i8<-127:127>:f32, 0.5>> to tensor<1x1x1x1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.conv2d %p, %wd, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  %1 = quant.qcast %0 : tensor<1x1x1x1xf32> to tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25>>
  %2 = quant.scast %1 : tensor<1x1x1x1x!quant.uniform<i8:f32, 0.25>> to tensor<1x1x1x1xi8>
  return %2 : tensor<1x1x1x1xi8>
}

// -----

// Gemm as imported: matmul [1, 1, 2] x [1, 2, 2], reshape, bias addition.
// By hand: weights [1, K, N] = [[1, 2], [3, 4]] become [N, K] = [[1, 3],
// [2, 4]]; accumulator scales 0.5 * 0.25 and 0.5 * 0.5 turn the bias [1, 2]
// into [8, 8]; over the output scale 0.5 the multipliers are 0.25 (shift
// -1) and 0.5 (shift 0); without a clamp the whole int8 range is kept.
// CHECK-LABEL: func.func @gemm
// CHECK-DAG: %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[}}1, 3], [2, 4]]> : tensor<2x2xi8>}>
// CHECK-DAG: %[[B:.*]] = "tosa.const"() <{values = dense<8> : tensor<2xi32>}>
// CHECK-DAG: %[[X:.*]] = tosa.reshape %arg0, %{{.*}} : (tensor<1x1x2xi8>, !tosa.shape<2>) -> tensor<1x2xi8>
// CHECK: %[[Y:.*]] = tinyq.fully_connected %[[X]], %[[W]], %[[B]] zero_points(0, 0) multiplier [1073741824, 1073741824] shift [-1, 0] clamp [-128, 127] : (tensor<1x2xi8>, tensor<2x2xi8>, tensor<2xi32>) -> tensor<1x2xi8>
// CHECK-NEXT: return %[[Y]]
func.func @gemm(%x: tensor<1x1x2xi8>) -> tensor<1x2xi8> {
  %xq = quant.scast %x : tensor<1x1x2xi8> to tensor<1x1x2x!quant.uniform<i8:f32, 0.5>>
  %xd = quant.dcast %xq : tensor<1x1x2x!quant.uniform<i8:f32, 0.5>> to tensor<1x1x2xf32>
  %wi = "tosa.const"() <{values = dense<[[[1, 2], [3, 4]]]> : tensor<1x2x2xi8>}> : () -> tensor<1x2x2xi8>
  %wq = quant.scast %wi : tensor<1x2x2xi8> to tensor<1x2x2x!quant.uniform<i8<-127:127>:f32:2, {0.25, 0.5}>>
  %wd = quant.dcast %wq : tensor<1x2x2x!quant.uniform<i8<-127:127>:f32:2, {0.25, 0.5}>> to tensor<1x2x2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shape = tosa.const_shape {values = dense<[1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %b = "tosa.const"() <{values = dense<[[1.0, 2.0]]> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  %0 = tosa.matmul %xd, %wd, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %1 = tosa.reshape %0, %shape : (tensor<1x1x2xf32>, !tosa.shape<2>) -> tensor<1x2xf32>
  %2 = tosa.add %1, %b : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  %3 = quant.qcast %2 : tensor<1x2xf32> to tensor<1x2x!quant.uniform<i8:f32, 0.5>>
  %4 = quant.scast %3 : tensor<1x2x!quant.uniform<i8:f32, 0.5>> to tensor<1x2xi8>
  return %4 : tensor<1x2xi8>
}

// -----

// Residual addition with ReLU, by hand: twice the larger input scale is 1,
// so the inputs are scaled by 0.5 (2^30 * 2^-31, shift 0) and 0.25 (shift
// -1); the sum by 1 / (2^20 * 0.75) = (2/3) * 2^-19: round(2/3 * 2^31) =
// 1431655765, shift -19. ReLU clamps at the output zero point -100.
// CHECK-LABEL: func.func @residual_add
// CHECK: %[[Y:.*]] = tinyq.add %arg0, %arg1 zero_points(-128, 1, -100) left_shift 20 multiplier [1073741824, 1073741824, 1431655765] shift [0, -1, -19] clamp [-100, 127] : (tensor<1x2x2x3xi8>, tensor<1x2x2x3xi8>) -> tensor<1x2x2x3xi8>
// CHECK-NEXT: return %[[Y]]
func.func @residual_add(%a: tensor<1x2x2x3xi8>, %b: tensor<1x2x2x3xi8>) -> tensor<1x2x2x3xi8> {
  %aq = quant.scast %a : tensor<1x2x2x3xi8> to tensor<1x2x2x3x!quant.uniform<i8:f32, 0.5:-128>>
  %ad = quant.dcast %aq : tensor<1x2x2x3x!quant.uniform<i8:f32, 0.5:-128>> to tensor<1x2x2x3xf32>
  %bq = quant.scast %b : tensor<1x2x2x3xi8> to tensor<1x2x2x3x!quant.uniform<i8:f32, 0.25:1>>
  %bd = quant.dcast %bq : tensor<1x2x2x3x!quant.uniform<i8:f32, 0.25:1>> to tensor<1x2x2x3xf32>
  %0 = tosa.add %ad, %bd : (tensor<1x2x2x3xf32>, tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %1 = tosa.clamp %0 {max_val = 0x7F800000 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %2 = quant.qcast %1 : tensor<1x2x2x3xf32> to tensor<1x2x2x3x!quant.uniform<i8:f32, 0.75:-100>>
  %3 = quant.scast %2 : tensor<1x2x2x3x!quant.uniform<i8:f32, 0.75:-100>> to tensor<1x2x2x3xi8>
  return %3 : tensor<1x2x2x3xi8>
}

// -----

// A broadcasting addition stays in float.
// CHECK-LABEL: func.func @broadcast_add
// CHECK-NOT: tinyq.add
// CHECK: tosa.add
func.func @broadcast_add(%a: tensor<1x2x2x3xi8>, %b: tensor<1x1x1x3xi8>) -> tensor<1x2x2x3xi8> {
  %aq = quant.scast %a : tensor<1x2x2x3xi8> to tensor<1x2x2x3x!quant.uniform<i8:f32, 0.5:-128>>
  %ad = quant.dcast %aq : tensor<1x2x2x3x!quant.uniform<i8:f32, 0.5:-128>> to tensor<1x2x2x3xf32>
  %bq = quant.scast %b : tensor<1x1x1x3xi8> to tensor<1x1x1x3x!quant.uniform<i8:f32, 0.25:1>>
  %bd = quant.dcast %bq : tensor<1x1x1x3x!quant.uniform<i8:f32, 0.25:1>> to tensor<1x1x1x3xf32>
  %0 = tosa.add %ad, %bd : (tensor<1x2x2x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x2x2x3xf32>
  %1 = quant.qcast %0 : tensor<1x2x2x3xf32> to tensor<1x2x2x3x!quant.uniform<i8:f32, 0.75:-100>>
  %2 = quant.scast %1 : tensor<1x2x2x3x!quant.uniform<i8:f32, 0.75:-100>> to tensor<1x2x2x3xi8>
  return %2 : tensor<1x2x2x3xi8>
}

// -----

// Average pooling: the input scale 0.5 over the output scale 0.25 is 2 =
// 2^30 * 2^(2 - 31); ReLU6 clamps at 6 / 0.25 + 4 = 28.
// CHECK-LABEL: func.func @avg_pool
// CHECK: %[[Y:.*]] = tinyq.avg_pool2d %arg0 zero_points(-1, 4) multiplier [1073741824] shift [2] clamp [4, 28] kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x3xi8> -> tensor<1x2x2x3xi8>
// CHECK-NEXT: return %[[Y]]
func.func @avg_pool(%x: tensor<1x4x4x3xi8>) -> tensor<1x2x2x3xi8> {
  %xq = quant.scast %x : tensor<1x4x4x3xi8> to tensor<1x4x4x3x!quant.uniform<i8:f32, 0.5:-1>>
  %xd = quant.dcast %xq : tensor<1x4x4x3x!quant.uniform<i8:f32, 0.5:-1>> to tensor<1x4x4x3xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %0 = tosa.avg_pool2d %xd, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x3xf32>
  %1 = tosa.clamp %0 {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %2 = quant.qcast %1 : tensor<1x2x2x3xf32> to tensor<1x2x2x3x!quant.uniform<i8:f32, 0.25:4>>
  %3 = quant.scast %2 : tensor<1x2x2x3x!quant.uniform<i8:f32, 0.25:4>> to tensor<1x2x2x3xi8>
  return %3 : tensor<1x2x2x3xi8>
}
