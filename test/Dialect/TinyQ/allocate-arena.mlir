// RUN: tinyq-opt %s --tinyq-allocate-arena --split-input-file --verify-diagnostics | FileCheck %s
// RUN: tinyq-opt %s --tinyq-allocate-arena="alignment=64" --split-input-file --verify-diagnostics | FileCheck %s --check-prefix=ALIGN64
// RUN: not tinyq-opt %s --tinyq-allocate-arena="alignment=24" --split-input-file 2>&1 | FileCheck %s --check-prefix=BAD-ALIGN
// BAD-ALIGN: error: arena alignment 24 is not a power of two

// Two buffers of 16 and 6 bytes (i4 elements take a byte each): offsets 0
// and 16, 22 bytes in all; the deallocation disappears.
// CHECK-LABEL: func.func @buffers
// CHECK-SAME: (%[[X:.*]]: memref<4xf32>, %[[ARENA:.*]]: memref<22xi8>)
// CHECK-SAME: attributes {tinyq.arena_size = 22 : i64}
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: memref.view %[[ARENA]][%[[C0]]][] : memref<22xi8> to memref<4xf32>
// CHECK-DAG: memref.view %[[ARENA]][%[[C16]]][] : memref<22xi8> to memref<2x3xi4>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// ALIGN64-LABEL: func.func @buffers
// ALIGN64-SAME: memref<70xi8>
// ALIGN64-SAME: tinyq.arena_size = 70 : i64
func.func @buffers(%x: memref<4xf32>) {
  %0 = memref.alloc() : memref<4xf32>
  memref.copy %x, %0 : memref<4xf32> to memref<4xf32>
  %1 = memref.alloc() : memref<2x3xi4>
  memref.dealloc %0 : memref<4xf32>
  return
}

// -----

// The callee's arena is the start of the caller's; the caller's own buffer
// follows it (offset 16 after the callee's 12 bytes), and the caller passes
// a view of its arena of the callee's size. A function without buffers
// gets an arena of size 0 (one byte in the type).
// CHECK-LABEL: func.func @callee
// CHECK-SAME: %{{.*}}: memref<12xi8>
// CHECK-SAME: tinyq.arena_size = 12 : i64
// CHECK-LABEL: func.func @caller
// CHECK-SAME: (%[[ARENA:.*]]: memref<20xi8>)
// CHECK-SAME: tinyq.arena_size = 20 : i64
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[OWN:.*]] = memref.view %[[ARENA]][%[[C16]]][] : memref<20xi8> to memref<4xi8>
// CHECK-DAG: %[[SUB:.*]] = memref.view %[[ARENA]][%[[C0]]][] : memref<20xi8> to memref<12xi8>
// CHECK: call @callee(%[[OWN]], %[[SUB]])
// CHECK-LABEL: func.func @empty
// CHECK-SAME: (%{{.*}}: memref<1xi8>)
// CHECK-SAME: tinyq.arena_size = 0 : i64
func.func @callee(%x: memref<4xi8>) {
  %0 = memref.alloc() : memref<3xi32>
  return
}
func.func @caller() {
  %0 = memref.alloc() : memref<4xi8>
  call @callee(%0) : (memref<4xi8>) -> ()
  return
}
func.func @empty() {
  return
}

// -----

func.func @dynamic(%n: index) {
  // expected-error @+1 {{cannot place a buffer of type 'memref<?xf32>' in the arena (static shape and identity layout needed)}}
  %0 = memref.alloc(%n) : memref<?xf32>
  return
}

// -----

func.func @recursive() {
  // expected-error @+1 {{recursive calls cannot share an arena}}
  call @recursive() : () -> ()
  return
}
