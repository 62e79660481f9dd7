// RUN: tinyq-opt %s --tinyq-assign-precision="budget=0.5" | FileCheck %s --check-prefix=CHECK-HALF
// RUN: tinyq-opt %s --tinyq-assign-precision="budget=0.75" | FileCheck %s --check-prefix=CHECK-THREE-QUARTERS
// RUN: tinyq-opt %s --tinyq-assign-precision="budget=0.75 keep-first-last=false" | FileCheck %s --check-prefix=CHECK-RANKED
// RUN: tinyq-opt %s --tinyq-assign-precision="budget=1.0" | FileCheck %s --check-prefix=CHECK-FULL
// RUN: tinyq-opt %s --tinyq-assign-precision="budget-bytes=30 keep-first-last=false" | FileCheck %s --check-prefix=CHECK-BYTES
// RUN: tinyq-opt %s --tinyq-assign-precision="budget=0.75 keep-first-last=false ranking=random seed=1" | FileCheck %s --check-prefix=CHECK-RANDOM
// RUN: tinyq-opt %s --tinyq-assign-precision="budget=0.75 keep-first-last=false ranking=single-layer" | FileCheck %s --check-prefix=CHECK-SINGLE
// RUN: tinyq-opt %s --tinyq-assign-precision="objective=cycles budget-cycles=1000" | FileCheck %s --check-prefix=CHECK-CYCLES
// RUN: not tinyq-opt %s --tinyq-assign-precision="objective=cycles budget-cycles=100" 2>&1 | FileCheck %s --check-prefix=CHECK-CYCLES-SHORT
// RUN: not tinyq-opt %s --tinyq-assign-precision="objective=cycles" 2>&1 | FileCheck %s --check-prefix=CHECK-CYCLES-NONE
// RUN: not tinyq-opt %s --tinyq-assign-precision="objective=cycles budget-cycles=1000 cost-model=pentium" 2>&1 | FileCheck %s --check-prefix=CHECK-CYCLES-NONE
// RUN: not tinyq-opt %s --tinyq-assign-precision="objective=latency" 2>&1 | FileCheck %s --check-prefix=CHECK-OBJECTIVE
// RUN: not tinyq-opt %s --tinyq-assign-precision="budget-bytes=20" 2>&1 | FileCheck %s --check-prefix=CHECK-BYTES-SHORT

// Four layers of 8, 16, 16 and 8 weights: 48 bytes at 8 bits, 24 packed at
// 4 bits. Low-candidate SQNRs (activation, weight): l0 (15, 22), l1 (10,
// 20), l2 (30, 25), l3 (12, 18). Ranks by activation SQNR l1 0, l3 1, l0 2,
// l2 3; by weight SQNR l3 0, l1 1, l0 2, l2 3; summed: l1 1, l3 1, l0 4,
// l2 6, so the order is l1, l3, l0, l2.
//
// budget 0.5 = 24 bytes: all 4-bit (raising l0 would make 28).
// CHECK-HALF-COUNT-4: weight_bits = 4, activation_bits = 8, granularity = per_channel>, tinyq.sensitivity
// CHECK-HALF-NOT: tinyq.precision = #tinyq.precision<weight_bits = 8
//
// budget 0.75 = 36 bytes: first and last first (24 + 4 + 4 = 32); then l1
// (+8 = 40) and l2 (+8) do not fit.
// CHECK-THREE-QUARTERS: tosa.conv2d {{.*}}tinyq.precision = #tinyq.precision<weight_bits = 8
// CHECK-THREE-QUARTERS: tosa.conv2d {{.*}}tinyq.precision = #tinyq.precision<weight_bits = 4
// CHECK-THREE-QUARTERS: tosa.conv2d {{.*}}tinyq.precision = #tinyq.precision<weight_bits = 4
// CHECK-THREE-QUARTERS: tosa.conv2d {{.*}}tinyq.precision = #tinyq.precision<weight_bits = 8
//
// Without the first/last policy, by rank: l1 (24 + 8 = 32), l3 (36), then
// l0 (40) and l2 do not fit.
// CHECK-RANKED: tosa.conv2d {{.*}}weight_bits = 4
// CHECK-RANKED: tosa.conv2d {{.*}}weight_bits = 8
// CHECK-RANKED: tosa.conv2d {{.*}}weight_bits = 4
// CHECK-RANKED: tosa.conv2d {{.*}}weight_bits = 8
//
// CHECK-FULL-COUNT-4: tinyq.precision = #tinyq.precision<weight_bits = 8
//
// 30 bytes: l1 (32) does not fit, l3 (28) does, then nothing else.
// CHECK-BYTES: tosa.conv2d {{.*}}weight_bits = 4
// CHECK-BYTES: tosa.conv2d {{.*}}weight_bits = 4
// CHECK-BYTES: tosa.conv2d {{.*}}weight_bits = 4
// CHECK-BYTES: tosa.conv2d {{.*}}weight_bits = 8
// ranking=random, seed 1: std::mt19937(1) starts 1791095845, 4282876139,
// 3093770124; Fisher-Yates on the ranked order [l1, l3, l0, l2] swaps
// positions 3 and 1791095845 % 4 = 1, then 2 and 4282876139 % 3 = 2, then 1
// and 3093770124 % 2 = 0: [l2, l1, l0, l3]. Greedy within 36 bytes: l2 (32),
// l1 (40, no), l0 (36), l3 (40, no).
// CHECK-RANDOM: tosa.conv2d {{.*}}weight_bits = 8
// CHECK-RANDOM: tosa.conv2d {{.*}}weight_bits = 4
// CHECK-RANDOM: tosa.conv2d {{.*}}weight_bits = 8
// CHECK-RANDOM: tosa.conv2d {{.*}}weight_bits = 4
// ranking=single-layer: single-layer SQNRs l0 24, l1 28, l2 22, l3 20 give
// the order l3, l2, l0, l1; within 36 bytes: l3 (28), l2 (36), l0 (40, no),
// l1 (44, no).
// CHECK-SINGLE: tosa.conv2d {{.*}}weight_bits = 4
// CHECK-SINGLE: tosa.conv2d {{.*}}weight_bits = 4
// CHECK-SINGLE: tosa.conv2d {{.*}}weight_bits = 8
// CHECK-SINGLE: tosa.conv2d {{.*}}weight_bits = 8
// objective=cycles on the default cortex-m4 model: all four layers are 1x1
// convolutions (pointwise) of 8, 16, 16 and 8 MACs; CMSIS-NN's pointwise
// rates are 1303135 / 512000 = 2.545 instructions per MAC with int8 weights
// and 1887214 / 512000 = 3.686 with int4, so int8 costs less everywhere
// and every layer is raised: 48 MACs x 2.545 = 122.2 cycles.
// CHECK-CYCLES-COUNT-4: tinyq.precision = #tinyq.precision<weight_bits = 8
// CHECK-CYCLES-SHORT: error: the budget of 100 cycles is below the least the layers can cost (123)
// CHECK-CYCLES-NONE: error: objective=cycles needs budget-cycles > 0 and a cost-model among cortex-m4, cortex-m7, cortex-m55
// CHECK-OBJECTIVE: error: unknown objective 'latency' (expected size or cycles)
// 20 bytes is below the all-int4 24.
// CHECK-BYTES-SHORT: error: the budget of 20 bytes is below the least the layers can cost (24)
func.func @layers(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %wl0 = "tosa.const"() <{values = dense<0.5> : tensor<4x1x1x2xf32>}> : () -> tensor<4x1x1x2xf32>
  %bl0 = "tosa.const"() <{values = dense<0.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %l0 = tosa.conv2d %x, %wl0, %bl0, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, tinyq.sensitivity = #tinyq.sensitivity<[#tinyq.candidate<precision = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel>, weight_sqnr = 48.0, weight_mse = 1.0e-06, activation_sqnr = 40.0, activation_mse = 1.0e-05>, #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>, weight_sqnr = 22.0, weight_mse = 1.0e-03, activation_sqnr = 15.0, activation_mse = 1.0e-02>]>, tinyq.single_layer_sqnr = 24.0 : f64} : (tensor<1x1x1x2xf32>, tensor<4x1x1x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x4xf32>
  %wl1 = "tosa.const"() <{values = dense<0.5> : tensor<4x1x1x4xf32>}> : () -> tensor<4x1x1x4xf32>
  %bl1 = "tosa.const"() <{values = dense<0.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %l1 = tosa.conv2d %l0, %wl1, %bl1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, tinyq.sensitivity = #tinyq.sensitivity<[#tinyq.candidate<precision = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel>, weight_sqnr = 48.0, weight_mse = 1.0e-06, activation_sqnr = 40.0, activation_mse = 1.0e-05>, #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>, weight_sqnr = 20.0, weight_mse = 1.0e-03, activation_sqnr = 10.0, activation_mse = 1.0e-02>]>, tinyq.single_layer_sqnr = 28.0 : f64} : (tensor<1x1x1x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x4xf32>
  %wl2 = "tosa.const"() <{values = dense<0.5> : tensor<4x1x1x4xf32>}> : () -> tensor<4x1x1x4xf32>
  %bl2 = "tosa.const"() <{values = dense<0.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %l2 = tosa.conv2d %l1, %wl2, %bl2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, tinyq.sensitivity = #tinyq.sensitivity<[#tinyq.candidate<precision = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel>, weight_sqnr = 48.0, weight_mse = 1.0e-06, activation_sqnr = 40.0, activation_mse = 1.0e-05>, #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>, weight_sqnr = 25.0, weight_mse = 1.0e-03, activation_sqnr = 30.0, activation_mse = 1.0e-02>]>, tinyq.single_layer_sqnr = 22.0 : f64} : (tensor<1x1x1x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x4xf32>
  %wl3 = "tosa.const"() <{values = dense<0.5> : tensor<2x1x1x4xf32>}> : () -> tensor<2x1x1x4xf32>
  %bl3 = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %l3 = tosa.conv2d %l2, %wl3, %bl3, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, tinyq.sensitivity = #tinyq.sensitivity<[#tinyq.candidate<precision = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel>, weight_sqnr = 48.0, weight_mse = 1.0e-06, activation_sqnr = 40.0, activation_mse = 1.0e-05>, #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>, weight_sqnr = 18.0, weight_mse = 1.0e-03, activation_sqnr = 12.0, activation_mse = 1.0e-02>]>, tinyq.single_layer_sqnr = 20.0 : f64} : (tensor<1x1x1x4xf32>, tensor<2x1x1x4xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  return %l3 : tensor<1x1x1x2xf32>
}
