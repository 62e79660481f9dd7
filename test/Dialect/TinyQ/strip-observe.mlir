// RUN: tinyq-opt %s --tinyq-strip-observe --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @strip_chain
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NOT: tinyq.observe
// CHECK: %[[A:.*]] = tosa.abs %[[X]]
// CHECK: return %[[A]]
func.func @strip_chain(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tinyq.observe %x id 0 : tensor<4xf32>
  %1 = tosa.abs %0 : (tensor<4xf32>) -> tensor<4xf32>
  %2 = tinyq.observe %1 id 1 range <min = 0.0, max = 3.0> : tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// Other tinyq ops are left alone.
// CHECK-LABEL: func.func @keep_fake_quant
// CHECK: tinyq.fake_quant
func.func @keep_fake_quant(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tinyq.fake_quant %x as !quant.uniform<i8:f32, 0.5> : tensor<4xf32>
  %1 = tinyq.observe %0 id 0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}
