// RUN: tinyq-opt %s --tinyq-set-target="target=x86_64 cpu=icelake-server" --tinyq-lower-x86 | FileCheck %s --check-prefix=ZMM
// RUN: tinyq-opt %s --tinyq-set-target="target=x86_64 features=+avxvnni" --tinyq-lower-x86 | FileCheck %s --check-prefix=YMM
// Without VNNI, and on other targets, the layers stay for
// tinyq-lower-integer-ops.
// RUN: tinyq-opt %s --tinyq-set-target="target=x86_64" --tinyq-lower-x86 | FileCheck %s --check-prefix=NONE
// RUN: tinyq-opt %s --tinyq-set-target="target=cortex-m55" --tinyq-lower-x86 | FileCheck %s --check-prefix=NONE
// NONE: tinyq.fully_connected
// NONE-NOT: tinyq_x86

// 37 channels over a depth of 70 (18 groups of 4, the last half empty).
// The bias takes the unsigned offset of the activations: 100 - (128 - 5) *
// (3 * 70) = -25730 for every channel, 0 for the padding channels.
// AVX-512 VNNI: tiles of 16 channels, 3 of them (48 table entries; 3 * 18
// * 64 = 3456 weight bytes): 2 whole tiles one at a time (fewer than a
// block of 4), then the partial tile with masked stores.
// ZMM-LABEL: func.func @fully_connected
// ZMM-DAG: %[[W:.*]] = arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<3456xi8>
// ZMM-DAG: %[[B:.*]] = arith.constant dense<[-25730, {{.*}}, -25730, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]> : tensor<48xi32>
// ZMM: scf.for %[[ROW:.*]] = %c0 to %c2 step %c1
// ZMM: scf.for %[[TILE:.*]] = %c0 to %c2 step %c1
// ZMM: %[[FIRST:.*]] = arith.muli %[[TILE]], %c16 : index
// ZMM: %[[ACC:.*]] = vector.transfer_read %[[B]][%[[FIRST]]]{{.*}} {in_bounds = [true]} : tensor<48xi32>, vector<16xi32>
// ZMM: scf.for %[[G:.*]] = %c0 to %c18 step %c1 iter_args(%[[SUM:.*]] = %[[ACC]])
// The group's 4 activations (-128 past the depth), top bits flipped,
// broadcast to every lane.
// ZMM: %[[X:.*]] = vector.transfer_read %arg0[%[[ROW]], %{{.*}}], %c-128_i8 : tensor<2x70xi8>, vector<4xi8>
// ZMM: %[[U:.*]] = arith.xori %[[X]], %{{.*}} : vector<4xi8>
// ZMM: %[[WORD:.*]] = vector.bitcast %[[U]] : vector<4xi8> to vector<1xi32>
// ZMM: %[[S:.*]] = vector.extract %[[WORD]][0]
// ZMM: %[[BC:.*]] = vector.broadcast %[[S]] : i32 to vector<16xi32>
// ZMM: %[[A:.*]] = vector.bitcast %[[BC]] : vector<16xi32> to vector<64xi8>
// ZMM: %[[WV:.*]] = vector.transfer_read %[[W]][%{{.*}}]{{.*}} {in_bounds = [true]} : tensor<3456xi8>, vector<64xi8>
// ZMM: tinyq_x86.intr.vpdpbusd.512 %[[SUM]], %[[A]], %[[WV]] : vector<16xi32>, vector<64xi8>
// ZMM: arith.trunci %{{.*}} : vector<16xi32> to vector<16xi8>
// ZMM: vector.transfer_write %{{.*}}, %{{.*}}[%[[ROW]], %[[FIRST]]] {in_bounds = [true]} : vector<16xi8>, tensor<2x37xi8>
// The partial tile: channels 32 to 36.
// ZMM: vector.transfer_read %[[B]][%c32]
// ZMM: tinyq_x86.intr.vpdpbusd.512
// ZMM: vector.transfer_write %{{.*}}, %{{.*}}[%[[ROW]], %c32] : vector<16xi8>, tensor<2x37xi8>
// ZMM-NOT: tinyq.fully_connected
// AVX-VNNI: tiles of 8, 5 of them (5 * 18 * 32 = 2880 weight bytes): one
// block of 4 whole tiles accumulating at once, then the partial tile.
// YMM-LABEL: func.func @fully_connected
// YMM-DAG: arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<2880xi8>
// YMM: scf.for %{{.*}} = %c0 to %c4 step %c4
// YMM: scf.for %{{.*}} = %c0 to %c18 step %c1 iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}})
// YMM-COUNT-4: tinyq_x86.intr.vpdpbusd.256 {{.*}} : vector<8xi32>, vector<32xi8>
// YMM: vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}, %c32] : vector<8xi8>, tensor<2x37xi8>
func.func @fully_connected(%x: tensor<2x70xi8>) -> tensor<2x37xi8> {
  %w = arith.constant dense<3> : tensor<37x70xi8>
  %b = arith.constant dense<100> : tensor<37xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(-5, 3) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<2x70xi8>, tensor<37x70xi8>, tensor<37xi32>) -> tensor<2x37xi8>
  return %0 : tensor<2x37xi8>
}
