// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-lower-cortex-m --split-input-file | FileCheck %s
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-lower-cortex-m="two-of-four-weights=false" --split-input-file | FileCheck %s --check-prefix=OFF
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-lower-cortex-m="unpacked-weights-limit=31" --split-input-file | FileCheck %s --check-prefix=OFF

// 2:4-sparse weights: per tile of 4 channels and group of 4 inputs, each
// channel's word pair is its two non-zero weights as halfwords and the
// word index in the expanded row of the input pair they multiply (group g
// at 6g: (x0, x2), (x1, x3), (x0, x1), (x2, x3), (x0, x3), (x1, x2)):
// 16 words for 2 groups of a tile of 4 channels, channels 2 and 3 padding
// it with zeros. WeightLayoutsTest checks the values and, over every 2:4
// pattern, that the named pairs give the dot products.
// The bias holds the zero-point term as in the dense kernel: 10 + 2 * (1
// + 2 + 3 - 4) = 14, 20 + 2 * (5 + 6 + 7) = 56 (one tile: its sums start
// from them as constants). The stream is 32 bytes
// (2 per weight of the tile): unpacked-weights-limit=31 keeps the dense
// kernel.
// CHECK-LABEL: func.func @fully_connected
// CHECK-DAG: %[[STREAM:.*]] = arith.constant dense<{{.*}}> : tensor<16xi32>
// CHECK-DAG: arith.constant 14 : i32
// CHECK-DAG: arith.constant 56 : i32
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<12xi32>
// CHECK: scf.for %[[ROW:.*]] = %c0 to %c1 step %c1 iter_args(%{{.*}} = %{{.*}}, %[[BUFFER:.*]] = %[[EMPTY]])
// Per row and group: the input word, sxtb16 into (x0, x2) and (x1, x3),
// the 4 other pairs packed, all 6 stored at 6g.
// CHECK: %[[EXPANDED:.*]] = scf.for %[[G:.*]] = %c0 to %c2 step %c1 iter_args(%[[E:.*]] = %[[BUFFER]]) -> (tensor<12xi32>)
// CHECK: %[[EVEN:.*]] = tinyq_cortexm.intr.sxtb16
// CHECK: %[[ODD:.*]] = tinyq_cortexm.intr.sxtb16
// CHECK: %[[LOW01:.*]] = arith.andi %[[EVEN]], %c65535_i32
// CHECK: %[[HIGH01:.*]] = arith.shli %[[ODD]], %c16_i32
// CHECK: %[[P01:.*]] = arith.ori %[[LOW01]], %[[HIGH01]]
// CHECK: %[[HIGH23:.*]] = arith.andi %[[ODD]], %c-65536_i32
// CHECK: %[[LOW23:.*]] = arith.shrui %[[EVEN]], %c16_i32
// CHECK: %[[P23:.*]] = arith.ori %[[HIGH23]], %[[LOW23]]
// CHECK: %[[BASE:.*]] = arith.muli %[[G]], %c6
// CHECK: tensor.insert %[[EVEN]] into %[[E]][%[[BASE]]]
// CHECK-COUNT-5: tensor.insert
// One tile: per group and channel, the stream's word pair, the input
// pair at its index, one smlad.
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args(
// CHECK-COUNT-4: tinyq_cortexm.intr.smlad
// CHECK-NOT: tinyq_cortexm.intr.smlad
// CHECK: } {loop_annotation
// CHECK-COUNT-2: tensor.insert %{{.*}} into %{{.*}}[%[[ROW]], %{{.*}}] : tensor<1x2xi8>
// CHECK-NOT: tinyq.fully_connected
// OFF-LABEL: func.func @fully_connected
// OFF-NOT: tensor<12xi32>
// OFF: tinyq_cortexm.intr.smlad
func.func @fully_connected(%x: tensor<1x8xi8>) -> tensor<1x2xi8> {
  %w = arith.constant dense<[[1, 0, 2, 0, 0, 3, 0, -4], [0, 5, 6, 0, 7, 0, 0, 0]]> : tensor<2x8xi8>
  %b = arith.constant dense<[10, 20]> : tensor<2xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(-2, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<1x8xi8>, tensor<2x8xi8>, tensor<2xi32>) -> tensor<1x2xi8>
  return %0 : tensor<1x2xi8>
}

// -----

// Three non-zero weights in a group: the dense kernel.
// CHECK-LABEL: func.func @dense
// CHECK-NOT: tensor<6xi32>
// CHECK: tinyq_cortexm.intr.smlad
func.func @dense(%x: tensor<1x4xi8>) -> tensor<1x1xi8> {
  %w = arith.constant dense<[[1, 2, 3, 0]]> : tensor<1x4xi8>
  %b = arith.constant dense<0> : tensor<1xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(0, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<1x4xi8>, tensor<1x4xi8>, tensor<1xi32>) -> tensor<1x1xi8>
  return %0 : tensor<1x1xi8>
}
