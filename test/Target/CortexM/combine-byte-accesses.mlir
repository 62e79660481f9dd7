// RUN: tinyq-opt %s --tinyq-set-target=target=cortex-m4 --tinyq-combine-byte-accesses --split-input-file | FileCheck %s

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

// -----

// Loads at constant distances that are not consecutive (a column of a
// static, contiguous buffer, whatever the order of the additions): one
// gather from the buffer's 1-D view at the first load's place, offsets
// counted in elements.
// CHECK-LABEL: func.func @column_gather
// CHECK-SAME: (%[[M:.*]]: memref<6x8xi8>, %[[R:.*]]: index, %[[K:.*]]: index)
// CHECK-DAG: arith.constant dense<[0, 8, 17, 24]> : vector<4xi32>
// CHECK-DAG: arith.constant dense<true> : vector<4xi1>
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[M]] {{\[\[}}0, 1]] : memref<6x8xi8> into memref<48xi8>
// CHECK: %[[ROW:.*]] = arith.muli %[[R]], %c8 : index
// CHECK: %[[AT:.*]] = arith.addi %[[ROW]], %[[K]] : index
// CHECK: %[[G:.*]] = vector.gather %[[FLAT]][%[[AT]]] [%{{.*}}], %{{.*}}, %{{.*}} : memref<48xi8>, vector<4xi32>, vector<4xi1>, vector<4xi8> into vector<4xi8>
// CHECK: return %[[G]]
func.func @column_gather(%m: memref<6x8xi8>, %r: index, %k: index) -> vector<4xi8> {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %r1 = arith.addi %r, %c1 : index
  %r2 = arith.addi %c2, %r : index
  %k1 = arith.addi %k, %c1 : index
  %r3 = arith.addi %r2, %c1 : index
  %b0 = memref.load %m[%r, %k] : memref<6x8xi8>
  %b1 = memref.load %m[%r1, %k] : memref<6x8xi8>
  %b2 = memref.load %m[%r2, %k1] : memref<6x8xi8>
  %b3 = memref.load %m[%r3, %k] : memref<6x8xi8>
  %v = vector.from_elements %b0, %b1, %b2, %b3 : vector<4xi8>
  return %v : vector<4xi8>
}

// -----

// No gather: a store between the loads and the vector, an element at a
// distance that is not constant, twice the same element, a buffer of
// dynamic shape (and, in @vectors above, elements out of order).
// CHECK-LABEL: func.func @no_gather
// CHECK-NOT: vector.gather
// CHECK-COUNT-4: vector.from_elements
func.func @no_gather(%m: memref<6x8xi8>, %d: memref<?x8xi8>, %r: index, %q: index, %x: i8) -> (vector<2xi8>, vector<2xi8>, vector<2xi8>, vector<2xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r1 = arith.addi %r, %c1 : index
  %a0 = memref.load %m[%r, %c0] : memref<6x8xi8>
  %a1 = memref.load %m[%r1, %c0] : memref<6x8xi8>
  memref.store %x, %m[%q, %c0] : memref<6x8xi8>
  %va = vector.from_elements %a0, %a1 : vector<2xi8>
  %b1 = memref.load %m[%q, %c0] : memref<6x8xi8>
  %vb = vector.from_elements %a0, %b1 : vector<2xi8>
  %vc = vector.from_elements %a0, %a0 : vector<2xi8>
  %d0 = memref.load %d[%r, %c0] : memref<?x8xi8>
  %d1 = memref.load %d[%r1, %c0] : memref<?x8xi8>
  %vd = vector.from_elements %d0, %d1 : vector<2xi8>
  return %va, %vb, %vc, %vd : vector<2xi8>, vector<2xi8>, vector<2xi8>, vector<2xi8>
}

// -----

// The elements of a vector stored in order at constant distances that are
// not consecutive (down a column): one scatter into the 1-D view, where
// the last element was stored.
// CHECK-LABEL: func.func @column_scatter
// CHECK-SAME: (%[[M:.*]]: memref<6x8xi8>, %[[R:.*]]: index, %[[V:.*]]: vector<4xi8>)
// CHECK-DAG: arith.constant dense<[0, 16, 32, 48]> : vector<4xi32>
// CHECK-NOT: memref.store
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[M]] {{\[\[}}0, 1]] : memref<6x8xi8> into memref<48xi8>
// CHECK: vector.scatter %[[FLAT]][%{{.*}}] [%{{.*}}], %{{.*}}, %[[V]] : memref<48xi8>, vector<4xi32>, vector<4xi1>, vector<4xi8>
// CHECK-NOT: memref.store
func.func @column_scatter(%m: memref<6x8xi8>, %r: index, %v: vector<4xi8>) {
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  %e0 = vector.extract %v[0] : i8 from vector<4xi8>
  %e1 = vector.extract %v[1] : i8 from vector<4xi8>
  %e2 = vector.extract %v[2] : i8 from vector<4xi8>
  %e3 = vector.extract %v[3] : i8 from vector<4xi8>
  memref.store %e0, %m[%r, %c3] : memref<6x8xi8>
  %r2 = arith.addi %r, %c2 : index
  memref.store %e1, %m[%r2, %c3] : memref<6x8xi8>
  %r4 = arith.addi %r, %c4 : index
  memref.store %e2, %m[%r4, %c3] : memref<6x8xi8>
  %r6 = arith.addi %r, %c6 : index
  memref.store %e3, %m[%r6, %c3] : memref<6x8xi8>
  return
}

// -----

// A strided copy: 8 bytes of a column loaded, then stored to 8
// consecutive places (pure index arithmetic between the stores): one
// gather and one vector store of the 8 bytes. Four such stores take 4
// bytes; three stay.
// CHECK-LABEL: func.func @column_copies
// CHECK-SAME: (%[[M:.*]]: memref<8x4xi8>, %[[OUT:.*]]: memref<16xi8>, %[[K:.*]]: index)
// CHECK-DAG: %[[EIGHT:.*]] = arith.constant dense<[0, 4, 8, 12, 16, 20, 24, 28]> : vector<8xi32>
// CHECK-DAG: %[[FOUR:.*]] = arith.constant dense<[0, 4, 8, 12]> : vector<4xi32>
// CHECK: %[[G8:.*]] = vector.gather %{{.*}}[%[[K]]] [%[[EIGHT]]], %{{.*}}, %{{.*}} : memref<32xi8>, vector<8xi32>, vector<8xi1>, vector<8xi8> into vector<8xi8>
// CHECK: vector.store %[[G8]], %[[OUT]][%c0] : memref<16xi8>, vector<8xi8>
// CHECK: %[[G4:.*]] = vector.gather %{{.*}}[%[[K]]] [%[[FOUR]]], %{{.*}}, %{{.*}} : memref<32xi8>, vector<4xi32>, vector<4xi1>, vector<4xi8> into vector<4xi8>
// CHECK: vector.store %[[G4]], %[[OUT]][%c8] : memref<16xi8>, vector<4xi8>
// CHECK-COUNT-3: memref.store
// CHECK-NOT: memref.store
func.func @column_copies(%m: memref<8x4xi8>, %out: memref<16xi8>, %k: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c6 = arith.constant 6 : index
  %c7 = arith.constant 7 : index
  %c8 = arith.constant 8 : index
  %b0 = memref.load %m[%c0, %k] : memref<8x4xi8>
  %b1 = memref.load %m[%c1, %k] : memref<8x4xi8>
  %b2 = memref.load %m[%c2, %k] : memref<8x4xi8>
  %b3 = memref.load %m[%c3, %k] : memref<8x4xi8>
  %b4 = memref.load %m[%c4, %k] : memref<8x4xi8>
  %b5 = memref.load %m[%c5, %k] : memref<8x4xi8>
  %b6 = memref.load %m[%c6, %k] : memref<8x4xi8>
  %b7 = memref.load %m[%c7, %k] : memref<8x4xi8>
  memref.store %b0, %out[%c0] : memref<16xi8>
  %o1 = arith.addi %c0, %c1 : index
  memref.store %b1, %out[%o1] : memref<16xi8>
  memref.store %b2, %out[%c2] : memref<16xi8>
  memref.store %b3, %out[%c3] : memref<16xi8>
  memref.store %b4, %out[%c4] : memref<16xi8>
  memref.store %b5, %out[%c5] : memref<16xi8>
  memref.store %b6, %out[%c6] : memref<16xi8>
  memref.store %b7, %out[%c7] : memref<16xi8>
  %d0 = memref.load %m[%c0, %k] : memref<8x4xi8>
  %d1 = memref.load %m[%c1, %k] : memref<8x4xi8>
  %d2 = memref.load %m[%c2, %k] : memref<8x4xi8>
  %d3 = memref.load %m[%c3, %k] : memref<8x4xi8>
  %c9 = arith.constant 9 : index
  %c10 = arith.constant 10 : index
  %c11 = arith.constant 11 : index
  memref.store %d0, %out[%c8] : memref<16xi8>
  memref.store %d1, %out[%c9] : memref<16xi8>
  memref.store %d2, %out[%c10] : memref<16xi8>
  memref.store %d3, %out[%c11] : memref<16xi8>
  %e0 = memref.load %m[%c0, %k] : memref<8x4xi8>
  %e1 = memref.load %m[%c1, %k] : memref<8x4xi8>
  %e2 = memref.load %m[%c2, %k] : memref<8x4xi8>
  %c12 = arith.constant 12 : index
  %c13 = arith.constant 13 : index
  %c14 = arith.constant 14 : index
  memref.store %e0, %out[%c12] : memref<16xi8>
  memref.store %e1, %out[%c13] : memref<16xi8>
  memref.store %e2, %out[%c14] : memref<16xi8>
  return
}
