// RUN: tinyq-opt %s --tinyq-quantize --tinyq-fuse-qdq --split-input-file | FileCheck %s

// Precision islands: a layer's tinyq.precision activation_bits is the width
// of the activations it reads. A tensor that only layers of one width read
// is produced at that width by its producer's own requantization, so a
// chain of layers needs no requantization between islands and neighbours of
// the same width merge: here A8, A4, A4, A8 over a range of [-0.5, 1]
// (4-bit: scale 0.1, zero point -3, clamp [-8, 7]; 8-bit: zero point -43).
// l0 already writes the 4-bit grid l1 reads; l1 writes it for l2 (the
// merged island); l2 writes the 8-bit grid l3 reads.
// CHECK-LABEL: func.func @chain
// CHECK-NOT: tinyq.requantize
// CHECK: %[[L0:.*]] = tinyq.conv2d %{{.*}} zero_points(-128, -3) {{.*}} clamp [-8, 7] {{.*}}activation_bits = 8
// CHECK-NOT: tinyq.requantize
// CHECK: %[[L1:.*]] = tinyq.conv2d %[[L0]], {{.*}} zero_points(-3, -3) {{.*}} clamp [-8, 7] {{.*}}activation_bits = 4
// CHECK-NOT: tinyq.requantize
// CHECK: %[[L2:.*]] = tinyq.conv2d %[[L1]], {{.*}} zero_points(-3, -43) {{.*}} clamp [-128, 127] {{.*}}activation_bits = 4
// CHECK-NOT: tinyq.requantize
// CHECK: tinyq.conv2d %[[L2]], {{.*}} zero_points(-43, -43) {{.*}} clamp [-128, 127] {{.*}}activation_bits = 8
// CHECK-NOT: tinyq.requantize
// CHECK: return
func.func @chain(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %w = "tosa.const"() <{values = dense<[[[[0.5, -0.25]]], [[[0.25, 0.5]]]]> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %i = tinyq.observe %x id 0 range <min = 0.0, max = 1.0, samples = 4> : tensor<1x1x1x2xf32>
  %0 = tosa.conv2d %i, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, tinyq.precision = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %o0 = tinyq.observe %0 id 1 range <min = -0.5, max = 1.0, samples = 4> : tensor<1x1x1x2xf32>
  %1 = tosa.conv2d %o0, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, tinyq.precision = #tinyq.precision<weight_bits = 4, activation_bits = 4, granularity = per_channel>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %o1 = tinyq.observe %1 id 2 range <min = -0.5, max = 1.0, samples = 4> : tensor<1x1x1x2xf32>
  %2 = tosa.conv2d %o1, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, tinyq.precision = #tinyq.precision<weight_bits = 4, activation_bits = 4, granularity = per_channel>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %o2 = tinyq.observe %2 id 3 range <min = -0.5, max = 1.0, samples = 4> : tensor<1x1x1x2xf32>
  %3 = tosa.conv2d %o2, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, tinyq.precision = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %o3 = tinyq.observe %3 id 4 range <min = -0.5, max = 1.0, samples = 4> : tensor<1x1x1x2xf32>
  return %o3 : tensor<1x1x1x2xf32>
}

// -----

// A tensor read at two widths (l0's output, by the A4 l1 and the A8 l2)
// stays at the pass-wide 8 bits, and the one island boundary gets the one
// requantization: 8-bit grid (scale 1.5 / 255, zero point -43) to the 4-bit
// one (scale 0.1, zero point -3), multiplier 2021161090 * 2^-4 / 2^31 =
// 0.0588 = (1.5 / 255) / 0.1.
// CHECK-LABEL: func.func @fanout
// CHECK: %[[L0:.*]] = tinyq.conv2d %{{.*}} zero_points(-128, -43) {{.*}} clamp [-128, 127]
// CHECK-NEXT: %[[R:.*]] = tinyq.requantize %[[L0]] input_zero_point -43 multiplier [2021161090] shift [-4] zero_point -3 clamp [-8, 7]
// CHECK-NEXT: tinyq.conv2d %[[R]], {{.*}} zero_points(-3, -43) {{.*}}activation_bits = 4
// CHECK-NEXT: tinyq.conv2d %[[L0]], {{.*}} zero_points(-43, -43) {{.*}}activation_bits = 8
// CHECK-NOT: tinyq.requantize
// CHECK: return
func.func @fanout(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %w = "tosa.const"() <{values = dense<[[[[0.5, -0.25]]], [[[0.25, 0.5]]]]> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %i = tinyq.observe %x id 0 range <min = 0.0, max = 1.0, samples = 4> : tensor<1x1x1x2xf32>
  %0 = tosa.conv2d %i, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, tinyq.precision = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %o0 = tinyq.observe %0 id 1 range <min = -0.5, max = 1.0, samples = 4> : tensor<1x1x1x2xf32>
  %1 = tosa.conv2d %o0, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, tinyq.precision = #tinyq.precision<weight_bits = 4, activation_bits = 4, granularity = per_channel>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %o1 = tinyq.observe %1 id 2 range <min = -0.5, max = 1.0, samples = 4> : tensor<1x1x1x2xf32>
  %2 = tosa.conv2d %o0, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, tinyq.precision = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %o2 = tinyq.observe %2 id 3 range <min = -0.5, max = 1.0, samples = 4> : tensor<1x1x1x2xf32>
  %3 = tosa.add %o1, %o2 : (tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32>
  %o3 = tinyq.observe %3 id 4 range <min = -1.0, max = 2.0, samples = 4> : tensor<1x1x1x2xf32>
  return %o3 : tensor<1x1x1x2xf32>
}
