// RUN: tinyq-opt %s --tinyq-expand-fake-quant --split-input-file | FileCheck %s

// The rounding is explicit: math.roundeven, never a truncating fptosi.

// CHECK-LABEL: func.func @expand_per_tensor
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-DAG: %[[S:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[Z:.*]] = arith.constant -3.000000e+00 : f32
// CHECK-DAG: %[[QMIN:.*]] = arith.constant -8.000000e+00 : f32
// CHECK-DAG: %[[QMAX:.*]] = arith.constant 7.000000e+00 : f32
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[R:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: ins(%[[X]] : tensor<2x3xf32>) outs(%[[INIT]] : tensor<2x3xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[DIV:.*]] = arith.divf %[[IN]], %[[S]] : f32
// CHECK: %[[ROUND:.*]] = math.roundeven %[[DIV]] : f32
// CHECK: %[[ADD:.*]] = arith.addf %[[ROUND]], %[[Z]] : f32
// CHECK: %[[LO:.*]] = arith.maxnumf %[[ADD]], %[[QMIN]] : f32
// CHECK: %[[HI:.*]] = arith.minnumf %[[LO]], %[[QMAX]] : f32
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[DIV]], %[[DIV]] : f32
// CHECK: %[[Q:.*]] = arith.select %[[NAN]], %[[Z]], %[[HI]] : f32
// CHECK: %[[C:.*]] = arith.subf %[[Q]], %[[Z]] : f32
// CHECK: %[[D:.*]] = arith.mulf %[[C]], %[[S]] : f32
// CHECK: linalg.yield %[[D]] : f32
// CHECK: return %[[R]]
func.func @expand_per_tensor(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tinyq.fake_quant %x as !quant.uniform<i4:f32, 0.5:-3> : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Per-axis parameters come from vectors indexed by the quantized dimension;
// the narrow range sets the clamp bounds.
// CHECK: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK: #[[CH:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @expand_per_axis
// CHECK-DAG: %[[QMAX:.*]] = arith.constant 1.270000e+02 : f32
// CHECK-DAG: %[[QMIN:.*]] = arith.constant -1.270000e+02 : f32
// CHECK-DAG: %[[SCALES:.*]] = arith.constant dense<[1.000000e+00, 2.500000e-01, 5.000000e-01]> : tensor<3xf32>
// CHECK-DAG: %[[ZPS:.*]] = arith.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[ID]]]
// CHECK-SAME: ins(%{{.*}}, %[[SCALES]], %[[ZPS]] : tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[S:.*]]: f32, %[[Z:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[DIV:.*]] = arith.divf %[[IN]], %[[S]] : f32
// CHECK: %[[ROUND:.*]] = math.roundeven %[[DIV]] : f32
// CHECK: %[[ADD:.*]] = arith.addf %[[ROUND]], %[[Z]] : f32
// CHECK: arith.maxnumf %[[ADD]], %[[QMIN]] : f32
func.func @expand_per_axis(%w: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tinyq.fake_quant %w as !quant.uniform<i8<-127:127>:f32:1, {1.0, 0.25, 0.5}> : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Dynamic sizes are carried to the destination tensor.
// CHECK-LABEL: func.func @expand_dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[DIM:.*]] = tensor.dim %[[X]], %[[C0]] : tensor<?x4xf32>
// CHECK: tensor.empty(%[[DIM]]) : tensor<?x4xf32>
func.func @expand_dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = tinyq.fake_quant %x as !quant.uniform<u8:f32, 0.5:128> : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
