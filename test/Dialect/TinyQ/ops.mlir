// RUN: tinyq-opt %s | FileCheck %s
// RUN: tinyq-opt %s | tinyq-opt | FileCheck %s
// RUN: tinyq-opt %s --mlir-print-op-generic | tinyq-opt | FileCheck %s

// Round trip of every tinyq operation in each of its forms.

// CHECK-LABEL: func.func @observe
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x8xf32>)
// CHECK: %[[A:.*]] = tinyq.observe %[[X]] id 0 : tensor<1x4x4x8xf32>
// CHECK: tinyq.observe %[[A]] id 7 range <min = -1.000000e+00, max = 6.000000e+00, samples = 64> : tensor<1x4x4x8xf32>
func.func @observe(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %0 = tinyq.observe %x id 0 : tensor<1x4x4x8xf32>
  %1 = tinyq.observe %0 id 7 range <min = -1.0, max = 6.0, samples = 64> : tensor<1x4x4x8xf32>
  return %1 : tensor<1x4x4x8xf32>
}

// CHECK-LABEL: func.func @observe_f16
// CHECK: tinyq.observe %{{.*}} id 1 : tensor<?x3xf16>
func.func @observe_f16(%x: tensor<?x3xf16>) -> tensor<?x3xf16> {
  %0 = tinyq.observe %x id 1 : tensor<?x3xf16>
  return %0 : tensor<?x3xf16>
}

// CHECK-LABEL: func.func @fake_quant_per_tensor
// CHECK: tinyq.fake_quant %{{.*}} as !quant.uniform<i8:f32, 1.000000e-01:-3> : tensor<16xf32>
// CHECK: tinyq.fake_quant %{{.*}} as !quant.uniform<i4:f32, 2.500000e-01> : tensor<16xf32>
// CHECK: tinyq.fake_quant %{{.*}} as !quant.uniform<u8:f32, 5.000000e-01:128> : tensor<16xf32>
func.func @fake_quant_per_tensor(%x: tensor<16xf32>) -> tensor<16xf32> {
  %0 = tinyq.fake_quant %x as !quant.uniform<i8:f32, 0.1:-3> : tensor<16xf32>
  %1 = tinyq.fake_quant %0 as !quant.uniform<i4:f32, 0.25> : tensor<16xf32>
  %2 = tinyq.fake_quant %1 as !quant.uniform<u8:f32, 0.5:128> : tensor<16xf32>
  return %2 : tensor<16xf32>
}

// CHECK-LABEL: func.func @fake_quant_per_axis
// CHECK: tinyq.fake_quant %{{.*}} as !quant.uniform<i8<-127:127>:f32:0, {5.000000e-01,2.500000e-01}> : tensor<2x3xf32>
// CHECK: tinyq.fake_quant %{{.*}} as !quant.uniform<i4<-7:7>:f32:1, {1.000000e+00,2.000000e+00}> : tensor<?x2xf32>
func.func @fake_quant_per_axis(%w: tensor<2x3xf32>, %v: tensor<?x2xf32>) -> (tensor<2x3xf32>, tensor<?x2xf32>) {
  %0 = tinyq.fake_quant %w as !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}> : tensor<2x3xf32>
  %1 = tinyq.fake_quant %v as !quant.uniform<i4<-7:7>:f32:1, {1.0, 2.0}> : tensor<?x2xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<?x2xf32>
}

// CHECK-LABEL: func.func @requantize_per_tensor
// CHECK: tinyq.requantize %{{.*}} multiplier [1395864371] shift [-7] zero_point -3 clamp [-128, 127] : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi8>
func.func @requantize_per_tensor(%acc: tensor<1x4x4x2xi32>) -> tensor<1x4x4x2xi8> {
  %0 = tinyq.requantize %acc multiplier [1395864371] shift [-7] zero_point -3 clamp [-128, 127] : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi8>
  return %0 : tensor<1x4x4x2xi8>
}

// CHECK-LABEL: func.func @requantize_per_channel
// CHECK: tinyq.requantize %{{.*}} multiplier [1073741824, 0] shift [-8, 0] zero_point 0 clamp [-7, 7] axis 3 : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi4>
// CHECK: tinyq.requantize %{{.*}} multiplier [2147483647] shift [30] zero_point 100 clamp [0, 32767] : tensor<8xi32> -> tensor<8xi16>
func.func @requantize_per_channel(%acc: tensor<1x4x4x2xi32>, %v: tensor<8xi32>) -> (tensor<1x4x4x2xi4>, tensor<8xi16>) {
  %0 = tinyq.requantize %acc multiplier [1073741824, 0] shift [-8, 0] zero_point 0 clamp [-7, 7] axis 3 : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi4>
  %1 = tinyq.requantize %v multiplier [2147483647] shift [30] zero_point 100 clamp [0, 32767] : tensor<8xi32> -> tensor<8xi16>
  return %0, %1 : tensor<1x4x4x2xi4>, tensor<8xi16>
}

// CHECK-LABEL: func.func @sparq
// CHECK: tinyq.sparq %{{.*}} <bits = 4, shifts = [0, 2, 4], rounding = nearest_even> zero_point -128 : tensor<1x8x8x16xi8>
// CHECK: tinyq.sparq %{{.*}} <bits = 2, shifts = [0, 1, 2, 3, 4, 5, 6], rounding = truncate, pairs = true> : tensor<1x8x8x16xi8>
func.func @sparq(%a: tensor<1x8x8x16xi8>) -> tensor<1x8x8x16xi8> {
  %0 = tinyq.sparq %a <bits = 4, shifts = [0, 2, 4], rounding = nearest_even> zero_point -128 : tensor<1x8x8x16xi8>
  %1 = tinyq.sparq %0 <bits = 2, shifts = [0, 1, 2, 3, 4, 5, 6], rounding = truncate, pairs = true> zero_point 0 : tensor<1x8x8x16xi8>
  return %1 : tensor<1x8x8x16xi8>
}

// CHECK-LABEL: func.func @sparq_wide
// CHECK: tinyq.sparq %{{.*}} <bits = 6, shifts = [0, 1, 2], rounding = nearest_even> zero_point 5 : tensor<4xi32>
func.func @sparq_wide(%a: tensor<4xi32>) -> tensor<4xi32> {
  %0 = tinyq.sparq %a <bits = 6, shifts = [0, 1, 2], rounding = nearest_even> zero_point 5 : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// CHECK-LABEL: func.func @requantize_int8
// CHECK: tinyq.requantize %{{.*}} input_zero_point -10 multiplier [1342177280] shift [1] zero_point 0 clamp [-128, 127] : tensor<4xi8> -> tensor<4xi8>
// CHECK: tinyq.requantize %{{.*}} multiplier [1342177280] shift [1] zero_point 0 clamp [-128, 127] : tensor<4xi8> -> tensor<4xi8>
func.func @requantize_int8(%x: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>) {
  %0 = tinyq.requantize %x input_zero_point -10 multiplier [1342177280] shift [1] zero_point 0 clamp [-128, 127] : tensor<4xi8> -> tensor<4xi8>
  %1 = tinyq.requantize %x input_zero_point 0 multiplier [1342177280] shift [1] zero_point 0 clamp [-128, 127] : tensor<4xi8> -> tensor<4xi8>
  return %0, %1 : tensor<4xi8>, tensor<4xi8>
}
