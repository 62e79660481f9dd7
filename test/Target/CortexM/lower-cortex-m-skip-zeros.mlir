// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-lower-cortex-m="skip-zero-activations=true" --split-input-file | FileCheck %s
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-lower-cortex-m --split-input-file | FileCheck %s --check-prefix=DENSE

// Six outputs over a depth of 8, two rows. The weights are stored column
// by column for each tile of 4 channels (the last tile padded with zero
// channels): word k of tile 0 holds byte c = w[c, k] (2 tiles of 8 words;
// WeightLayoutsTest's ColumnsGiveTheSkippingKernelsSums checks the values
// and the kernel's smlatb / smlatt sums over them).
// The sums start from the bias as it is (no zero-point term): the inputs
// are listed as x - z.
// CHECK-LABEL: func.func @fully_connected
// CHECK-DAG: %[[COLUMNS:.*]] = arith.constant dense<{{.*}}> : tensor<16xi32>
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<[10, 20, 30, 40, 50, 60, 0, 0]> : tensor<8xi32>
// CHECK: %[[LIST:.*]] = tensor.empty() : tensor<9xi32>
// CHECK: scf.for %[[ROW:.*]] = %c0 to %c2 step %c1 iter_args(%{{.*}} = %{{.*}}, %[[LIST_ARG:.*]] = %[[LIST]]) -> (tensor<2x6xi8>, tensor<9xi32>)
// Per row: entry (x + 128) << 16 | k at the count, which advances past
// the non-zero ones.
// CHECK: %[[COMPACT:.*]]:2 = scf.for %[[K:.*]] = %c0 to %c8 step %c1 iter_args(%[[COUNT:.*]] = %c0, %[[ENTRIES:.*]] = %[[LIST_ARG]]) -> (index, tensor<9xi32>)
// CHECK: %[[X:.*]] = tensor.extract %{{.*}}[%[[ROW]], %[[K]]] : tensor<2x8xi8>
// CHECK: %[[WIDE:.*]] = arith.extsi %[[X]] : i8 to i32
// CHECK: %[[V:.*]] = arith.subi %[[WIDE]], %c-128_i32 : i32
// CHECK: %[[HIGH:.*]] = arith.shli %[[V]], %c16_i32 : i32
// CHECK: %[[KI:.*]] = arith.index_castui %[[K]] : index to i32
// CHECK: %[[ENTRY:.*]] = arith.ori %[[HIGH]], %[[KI]] : i32
// CHECK: %[[INSERTED:.*]] = tensor.insert %[[ENTRY]] into %[[ENTRIES]][%[[COUNT]]] : tensor<9xi32>
// CHECK: %[[NONZERO:.*]] = arith.cmpi ne, %[[V]], %c0_i32 : i32
// CHECK: %[[STEP:.*]] = arith.extui %[[NONZERO]] : i1 to i32
// CHECK: %[[STEPI:.*]] = arith.index_castui %[[STEP]] : i32 to index
// CHECK: %[[NEXT:.*]] = arith.addi %[[COUNT]], %[[STEPI]] : index
// CHECK: scf.yield %[[NEXT]], %[[INSERTED]] : index, tensor<9xi32>
// A zero entry after the listed ones pads them to pairs.
// CHECK: %[[PADDED:.*]] = tensor.insert %c0_i32 into %[[COMPACT]]#1[%[[COMPACT]]#0] : tensor<9xi32>
// CHECK: %[[ROUND:.*]] = arith.addi %[[COMPACT]]#0, %c1 : index
// CHECK: %[[PAIRS:.*]] = arith.divui %[[ROUND]], %c2 : index
// One full tile, over the listed entries only, two per iteration: the
// tile's column word of k, unpacked into (w0, w2) and (w1, w3), times the
// entry's high half.
// CHECK: scf.for %[[TILE:.*]] = %c0 to %c1 step %c1
// CHECK: %[[FIRST:.*]] = arith.muli %[[TILE]], %c4 : index
// CHECK: %[[BIAS0:.*]] = tensor.extract %[[BIAS]][%[[FIRST]]] : tensor<8xi32>
// CHECK: %[[BASE:.*]] = arith.muli %[[TILE]], %c8 : index
// CHECK: scf.for %[[PAIR:.*]] = %c0 to %[[PAIRS]] step %c1 iter_args(%[[S0:.*]] = %[[BIAS0]], %[[S1:.*]] = %{{.*}}, %[[S2:.*]] = %{{.*}}, %[[S3:.*]] = %{{.*}}) -> (i32, i32, i32, i32)
// CHECK: %[[I:.*]] = arith.muli %[[PAIR]], %c2 : index
// CHECK: %[[E:.*]] = tensor.extract %[[PADDED]][%[[I]]] : tensor<9xi32>
// CHECK: %[[KBITS:.*]] = arith.andi %[[E]], %c65535_i32 : i32
// CHECK: %[[KIDX:.*]] = arith.index_castui %[[KBITS]] : i32 to index
// CHECK: %[[AT:.*]] = arith.addi %[[BASE]], %[[KIDX]] : index
// CHECK: %[[W:.*]] = tensor.extract %[[COLUMNS]][%[[AT]]] : tensor<16xi32>
// CHECK: %[[EVEN:.*]] = tinyq_cortexm.intr.sxtb16 %[[W]]
// CHECK: %[[ODD:.*]] = tinyq_cortexm.intr.sxtb16
// CHECK: tinyq_cortexm.intr.smlatb %[[E]], %[[EVEN]], %[[S0]]
// CHECK: tinyq_cortexm.intr.smlatb %[[E]], %[[ODD]], %[[S1]]
// CHECK: tinyq_cortexm.intr.smlatt %[[E]], %[[EVEN]], %[[S2]]
// CHECK: %[[T3:.*]] = tinyq_cortexm.intr.smlatt %[[E]], %[[ODD]], %[[S3]]
// CHECK: %[[I1:.*]] = arith.addi %[[I]], %c1 : index
// CHECK: %[[E1:.*]] = tensor.extract %[[PADDED]][%[[I1]]] : tensor<9xi32>
// CHECK-COUNT-2: tinyq_cortexm.intr.sxtb16
// CHECK-COUNT-3: tinyq_cortexm.intr.smla
// CHECK: tinyq_cortexm.intr.smlatt %[[E1]], %{{.*}}, %[[T3]]
// CHECK: } {loop_annotation = #{{.*}}}
// CHECK-COUNT-4: tensor.insert %{{.*}} into %{{.*}}[%[[ROW]], %{{.*}}] : tensor<2x6xi8>
// The last 2 channels: a tile whose sums start from 50, 60, 0, 0, of
// which 2 are stored.
// CHECK: scf.for %{{.*}} = %c0 to %[[PAIRS]] step %c1 iter_args(%{{.*}} = %c50_i32, %{{.*}} = %c60_i32, %{{.*}} = %c0_i32, %{{.*}} = %c0_i32)
// CHECK-COUNT-2: tensor.insert %{{.*}} into %{{.*}}[%[[ROW]], %{{.*}}] : tensor<2x6xi8>
// CHECK-NOT: tensor.insert
// CHECK: scf.yield %{{.*}}, %[[PADDED]] : tensor<2x6xi8>, tensor<9xi32>
// CHECK-NOT: tinyq.fully_connected
// Without the option, the dense kernel.
// DENSE-LABEL: func.func @fully_connected
// DENSE-NOT: tinyq_cortexm.intr.smlatb
// DENSE: tinyq_cortexm.intr.smlad
func.func @fully_connected(%x: tensor<2x8xi8>) -> tensor<2x6xi8> {
  %w = arith.constant dense<[[1, 2, 3, 4, 5, 6, 7, 8], [-1, -2, -3, -4, -5, -6, -7, -8], [0, 1, 0, 1, 0, 1, 0, 1], [127, -127, 1, 2, 3, 4, 5, 6], [2, 2, 2, 2, 2, 2, 2, 2], [9, 8, 7, 6, 5, 4, 3, 2]]> : tensor<6x8xi8>
  %b = arith.constant dense<[10, 20, 30, 40, 50, 60]> : tensor<6xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(-128, 3) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<2x8xi8>, tensor<6x8xi8>, tensor<6xi32>) -> tensor<2x6xi8>
  return %0 : tensor<2x6xi8>
}

// -----

// A pointwise convolution skips per pixel: int4 weights are stored as
// bytes (tile 0's column 0 = (1, -8, 7, 0) = 0x0007F801 = 522241), and
// the bias gets back its zero-point term: 100 - 5 * 9 = 55 folded, 100
// again here. A 3x3 convolution keeps the dense kernel.
// CHECK-LABEL: func.func @pointwise
// CHECK-DAG: arith.constant dense<[522241, {{.*}}]> : tensor<8xi32>
// CHECK-DAG: arith.constant dense<[100, -7, 0, 3]> : tensor<4xi32>
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] : tensor<1x2x3x8xi8> into tensor<6x8xi8>
// CHECK: scf.for %{{.*}} = %c0 to %c6 step %c1
// CHECK: arith.subi %{{.*}}, %c5_i32 : i32
// CHECK: tinyq_cortexm.intr.smlatb
// CHECK: tensor.expand_shape
// CHECK-NOT: tinyq_cortexm.intr.smlatb
// CHECK: tinyq_cortexm.intr.smlad
// CHECK-NOT: tinyq.conv2d
func.func @pointwise(%x: tensor<1x2x3x8xi8>, %y: tensor<1x2x2x4xi8>) -> (tensor<1x2x3x4xi8>, tensor<1x2x2x4xi8>) {
  %w = arith.constant dense<[[[[1, 1, 1, 1, 1, 1, 1, 2]]], [[[-8, 0, 0, 0, 0, 0, 0, 0]]], [[[7, 7, -7, -7, 0, 0, 0, 0]]], [[[0, 0, 0, 0, 0, 0, 0, 0]]]]> : tensor<4x1x1x8xi4>
  %b = arith.constant dense<[100, -7, 0, 3]> : tensor<4xi32>
  %0 = tinyq.conv2d %x, %w, %b zero_points(5, 0) multiplier [1073741824] shift [-4] clamp [-128, 127] pad [0, 0, 0, 0] stride [1, 1] dilation [1, 1] : (tensor<1x2x3x8xi8>, tensor<4x1x1x8xi4>, tensor<4xi32>) -> tensor<1x2x3x4xi8>
  %w3 = arith.constant dense<1> : tensor<4x3x3x4xi8>
  %b3 = arith.constant dense<0> : tensor<4xi32>
  %1 = tinyq.conv2d %y, %w3, %b3 zero_points(0, 0) multiplier [1073741824] shift [-4] clamp [-128, 127] pad [1, 1, 1, 1] stride [1, 1] dilation [1, 1] : (tensor<1x2x2x4xi8>, tensor<4x3x3x4xi8>, tensor<4xi32>) -> tensor<1x2x2x4xi8>
  return %0, %1 : tensor<1x2x3x4xi8>, tensor<1x2x2x4xi8>
}
