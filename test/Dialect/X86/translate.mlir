// RUN: tinyq-translate --tinyq-to-llvmir %s | FileCheck %s
// The instructions LLVM selects for them on an AVX-512 VNNI CPU
// (translate-avx-vnni.mlir: without AVX-512).
// RUN: tinyq-translate --tinyq-to-llvmir %s | llc -mtriple=x86_64-unknown-linux-gnu -mcpu=icelake-server | FileCheck %s --check-prefix=ICX

// Each op is the call of its LLVM intrinsic.

// CHECK-LABEL: define <16 x i32> @vnni512(
// CHECK: call <16 x i32> @llvm.x86.avx512.vpdpbusd.512(<16 x i32> %0, <64 x i8> %1, <64 x i8> %2)
// ICX-LABEL: vnni512:
// ICX: vpdpbusd %zmm2, %zmm1, %zmm0
llvm.func @vnni512(%acc: vector<16xi32>, %a: vector<64xi8>, %b: vector<64xi8>) -> vector<16xi32> {
  %0 = tinyq_x86.intr.vpdpbusd.512 %acc, %a, %b : vector<16xi32>, vector<64xi8>
  llvm.return %0 : vector<16xi32>
}

// CHECK-LABEL: define <8 x i32> @vnni256(
// CHECK: call <8 x i32> @llvm.x86.avx512.vpdpbusd.256(<8 x i32> %0, <32 x i8> %1, <32 x i8> %2)
// ICX-LABEL: vnni256:
// ICX: vpdpbusd %ymm2, %ymm1, %ymm0
llvm.func @vnni256(%acc: vector<8xi32>, %a: vector<32xi8>, %b: vector<32xi8>) -> vector<8xi32> {
  %0 = tinyq_x86.intr.vpdpbusd.256 %acc, %a, %b : vector<8xi32>, vector<32xi8>
  llvm.return %0 : vector<8xi32>
}

// CHECK-LABEL: define <8 x i32> @avx2(
// CHECK: %[[H:.*]] = call <16 x i16> @llvm.x86.avx2.pmadd.ub.sw(<32 x i8> %0, <32 x i8> %1)
// CHECK: call <8 x i32> @llvm.x86.avx2.pmadd.wd(<16 x i16> %[[H]], <16 x i16> %2)
// ICX-LABEL: avx2:
// ICX: vpmaddubsw %ymm1, %ymm0, %ymm0
// ICX-NEXT: vpmaddwd %ymm2, %ymm0, %ymm0
llvm.func @avx2(%a: vector<32xi8>, %b: vector<32xi8>, %ones: vector<16xi16>) -> vector<8xi32> {
  %0 = tinyq_x86.intr.pmaddubsw.256 %a, %b : vector<32xi8> to vector<16xi16>
  %1 = tinyq_x86.intr.pmaddwd.256 %0, %ones : vector<16xi16> to vector<8xi32>
  llvm.return %1 : vector<8xi32>
}

// CHECK-LABEL: define <16 x i32> @avx512bw(
// CHECK: %[[H:.*]] = call <32 x i16> @llvm.x86.avx512.pmaddubs.w.512(<64 x i8> %0, <64 x i8> %1)
// CHECK: call <16 x i32> @llvm.x86.avx512.pmaddw.d.512(<32 x i16> %[[H]], <32 x i16> %2)
// ICX-LABEL: avx512bw:
// ICX: vpmaddubsw %zmm1, %zmm0, %zmm0
// ICX-NEXT: vpmaddwd %zmm2, %zmm0, %zmm0
llvm.func @avx512bw(%a: vector<64xi8>, %b: vector<64xi8>, %ones: vector<32xi16>) -> vector<16xi32> {
  %0 = tinyq_x86.intr.pmaddubsw.512 %a, %b : vector<64xi8> to vector<32xi16>
  %1 = tinyq_x86.intr.pmaddwd.512 %0, %ones : vector<32xi16> to vector<16xi32>
  llvm.return %1 : vector<16xi32>
}
