// RUN: tinyq-opt %s --tinyq-combine-byte-accesses --split-input-file | FileCheck %s

// Four consecutive bytes of a row, or-ed little-endian (in any order of the
// or tree): one 4-byte vector load at the first, bitcast to the word.
// CHECK-LABEL: func.func @word
// CHECK-SAME: (%[[M:.*]]: memref<2x8xi8>, %[[R:.*]]: index, %[[K:.*]]: index)
// CHECK: %[[V:.*]] = vector.load %[[M]][%[[R]], %[[K]]] : memref<2x8xi8>, vector<4xi8>
// CHECK: %[[W:.*]] = vector.bitcast %[[V]] : vector<4xi8> to vector<1xi32>
// CHECK: %[[X:.*]] = vector.extract %[[W]][0] : i32 from vector<1xi32>
// CHECK: return %[[X]] : i32
func.func @word(%m: memref<2x8xi8>, %r: index, %k: index) -> i32 {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c8 = arith.constant 8 : i32
  %c16 = arith.constant 16 : i32
  %c24 = arith.constant 24 : i32
  %k1 = arith.addi %k, %c1 : index
  %k2 = arith.addi %c2, %k : index
  %k3 = arith.addi %k, %c3 : index
  %b0 = memref.load %m[%r, %k] : memref<2x8xi8>
  %b1 = memref.load %m[%r, %k1] : memref<2x8xi8>
  %b2 = memref.load %m[%r, %k2] : memref<2x8xi8>
  %b3 = memref.load %m[%r, %k3] : memref<2x8xi8>
  %z0 = arith.extui %b0 : i8 to i32
  %z1 = arith.extui %b1 : i8 to i32
  %z2 = arith.extui %b2 : i8 to i32
  %z3 = arith.extui %b3 : i8 to i32
  %s1 = arith.shli %z1, %c8 : i32
  %s2 = arith.shli %z2, %c16 : i32
  %s3 = arith.shli %z3, %c24 : i32
  %o1 = arith.ori %s3, %z0 : i32
  %o2 = arith.ori %s1, %s2 : i32
  %o3 = arith.ori %o1, %o2 : i32
  return %o3 : i32
}

// -----

// Constant indices too; but a gap (byte 2 read from k + 3), a byte of
// another row, or a strided innermost dimension stay byte loads.
// The four bytes stay for the other words that share them.
// CHECK-LABEL: func.func @constant_and_left_alone
// CHECK-COUNT-4: memref.load
// CHECK: vector.load %{{.*}}[%{{.*}}, %c4] : memref<2x8xi8>, vector<4xi8>
// CHECK-COUNT-6: memref.load
// CHECK-NOT: vector.load
func.func @constant_and_left_alone(%m: memref<2x8xi8>, %s: memref<2x8xi8, strided<[16, 2]>>, %r: index, %r2: index) -> (i32, i32, i32, i32) {
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c6 = arith.constant 6 : index
  %c7 = arith.constant 7 : index
  %c8 = arith.constant 8 : i32
  %c16 = arith.constant 16 : i32
  %c24 = arith.constant 24 : i32
  %b0 = memref.load %m[%r, %c4] : memref<2x8xi8>
  %b1 = memref.load %m[%r, %c5] : memref<2x8xi8>
  %b2 = memref.load %m[%r, %c6] : memref<2x8xi8>
  %b3 = memref.load %m[%r, %c7] : memref<2x8xi8>
  %z0 = arith.extui %b0 : i8 to i32
  %z1 = arith.extui %b1 : i8 to i32
  %z2 = arith.extui %b2 : i8 to i32
  %z3 = arith.extui %b3 : i8 to i32
  %s1 = arith.shli %z1, %c8 : i32
  %s2 = arith.shli %z2, %c16 : i32
  %s3 = arith.shli %z3, %c24 : i32
  %o1 = arith.ori %z0, %s1 : i32
  %o2 = arith.ori %o1, %s2 : i32
  %word = arith.ori %o2, %s3 : i32
  // Byte 2 from index 7: not consecutive.
  %g2 = memref.load %m[%r, %c7] : memref<2x8xi8>
  %gz2 = arith.extui %g2 : i8 to i32
  %gs2 = arith.shli %gz2, %c16 : i32
  %go2 = arith.ori %o1, %gs2 : i32
  %gap = arith.ori %go2, %s3 : i32
  // Byte 1 from row %r2.
  %a1 = memref.load %m[%r2, %c5] : memref<2x8xi8>
  %az1 = arith.extui %a1 : i8 to i32
  %as1 = arith.shli %az1, %c8 : i32
  %ao1 = arith.ori %z0, %as1 : i32
  %ao2 = arith.ori %ao1, %s2 : i32
  %rows = arith.ori %ao2, %s3 : i32
  // A buffer whose bytes are 2 apart.
  %t0 = memref.load %s[%r, %c4] : memref<2x8xi8, strided<[16, 2]>>
  %t1 = memref.load %s[%r, %c5] : memref<2x8xi8, strided<[16, 2]>>
  %t2 = memref.load %s[%r, %c6] : memref<2x8xi8, strided<[16, 2]>>
  %t3 = memref.load %s[%r, %c7] : memref<2x8xi8, strided<[16, 2]>>
  %tz0 = arith.extui %t0 : i8 to i32
  %tz1 = arith.extui %t1 : i8 to i32
  %tz2 = arith.extui %t2 : i8 to i32
  %tz3 = arith.extui %t3 : i8 to i32
  %ts1 = arith.shli %tz1, %c8 : i32
  %ts2 = arith.shli %tz2, %c16 : i32
  %ts3 = arith.shli %tz3, %c24 : i32
  %to1 = arith.ori %tz0, %ts1 : i32
  %to2 = arith.ori %to1, %ts2 : i32
  %strided = arith.ori %to2, %ts3 : i32
  return %word, %gap, %rows, %strided : i32, i32, i32, i32
}

// -----

// A vector built from consecutive elements (the Helium kernels' 16 input
// bytes, or 4 weight words) is one vector load; with a gap it is not.
// CHECK-LABEL: func.func @vectors
// CHECK: %[[V:.*]] = vector.load %arg0[%arg1] : memref<8xi32>, vector<4xi32>
// CHECK: %[[G:.*]] = vector.from_elements
// CHECK: return %[[V]], %[[G]]
func.func @vectors(%m: memref<8xi32>, %k: index) -> (vector<4xi32>, vector<4xi32>) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %k1 = arith.addi %k, %c1 : index
  %k2 = arith.addi %k, %c2 : index
  %k3 = arith.addi %k, %c3 : index
  %a = memref.load %m[%k] : memref<8xi32>
  %b = memref.load %m[%k1] : memref<8xi32>
  %c = memref.load %m[%k2] : memref<8xi32>
  %d = memref.load %m[%k3] : memref<8xi32>
  %v = vector.from_elements %a, %b, %c, %d : vector<4xi32>
  %g = vector.from_elements %a, %b, %d, %c : vector<4xi32>
  return %v, %g : vector<4xi32>, vector<4xi32>
}

// -----

// A word's four bytes stored at k .. k + 3 (pure arithmetic in between):
// one vector store of the word's bytes. With a load in between, or out of
// order, they stay.
// CHECK-LABEL: func.func @stores
// CHECK: %[[V:.*]] = vector.from_elements %arg2 : vector<1xi32>
// CHECK: %[[B:.*]] = vector.bitcast %[[V]] : vector<1xi32> to vector<4xi8>
// CHECK: vector.store %[[B]], %arg0[%arg1, %c0] : memref<2x8xi8>, vector<4xi8>
// CHECK-COUNT-8: memref.store
// CHECK-NOT: vector.store
func.func @stores(%m: memref<2x8xi8>, %r: index, %w: i32) -> i8 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c6 = arith.constant 6 : index
  %c7 = arith.constant 7 : index
  %c8 = arith.constant 8 : i32
  %c16 = arith.constant 16 : i32
  %c24 = arith.constant 24 : i32
  %s8 = arith.shrui %w, %c8 : i32
  %s16 = arith.shrui %w, %c16 : i32
  %s24 = arith.shrui %w, %c24 : i32
  %b0 = arith.trunci %w : i32 to i8
  %b1 = arith.trunci %s8 : i32 to i8
  %b2 = arith.trunci %s16 : i32 to i8
  %b3 = arith.trunci %s24 : i32 to i8
  memref.store %b0, %m[%r, %c0] : memref<2x8xi8>
  memref.store %b1, %m[%r, %c1] : memref<2x8xi8>
  memref.store %b2, %m[%r, %c2] : memref<2x8xi8>
  memref.store %b3, %m[%r, %c3] : memref<2x8xi8>
  // A load between the bytes.
  memref.store %b0, %m[%r, %c4] : memref<2x8xi8>
  %x = memref.load %m[%r, %c0] : memref<2x8xi8>
  memref.store %b1, %m[%r, %c5] : memref<2x8xi8>
  memref.store %b2, %m[%r, %c6] : memref<2x8xi8>
  memref.store %b3, %m[%r, %c7] : memref<2x8xi8>
  // Bytes 1 and 2 swapped.
  %n = arith.constant 1 : index
  %r1 = arith.addi %r, %n : index
  memref.store %b0, %m[%r1, %c0] : memref<2x8xi8>
  memref.store %b2, %m[%r1, %c1] : memref<2x8xi8>
  memref.store %b1, %m[%r1, %c2] : memref<2x8xi8>
  memref.store %b3, %m[%r1, %c3] : memref<2x8xi8>
  return %x : i8
}

// -----

// The 4 elements of a vector<4xi8> stored in order at k .. k + 3: one
// vector store of the vector itself. Out of order, they stay.
// CHECK-LABEL: func.func @vector_stores
// CHECK: vector.store %arg2, %arg0[%arg1, %c0] : memref<2x8xi8>, vector<4xi8>
// CHECK-COUNT-4: memref.store
// CHECK-NOT: vector.store
func.func @vector_stores(%m: memref<2x8xi8>, %r: index, %v: vector<4xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c6 = arith.constant 6 : index
  %c7 = arith.constant 7 : index
  %e0 = vector.extract %v[0] : i8 from vector<4xi8>
  %e1 = vector.extract %v[1] : i8 from vector<4xi8>
  %e2 = vector.extract %v[2] : i8 from vector<4xi8>
  %e3 = vector.extract %v[3] : i8 from vector<4xi8>
  memref.store %e0, %m[%r, %c0] : memref<2x8xi8>
  memref.store %e1, %m[%r, %c1] : memref<2x8xi8>
  memref.store %e2, %m[%r, %c2] : memref<2x8xi8>
  memref.store %e3, %m[%r, %c3] : memref<2x8xi8>
  // Elements 0 and 1 swapped.
  memref.store %e1, %m[%r, %c4] : memref<2x8xi8>
  memref.store %e0, %m[%r, %c5] : memref<2x8xi8>
  memref.store %e2, %m[%r, %c6] : memref<2x8xi8>
  memref.store %e3, %m[%r, %c7] : memref<2x8xi8>
  return
}
