// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m55 --tinyq-chain-mve-loads --split-input-file | FileCheck %s
// Cores without Helium keep their loads' own addresses.
// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-chain-mve-loads --split-input-file | FileCheck %s --check-prefix=NO-HELIUM
// NO-HELIUM-NOT: llvm.inline_asm

// Word-aligned vectors at byte offsets 0, 16, 512 and 528 of one base (i32
// elements, the index computed twice): 528 bytes apart, beyond vldrw's 508.
// Each load after the first advances the previous one's address by the
// distance, through an empty inline-asm copy.
// CHECK-LABEL: llvm.func @words
// CHECK-SAME: (%[[BASE:.*]]: !llvm.ptr, %[[I:.*]]: i32)
// CHECK: %[[A0:.*]] = llvm.getelementptr %[[BASE]][%[[I]]] : (!llvm.ptr, i32) -> !llvm.ptr, i32
// CHECK: llvm.load %[[A0]] {alignment = 4 : i64} : !llvm.ptr -> vector<4xi32>
// CHECK: %[[N1:.*]] = llvm.getelementptr %[[A0]][16] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK: %[[C1:.*]] = llvm.inline_asm "", "=r,0" %[[N1]] : (!llvm.ptr) -> !llvm.ptr
// CHECK: llvm.load %[[C1]] {alignment = 4 : i64}
// CHECK: %[[N2:.*]] = llvm.getelementptr %[[C1]][496] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK: %[[C2:.*]] = llvm.inline_asm "", "=r,0" %[[N2]]
// CHECK: llvm.load %[[C2]] {alignment = 4 : i64}
// CHECK: %[[N3:.*]] = llvm.getelementptr %[[C2]][16] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK: %[[C3:.*]] = llvm.inline_asm "", "=r,0" %[[N3]]
// CHECK: llvm.load %[[C3]] {alignment = 4 : i64}
llvm.func @words(%base: !llvm.ptr, %i: i32) -> vector<4xi32> {
  %c4 = llvm.mlir.constant(4 : i32) : i32
  %c128 = llvm.mlir.constant(128 : i32) : i32
  %c132 = llvm.mlir.constant(132 : i32) : i32
  %p0 = llvm.getelementptr %base[%i] : (!llvm.ptr, i32) -> !llvm.ptr, i32
  %x0 = llvm.load %p0 {alignment = 4 : i64} : !llvm.ptr -> vector<4xi32>
  %i1 = llvm.add %i, %c4 : i32
  %p1 = llvm.getelementptr %base[%i1] : (!llvm.ptr, i32) -> !llvm.ptr, i32
  %x1 = llvm.load %p1 {alignment = 4 : i64} : !llvm.ptr -> vector<4xi32>
  %i2 = llvm.add %c128, %i : i32
  %p2 = llvm.getelementptr %base[%i2] : (!llvm.ptr, i32) -> !llvm.ptr, i32
  %x2 = llvm.load %p2 {alignment = 4 : i64} : !llvm.ptr -> vector<4xi32>
  %i3 = llvm.add %i, %c132 : i32
  %p3 = llvm.getelementptr %base[%i3] : (!llvm.ptr, i32) -> !llvm.ptr, i32
  %x3 = llvm.load %p3 {alignment = 4 : i64} : !llvm.ptr -> vector<4xi32>
  %s0 = llvm.add %x0, %x1 : vector<4xi32>
  %s1 = llvm.add %x2, %x3 : vector<4xi32>
  %s = llvm.add %s0, %s1 : vector<4xi32>
  llvm.return %s : vector<4xi32>
}

// -----

// Within reach (word-aligned, 496 bytes apart): left alone.
// CHECK-LABEL: llvm.func @within_reach
// CHECK-NOT: llvm.inline_asm
// CHECK: llvm.return
llvm.func @within_reach(%base: !llvm.ptr) -> vector<4xi32> {
  %p0 = llvm.getelementptr %base[0] : (!llvm.ptr) -> !llvm.ptr, i32
  %x0 = llvm.load %p0 {alignment = 4 : i64} : !llvm.ptr -> vector<4xi32>
  %p1 = llvm.getelementptr %base[124] : (!llvm.ptr) -> !llvm.ptr, i32
  %x1 = llvm.load %p1 {alignment = 4 : i64} : !llvm.ptr -> vector<4xi32>
  %s = llvm.add %x0, %x1 : vector<4xi32>
  llvm.return %s : vector<4xi32>
}

// -----

// Byte-aligned bytes reach 127 bytes (vldrb): 144 apart is a stream, in
// program order (back by 128: a negative distance). The index is a linear
// form of the row (times 144) computed twice; the other base's loads and
// the 4-byte vector are not part of it.
// CHECK-LABEL: llvm.func @bytes
// CHECK-SAME: (%[[BASE:.*]]: !llvm.ptr, %[[OTHER:.*]]: !llvm.ptr, %[[ROW:.*]]: i32)
// CHECK: %[[A0:.*]] = llvm.getelementptr %[[BASE]][%{{.*}}] : (!llvm.ptr, i32) -> !llvm.ptr, i8
// CHECK: llvm.load %[[A0]] {alignment = 1 : i64} : !llvm.ptr -> vector<16xi8>
// CHECK: %[[N1:.*]] = llvm.getelementptr %[[A0]][144] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK: %[[C1:.*]] = llvm.inline_asm "", "=r,0" %[[N1]]
// CHECK: llvm.load %[[C1]] {alignment = 1 : i64} : !llvm.ptr -> vector<16xi8>
// CHECK: llvm.getelementptr %[[OTHER]][100] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK: llvm.load %{{.*}} {alignment = 1 : i64} : !llvm.ptr -> vector<4xi8>
// CHECK: %[[N2:.*]] = llvm.getelementptr %[[C1]][-128] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK: %[[C2:.*]] = llvm.inline_asm "", "=r,0" %[[N2]]
// CHECK: llvm.load %[[C2]] {alignment = 1 : i64} : !llvm.ptr -> vector<16xi8>
// CHECK-NOT: llvm.inline_asm
// CHECK: llvm.return
llvm.func @bytes(%base: !llvm.ptr, %other: !llvm.ptr, %row: i32) -> vector<16xi8> {
  %c144 = llvm.mlir.constant(144 : i32) : i32
  %c16 = llvm.mlir.constant(16 : i32) : i32
  %m0 = llvm.mul %row, %c144 : i32
  %p0 = llvm.getelementptr %base[%m0] : (!llvm.ptr, i32) -> !llvm.ptr, i8
  %x0 = llvm.load %p0 {alignment = 1 : i64} : !llvm.ptr -> vector<16xi8>
  %m1 = llvm.mul %c144, %row : i32
  %r1 = llvm.add %m1, %c144 : i32
  %p1 = llvm.getelementptr %base[%r1] : (!llvm.ptr, i32) -> !llvm.ptr, i8
  %x1 = llvm.load %p1 {alignment = 1 : i64} : !llvm.ptr -> vector<16xi8>
  %q = llvm.getelementptr %other[100] : (!llvm.ptr) -> !llvm.ptr, i8
  %y = llvm.load %q {alignment = 1 : i64} : !llvm.ptr -> vector<4xi8>
  %r2 = llvm.add %m1, %c16 : i32
  %p2 = llvm.getelementptr %base[%r2] : (!llvm.ptr, i32) -> !llvm.ptr, i8
  %x2 = llvm.load %p2 {alignment = 1 : i64} : !llvm.ptr -> vector<16xi8>
  %q0 = llvm.getelementptr %other[0] : (!llvm.ptr) -> !llvm.ptr, i8
  %z0 = llvm.load %q0 {alignment = 1 : i64} : !llvm.ptr -> vector<16xi8>
  %q1 = llvm.getelementptr %other[64] : (!llvm.ptr) -> !llvm.ptr, i8
  %z1 = llvm.load %q1 {alignment = 1 : i64} : !llvm.ptr -> vector<16xi8>
  %s0 = llvm.add %x0, %x1 : vector<16xi8>
  %s1 = llvm.add %x2, %z0 : vector<16xi8>
  %s2 = llvm.add %s0, %s1 : vector<16xi8>
  %s = llvm.add %s2, %z1 : vector<16xi8>
  llvm.return %s : vector<16xi8>
}

// -----

// Volatile loads and loads whose index is not a linear form of the same
// terms are no stream.
// CHECK-LABEL: llvm.func @no_streams
// CHECK-NOT: llvm.inline_asm
// CHECK: llvm.return
llvm.func @no_streams(%base: !llvm.ptr, %i: i32, %j: i32) -> vector<4xi32> {
  %c1024 = llvm.mlir.constant(1024 : i32) : i32
  %p0 = llvm.getelementptr %base[0] : (!llvm.ptr) -> !llvm.ptr, i32
  %x0 = llvm.load volatile %p0 {alignment = 4 : i64} : !llvm.ptr -> vector<4xi32>
  %p1 = llvm.getelementptr %base[1024] : (!llvm.ptr) -> !llvm.ptr, i32
  %x1 = llvm.load volatile %p1 {alignment = 4 : i64} : !llvm.ptr -> vector<4xi32>
  %ij = llvm.mul %i, %j : i32
  %p2 = llvm.getelementptr %base[%ij] : (!llvm.ptr, i32) -> !llvm.ptr, i32
  %x2 = llvm.load %p2 {alignment = 4 : i64} : !llvm.ptr -> vector<4xi32>
  %k = llvm.add %i, %c1024 : i32
  %p3 = llvm.getelementptr %base[%k] : (!llvm.ptr, i32) -> !llvm.ptr, i32
  %x3 = llvm.load %p3 {alignment = 4 : i64} : !llvm.ptr -> vector<4xi32>
  %s0 = llvm.add %x0, %x1 : vector<4xi32>
  %s1 = llvm.add %x2, %x3 : vector<4xi32>
  %s = llvm.add %s0, %s1 : vector<4xi32>
  llvm.return %s : vector<4xi32>
}
