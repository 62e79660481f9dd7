// The Cortex-M passes act on modules whose #tinyq.target has what they
// emit code for: the DSP extension (kernels, combined byte accesses) or
// Helium. Elsewhere, and without a target, they leave the IR as it is.
// RUN: tinyq-opt %s --tinyq-lower-cortex-m --tinyq-combine-byte-accesses | FileCheck %s --check-prefix=UNCHANGED
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m3 --tinyq-lower-cortex-m --tinyq-combine-byte-accesses | FileCheck %s --check-prefix=UNCHANGED
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-lower-cortex-m | FileCheck %s --check-prefix=DSP
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m55 --tinyq-lower-cortex-m | FileCheck %s --check-prefix=HELIUM

// UNCHANGED-LABEL: func.func @fully_connected
// UNCHANGED: tinyq.fully_connected
// UNCHANGED-NOT: tinyq_cortexm.intr
// DSP-LABEL: func.func @fully_connected
// DSP-NOT: tinyq.fully_connected
// DSP: tinyq_cortexm.intr.smlad
// DSP-NOT: tinyq_cortexm.intr.mve
// HELIUM-LABEL: func.func @fully_connected
// HELIUM-NOT: tinyq.fully_connected
// HELIUM: tinyq_cortexm.intr.mve.vmldava
func.func @fully_connected(%x: tensor<1x16xi8>) -> tensor<1x4xi8> {
  %w = arith.constant dense<3> : tensor<4x16xi8>
  %b = arith.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
  %0 = tinyq.fully_connected %x, %w, %b zero_points(-128, 0) multiplier [1395864371] shift [-7] clamp [-128, 127] : (tensor<1x16xi8>, tensor<4x16xi8>, tensor<4xi32>) -> tensor<1x4xi8>
  return %0 : tensor<1x4xi8>
}
