// RUN: tinyq-translate --tinyq-to-llvmir %s | llc -mtriple=x86_64-unknown-linux-gnu -mcpu=x86-64-v3 -mattr=+avxvnni | FileCheck %s

// On an AVX2 CPU with AVX-VNNI but no AVX-512 (Intel client cores since
// Alder Lake), the 256-bit dot product takes its VEX encoding and
// the AVX2 multiply-adds stay in ymm registers.

// CHECK-LABEL: vnni256:
// CHECK: {vex} vpdpbusd %ymm2, %ymm1, %ymm0
llvm.func @vnni256(%acc: vector<8xi32>, %a: vector<32xi8>, %b: vector<32xi8>) -> vector<8xi32> {
  %0 = tinyq_x86.intr.vpdpbusd.256 %acc, %a, %b : vector<8xi32>, vector<32xi8>
  llvm.return %0 : vector<8xi32>
}

// CHECK-LABEL: avx2:
// CHECK: vpmaddubsw %ymm1, %ymm0, %ymm0
// CHECK-NEXT: vpmaddwd %ymm2, %ymm0, %ymm0
llvm.func @avx2(%a: vector<32xi8>, %b: vector<32xi8>, %ones: vector<16xi16>) -> vector<8xi32> {
  %0 = tinyq_x86.intr.pmaddubsw.256 %a, %b : vector<32xi8> to vector<16xi16>
  %1 = tinyq_x86.intr.pmaddwd.256 %0, %ones : vector<16xi16> to vector<8xi32>
  llvm.return %1 : vector<8xi32>
}
