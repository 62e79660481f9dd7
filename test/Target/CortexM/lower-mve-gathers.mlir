// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m55 --tinyq-lower-mve-gathers --split-input-file | FileCheck %s
// Cores without Helium keep LLVM's gathers and scatters.
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-lower-mve-gathers --split-input-file | FileCheck %s --check-prefix=NO-HELIUM
// NO-HELIUM-NOT: tinyq_cortexm.intr.mve
// NO-HELIUM: llvm.intr.masked.gather
// NO-HELIUM-NOT: tinyq_cortexm.intr.mve

// A gather of 4 bytes at a base plus i32 offsets, sign-extended: one
// signed Helium gather in 32-bit lanes (vldrb.s32), which replaces the
// extension.
// CHECK-LABEL: llvm.func @signed_gather
// CHECK-SAME: (%[[BASE:.*]]: !llvm.ptr, %[[OFFSETS:.*]]: vector<4xi32>)
// CHECK: %[[X:.*]] = tinyq_cortexm.intr.mve.vldr.gather.offset %[[BASE]], %[[OFFSETS]] {is_unsigned = 0 : i32, memory_bits = 8 : i32, shift = 0 : i32} : (!llvm.ptr, vector<4xi32>) -> vector<4xi32>
// CHECK-NOT: llvm.sext
// CHECK: llvm.return %[[X]]
llvm.func @signed_gather(%base: !llvm.ptr, %offsets: vector<4xi32>) -> vector<4xi32> {
  %true = llvm.mlir.constant(dense<true> : vector<4xi1>) : vector<4xi1>
  %zero = llvm.mlir.constant(dense<0> : vector<4xi8>) : vector<4xi8>
  %p = llvm.getelementptr %base[%offsets] : (!llvm.ptr, vector<4xi32>) -> vector<4x!llvm.ptr>, i8
  %g = llvm.intr.masked.gather %p, %true, %zero {alignment = 1 : i32} : (vector<4x!llvm.ptr>, vector<4xi1>, vector<4xi8>) -> vector<4xi8>
  %x = llvm.sext %g : vector<4xi8> to vector<4xi32>
  llvm.return %x : vector<4xi32>
}

// -----

// Used as bytes: unsigned, truncated. Eight bytes at constant offsets
// below 2^16: 16-bit lanes (vldrb.u16) with the offsets as i16.
// CHECK-LABEL: llvm.func @byte_gathers
// CHECK-DAG: %[[SHORT:.*]] = llvm.mlir.constant(dense<[0, 300, 600, 900, 1200, 1500, 1800, 2100]> : vector<8xi16>) : vector<8xi16>
// CHECK: %[[W:.*]] = tinyq_cortexm.intr.mve.vldr.gather.offset %arg0, %arg1 {is_unsigned = 1 : i32, memory_bits = 8 : i32, shift = 0 : i32} : (!llvm.ptr, vector<4xi32>) -> vector<4xi32>
// CHECK: %[[B:.*]] = llvm.trunc %[[W]] : vector<4xi32> to vector<4xi8>
// CHECK: %[[H:.*]] = tinyq_cortexm.intr.mve.vldr.gather.offset %arg0, %[[SHORT]] {is_unsigned = 1 : i32, memory_bits = 8 : i32, shift = 0 : i32} : (!llvm.ptr, vector<8xi16>) -> vector<8xi16>
// CHECK: %[[E:.*]] = llvm.trunc %[[H]] : vector<8xi16> to vector<8xi8>
// CHECK: llvm.insertvalue %[[B]]
// CHECK: llvm.insertvalue %[[E]]
llvm.func @byte_gathers(%base: !llvm.ptr, %offsets: vector<4xi32>) -> !llvm.struct<(vector<4xi8>, vector<8xi8>)> {
  %true = llvm.mlir.constant(dense<true> : vector<4xi1>) : vector<4xi1>
  %zero = llvm.mlir.constant(dense<0> : vector<4xi8>) : vector<4xi8>
  %p = llvm.getelementptr %base[%offsets] : (!llvm.ptr, vector<4xi32>) -> vector<4x!llvm.ptr>, i8
  %g = llvm.intr.masked.gather %p, %true, %zero {alignment = 1 : i32} : (vector<4x!llvm.ptr>, vector<4xi1>, vector<4xi8>) -> vector<4xi8>
  %far = llvm.mlir.constant(dense<[0, 300, 600, 900, 1200, 1500, 1800, 2100]> : vector<8xi32>) : vector<8xi32>
  %true8 = llvm.mlir.constant(dense<true> : vector<8xi1>) : vector<8xi1>
  %zero8 = llvm.mlir.constant(dense<0> : vector<8xi8>) : vector<8xi8>
  %q = llvm.getelementptr %base[%far] : (!llvm.ptr, vector<8xi32>) -> vector<8x!llvm.ptr>, i8
  %e = llvm.intr.masked.gather %q, %true8, %zero8 {alignment = 1 : i32} : (vector<8x!llvm.ptr>, vector<8xi1>, vector<8xi8>) -> vector<8xi8>
  %s0 = llvm.mlir.poison : !llvm.struct<(vector<4xi8>, vector<8xi8>)>
  %s1 = llvm.insertvalue %g, %s0[0] : !llvm.struct<(vector<4xi8>, vector<8xi8>)>
  %s2 = llvm.insertvalue %e, %s1[1] : !llvm.struct<(vector<4xi8>, vector<8xi8>)>
  llvm.return %s2 : !llvm.struct<(vector<4xi8>, vector<8xi8>)>
}

// -----

// Left to LLVM: 8 bytes at offsets that are not constant or reach 2^16, a
// mask that is not all true, 32-bit elements.
// CHECK-LABEL: llvm.func @left_alone
// CHECK-NOT: tinyq_cortexm.intr
// CHECK-COUNT-4: llvm.intr.masked.gather
llvm.func @left_alone(%base: !llvm.ptr, %offsets: vector<8xi32>, %mask: vector<4xi1>, %words: vector<4xi32>) -> !llvm.struct<(vector<8xi8>, vector<8xi8>, vector<4xi8>, vector<4xi32>)> {
  %true8 = llvm.mlir.constant(dense<true> : vector<8xi1>) : vector<8xi1>
  %zero8 = llvm.mlir.constant(dense<0> : vector<8xi8>) : vector<8xi8>
  %p = llvm.getelementptr %base[%offsets] : (!llvm.ptr, vector<8xi32>) -> vector<8x!llvm.ptr>, i8
  %a = llvm.intr.masked.gather %p, %true8, %zero8 {alignment = 1 : i32} : (vector<8x!llvm.ptr>, vector<8xi1>, vector<8xi8>) -> vector<8xi8>
  %far = llvm.mlir.constant(dense<[0, 10000, 20000, 30000, 40000, 50000, 60000, 70000]> : vector<8xi32>) : vector<8xi32>
  %q = llvm.getelementptr %base[%far] : (!llvm.ptr, vector<8xi32>) -> vector<8x!llvm.ptr>, i8
  %b = llvm.intr.masked.gather %q, %true8, %zero8 {alignment = 1 : i32} : (vector<8x!llvm.ptr>, vector<8xi1>, vector<8xi8>) -> vector<8xi8>
  %near = llvm.mlir.constant(dense<[0, 4, 8, 12]> : vector<4xi32>) : vector<4xi32>
  %zero4 = llvm.mlir.constant(dense<0> : vector<4xi8>) : vector<4xi8>
  %r = llvm.getelementptr %base[%near] : (!llvm.ptr, vector<4xi32>) -> vector<4x!llvm.ptr>, i8
  %c = llvm.intr.masked.gather %r, %mask, %zero4 {alignment = 1 : i32} : (vector<4x!llvm.ptr>, vector<4xi1>, vector<4xi8>) -> vector<4xi8>
  %true4 = llvm.mlir.constant(dense<true> : vector<4xi1>) : vector<4xi1>
  %s = llvm.getelementptr %base[%near] : (!llvm.ptr, vector<4xi32>) -> vector<4x!llvm.ptr>, i32
  %d = llvm.intr.masked.gather %s, %true4, %words {alignment = 4 : i32} : (vector<4x!llvm.ptr>, vector<4xi1>, vector<4xi32>) -> vector<4xi32>
  %t0 = llvm.mlir.poison : !llvm.struct<(vector<8xi8>, vector<8xi8>, vector<4xi8>, vector<4xi32>)>
  %t1 = llvm.insertvalue %a, %t0[0] : !llvm.struct<(vector<8xi8>, vector<8xi8>, vector<4xi8>, vector<4xi32>)>
  %t2 = llvm.insertvalue %b, %t1[1] : !llvm.struct<(vector<8xi8>, vector<8xi8>, vector<4xi8>, vector<4xi32>)>
  %t3 = llvm.insertvalue %c, %t2[2] : !llvm.struct<(vector<8xi8>, vector<8xi8>, vector<4xi8>, vector<4xi32>)>
  %t4 = llvm.insertvalue %d, %t3[3] : !llvm.struct<(vector<8xi8>, vector<8xi8>, vector<4xi8>, vector<4xi32>)>
  llvm.return %t4 : !llvm.struct<(vector<8xi8>, vector<8xi8>, vector<4xi8>, vector<4xi32>)>
}

// -----

// Scatters of 4 bytes: of truncated words, the words themselves
// (vstrb.32); of bytes, zero-extended.
// CHECK-LABEL: llvm.func @scatters
// CHECK-SAME: (%[[BASE:.*]]: !llvm.ptr, %[[OFFSETS:.*]]: vector<4xi32>, %[[WORDS:.*]]: vector<4xi32>, %[[BYTES:.*]]: vector<4xi8>)
// CHECK: tinyq_cortexm.intr.mve.vstr.scatter.offset %[[BASE]], %[[OFFSETS]], %[[WORDS]] {memory_bits = 8 : i32, shift = 0 : i32} : !llvm.ptr, vector<4xi32>, vector<4xi32>
// CHECK: %[[WIDE:.*]] = llvm.zext %[[BYTES]] : vector<4xi8> to vector<4xi32>
// CHECK: tinyq_cortexm.intr.mve.vstr.scatter.offset %[[BASE]], %[[OFFSETS]], %[[WIDE]]
// CHECK-NOT: llvm.intr.masked.scatter
llvm.func @scatters(%base: !llvm.ptr, %offsets: vector<4xi32>, %words: vector<4xi32>, %bytes: vector<4xi8>) {
  %true = llvm.mlir.constant(dense<true> : vector<4xi1>) : vector<4xi1>
  %p = llvm.getelementptr %base[%offsets] : (!llvm.ptr, vector<4xi32>) -> vector<4x!llvm.ptr>, i8
  %t = llvm.trunc %words : vector<4xi32> to vector<4xi8>
  llvm.intr.masked.scatter %t, %p, %true {alignment = 1 : i32} : vector<4xi8>, vector<4xi1> into vector<4x!llvm.ptr>
  llvm.intr.masked.scatter %bytes, %p, %true {alignment = 1 : i32} : vector<4xi8>, vector<4xi1> into vector<4x!llvm.ptr>
  llvm.return
}
