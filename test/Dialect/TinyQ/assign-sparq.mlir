// RUN: tinyq-opt %s --tinyq-assign-sparq="spec=4,3opt,truncate,pairs" --verify-diagnostics | FileCheck %s
// RUN: tinyq-opt %s --tinyq-assign-sparq="spec=4,5opt,nearest_even keep-first-last=true" --verify-diagnostics | FileCheck %s --check-prefix=CHECK-SETUP
// RUN: not tinyq-opt %s --tinyq-assign-sparq="spec=4,1opt,truncate" 2>&1 | FileCheck %s --check-prefix=CHECK-BAD

// Three layers; the second reads a range starting below 0 and keeps plain
// activations. The first keeps its 4-bit weights (its precision); the
// others get 8-bit per-channel weights.
// CHECK: tosa.conv2d {{.*}}tinyq.precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel, sparq = #tinyq.sparq<bits = 4, shifts = [0, 2, 4], rounding = truncate, pairs = true>>
// CHECK: tosa.conv2d
// CHECK-NOT: sparq
// CHECK: tosa.conv2d {{.*}}tinyq.precision = #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel, sparq = #tinyq.sparq<bits = 4, shifts = [0, 2, 4], rounding = truncate, pairs = true>>
// SPARQ's own setup: neither the first nor the last layer.
// CHECK-SETUP-NOT: sparq =
// CHECK-BAD: error: bad SPARQ spec '4,1opt,truncate': shifts '1opt' are neither 5opt, 3opt, 2opt, all nor like 0/2/4
func.func @layers(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %w = "tosa.const"() <{values = dense<0.5> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %i = tinyq.observe %x id 0 range <min = 0.0, max = 1.0, samples = 4> : tensor<1x1x1x2xf32>
  %0 = tosa.conv2d %i, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, tinyq.precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %o0 = tinyq.observe %0 id 1 range <min = -0.5, max = 1.0, samples = 4> : tensor<1x1x1x2xf32>
  // expected-remark @+1 {{activations stay plain: SPARQ needs an input range starting at 0, not -5.000000e-01}}
  %1 = tosa.conv2d %o0, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %o1 = tinyq.observe %1 id 2 range <min = 0.0, max = 1.0, samples = 4> : tensor<1x1x1x2xf32>
  %2 = tosa.conv2d %o1, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %o2 = tinyq.observe %2 id 3 range <min = -1.0, max = 1.0, samples = 4> : tensor<1x1x1x2xf32>
  return %o2 : tensor<1x1x1x2xf32>
}
