// RUN: tinyq-opt %s | tinyq-opt | FileCheck %s
// RUN: tinyq-opt %s --mlir-print-op-generic | tinyq-opt | FileCheck %s

// CHECK-LABEL: func.func @ops
// CHECK: tinyq_x86.intr.vpdpbusd.512 %{{.*}}, %{{.*}}, %{{.*}} : vector<16xi32>, vector<64xi8>
// CHECK: tinyq_x86.intr.vpdpbusd.256 %{{.*}}, %{{.*}}, %{{.*}} : vector<8xi32>, vector<32xi8>
// CHECK: tinyq_x86.intr.pmaddubsw.256 %{{.*}}, %{{.*}} : vector<32xi8> to vector<16xi16>
// CHECK: tinyq_x86.intr.pmaddubsw.512 %{{.*}}, %{{.*}} : vector<64xi8> to vector<32xi16>
// CHECK: tinyq_x86.intr.pmaddwd.256 %{{.*}}, %{{.*}} : vector<16xi16> to vector<8xi32>
// CHECK: tinyq_x86.intr.pmaddwd.512 %{{.*}}, %{{.*}} : vector<32xi16> to vector<16xi32>
func.func @ops(%acc16: vector<16xi32>, %a64: vector<64xi8>, %b64: vector<64xi8>,
               %acc8: vector<8xi32>, %a32: vector<32xi8>, %b32: vector<32xi8>,
               %h16: vector<16xi16>, %h32: vector<32xi16>)
    -> (vector<16xi32>, vector<8xi32>, vector<16xi16>, vector<32xi16>, vector<8xi32>, vector<16xi32>) {
  %0 = tinyq_x86.intr.vpdpbusd.512 %acc16, %a64, %b64 : vector<16xi32>, vector<64xi8>
  %1 = tinyq_x86.intr.vpdpbusd.256 %acc8, %a32, %b32 : vector<8xi32>, vector<32xi8>
  %2 = tinyq_x86.intr.pmaddubsw.256 %a32, %b32 : vector<32xi8> to vector<16xi16>
  %3 = tinyq_x86.intr.pmaddubsw.512 %a64, %b64 : vector<64xi8> to vector<32xi16>
  %4 = tinyq_x86.intr.pmaddwd.256 %h16, %h16 : vector<16xi16> to vector<8xi32>
  %5 = tinyq_x86.intr.pmaddwd.512 %h32, %h32 : vector<32xi16> to vector<16xi32>
  return %0, %1, %2, %3, %4, %5 : vector<16xi32>, vector<8xi32>, vector<16xi16>, vector<32xi16>, vector<8xi32>, vector<16xi32>
}
