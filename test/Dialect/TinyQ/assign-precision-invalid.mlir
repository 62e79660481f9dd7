// RUN: tinyq-opt %s --tinyq-assign-precision --split-input-file --verify-diagnostics
// RUN: not tinyq-opt %s --tinyq-assign-precision="low-bits=8" 2>&1 | FileCheck %s --check-prefix=CHECK-BITS
// CHECK-BITS: expects 2 <= low-bits < high-bits <= 8
// RUN: not tinyq-opt %s --tinyq-assign-precision="ranking=alphabetical" 2>&1 | FileCheck %s --check-prefix=CHECK-RANKING
// CHECK-RANKING: unknown ranking 'alphabetical' (expected sensitivity, single-layer or random)
// RUN: not tinyq-opt %s --tinyq-assign-precision="ranking=single-layer" --split-input-file 2>&1 | FileCheck %s --check-prefix=CHECK-SINGLE
// CHECK-SINGLE: error: no single-layer sensitivity: run the single-layer analysis first

func.func @no_record(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %w = "tosa.const"() <{values = dense<0.5> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-error @+1 {{no sensitivity record with a 4-bit candidate: run the sensitivity analysis first}}
  %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  return %0 : tensor<1x1x1x2xf32>
}
