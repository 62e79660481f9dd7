// RUN: tinyq-opt %s --tinyq-allocate-arena --split-input-file --verify-diagnostics | FileCheck %s
// RUN: tinyq-opt %s --tinyq-allocate-arena="alignment=64" --split-input-file --verify-diagnostics | FileCheck %s --check-prefix=CHECK-ALIGN64
// RUN: tinyq-opt %s --tinyq-allocate-arena="skip-start" --split-input-file --verify-diagnostics | FileCheck %s --check-prefix=CHECK-SKIP
// RUN: not tinyq-opt %s --tinyq-allocate-arena="alignment=24" --split-input-file 2>&1 | FileCheck %s --check-prefix=CHECK-BAD-ALIGN
// CHECK-BAD-ALIGN: error: arena alignment 24 is not a power of two

// Buffers share bytes when no top-level operation uses both, counting the
// uses of their views. Live spans (operation positions): D 2..11 (read
// through its collapsed view until the last copy), A 3..6, B 6..9, C
// 9..10. Largest first, then earliest: D at 0, A at 16, B at 32 (it meets
// A at 6), C at 16 again (A is dead by then, B is not): 48 bytes, the most
// in use at once (D, A and B at position 6). Deallocations disappear.
// CHECK-LABEL: func.func @buffers
// CHECK-SAME: (%[[X:.*]]: memref<4xf32>, %[[Y:.*]]: memref<4xf32>, %[[ARENA:.*]]: memref<48xi8>)
// CHECK-SAME: attributes {tinyq.arena_lower_bound = 48 : i64, tinyq.arena_size = 48 : i64}
// CHECK: %[[C16:.*]] = arith.constant 16 : index
// CHECK: %[[A:.*]] = memref.view %[[ARENA]][%[[C16]]][] : memref<48xi8> to memref<4xf32>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[D:.*]] = memref.view %[[ARENA]][%[[C0]]][] : memref<48xi8> to memref<2x2xf32>
// CHECK: %[[C32:.*]] = arith.constant 32 : index
// CHECK: %[[B:.*]] = memref.view %[[ARENA]][%[[C32]]][] : memref<48xi8> to memref<4xf32>
// CHECK: memref.copy %[[A]], %[[B]]
// CHECK: %[[C16B:.*]] = arith.constant 16 : index
// CHECK: %[[C:.*]] = memref.view %[[ARENA]][%[[C16B]]][] : memref<48xi8> to memref<4xf32>
// CHECK: memref.copy %[[B]], %[[C]]
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// With skip-start every offset moves up by the alignment: D at 16, A and
// C at 32, B at 48; the bound stays 48.
// CHECK-SKIP-LABEL: func.func @buffers
// CHECK-SKIP-SAME: memref<64xi8>
// CHECK-SKIP-SAME: tinyq.arena_lower_bound = 48 : i64, tinyq.arena_size = 64 : i64
// CHECK-SKIP: %[[C32:.*]] = arith.constant 32 : index
// CHECK-SKIP: memref.view %{{.*}}[%[[C32]]][] : memref<64xi8> to memref<4xf32>
// CHECK-SKIP: %[[C16:.*]] = arith.constant 16 : index
// CHECK-SKIP: memref.view %{{.*}}[%[[C16]]][] : memref<64xi8> to memref<2x2xf32>
// With 64-byte alignment every buffer takes 64 bytes: D 0, A 64, B 128,
// C 64, and the arena ends at 128 + 16.
// CHECK-ALIGN64-LABEL: func.func @buffers
// CHECK-ALIGN64-SAME: memref<144xi8>
// CHECK-ALIGN64-SAME: tinyq.arena_lower_bound = 48 : i64, tinyq.arena_size = 144 : i64
func.func @buffers(%x: memref<4xf32>, %y: memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  %d = memref.alloc() : memref<2x2xf32>
  %flat = memref.collapse_shape %d [[0, 1]] : memref<2x2xf32> into memref<4xf32>
  memref.copy %x, %a : memref<4xf32> to memref<4xf32>
  memref.copy %x, %flat : memref<4xf32> to memref<4xf32>
  %b = memref.alloc() : memref<4xf32>
  memref.copy %a, %b : memref<4xf32> to memref<4xf32>
  memref.dealloc %a : memref<4xf32>
  %c = memref.alloc() : memref<4xf32>
  memref.copy %b, %c : memref<4xf32> to memref<4xf32>
  memref.copy %c, %y : memref<4xf32> to memref<4xf32>
  memref.copy %flat, %y : memref<4xf32> to memref<4xf32>
  return
}

// -----

// The callee's arena is the start of the caller's; the caller's own buffer
// follows it (offset 16 after the callee's 12 bytes), and the caller passes
// a view of its arena of the callee's size. The caller's lower bound is
// the callee's (12) and its own 4 bytes, live during the call: 16. A
// function without buffers gets an arena of size 0 (one byte in the type).
// CHECK-LABEL: func.func @callee
// CHECK-SAME: %{{.*}}: memref<12xi8>
// CHECK-SAME: tinyq.arena_lower_bound = 12 : i64, tinyq.arena_size = 12 : i64
// CHECK-LABEL: func.func @caller
// CHECK-SAME: (%[[ARENA:.*]]: memref<20xi8>)
// CHECK-SAME: tinyq.arena_lower_bound = 16 : i64, tinyq.arena_size = 20 : i64
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

// -----

// Buffers that alternate like a depthwise-separable network's (a padded
// copy P, the depthwise output D, the pointwise output W, the next padded
// copy, ...): each call reads one and writes the next, so neighbours in
// the chain meet and 192 + 128 bytes are live at most. Largest first puts
// every P at 0 and needs 448 bytes (W1 meets both P2 and D1); the orders
// tried near it alternate the Ps between two offsets and reach the bound.
// CHECK-LABEL: func.func @alternating
// CHECK-SAME: memref<320xi8>
// CHECK-SAME: tinyq.arena_lower_bound = 320 : i64, tinyq.arena_size = 320 : i64
func.func private @input(memref<192xi8>)
func.func private @depthwise(memref<192xi8>, memref<128xi8>)
func.func private @pointwise(memref<128xi8>, memref<128xi8>)
func.func private @pad(memref<128xi8>, memref<192xi8>)
func.func private @output(memref<128xi8>)
func.func @alternating() {
  %p1 = memref.alloc() : memref<192xi8>
  %d1 = memref.alloc() : memref<128xi8>
  %w1 = memref.alloc() : memref<128xi8>
  %p2 = memref.alloc() : memref<192xi8>
  %d2 = memref.alloc() : memref<128xi8>
  %w2 = memref.alloc() : memref<128xi8>
  %p3 = memref.alloc() : memref<192xi8>
  %d3 = memref.alloc() : memref<128xi8>
  call @input(%p1) : (memref<192xi8>) -> ()
  call @depthwise(%p1, %d1) : (memref<192xi8>, memref<128xi8>) -> ()
  call @pointwise(%d1, %w1) : (memref<128xi8>, memref<128xi8>) -> ()
  call @pad(%w1, %p2) : (memref<128xi8>, memref<192xi8>) -> ()
  call @depthwise(%p2, %d2) : (memref<192xi8>, memref<128xi8>) -> ()
  call @pointwise(%d2, %w2) : (memref<128xi8>, memref<128xi8>) -> ()
  call @pad(%w2, %p3) : (memref<128xi8>, memref<192xi8>) -> ()
  call @depthwise(%p3, %d3) : (memref<192xi8>, memref<128xi8>) -> ()
  call @output(%d3) : (memref<128xi8>) -> ()
  return
}

// -----

// A callee whose arena exceeds its bound (two 4-byte buffers live
// together, 16-byte aligned: 20 bytes, bound 8) gets a view of its arena's
// size; its caller's bound counts the callee's bound, not its arena: 8
// and the caller's own 4 bytes.
// CHECK-LABEL: func.func @aligned_callee
// CHECK-SAME: tinyq.arena_lower_bound = 8 : i64, tinyq.arena_size = 20 : i64
// CHECK-LABEL: func.func @aligned_caller
// CHECK-SAME: (%[[ARENA:.*]]: memref<36xi8>)
// CHECK-SAME: tinyq.arena_lower_bound = 12 : i64, tinyq.arena_size = 36 : i64
// CHECK: %[[SUB:.*]] = memref.view %[[ARENA]][%{{.*}}][] : memref<36xi8> to memref<20xi8>
// CHECK: call @aligned_callee(%{{.*}}, %[[SUB]])
func.func private @use(memref<4xi8>, memref<4xi8>)
func.func @aligned_callee(%x: memref<4xi8>) {
  %0 = memref.alloc() : memref<4xi8>
  %1 = memref.alloc() : memref<4xi8>
  call @use(%0, %1) : (memref<4xi8>, memref<4xi8>) -> ()
  return
}
func.func @aligned_caller() {
  %0 = memref.alloc() : memref<4xi8>
  call @aligned_callee(%0) : (memref<4xi8>) -> ()
  return
}
