// RUN: tinyq-opt %s --tinyq-allocate-arena="print-plan" --verify-diagnostics

// print-plan reports each buffer at its allocation, by offset, and then
// the function's arena: the buffers of allocate-arena.mlir's @buffers
// (positions among the 13 operations of the body: D 2..11, A 3..6,
// B 6..9, C 9..10; D at 0, A and C at 16, B at 32).
// expected-remark@+1 {{arena: 48 bytes, lower bound 48}}
func.func @buffers(%x: memref<4xf32>, %y: memref<4xf32>) {
  // expected-remark@+1 {{arena buffer 'memref<4xf32>': 16 bytes at offset 16, live over operations 3 to 6 of 13}}
  %a = memref.alloc() : memref<4xf32>
  // expected-remark@+1 {{arena buffer 'memref<2x2xf32>': 16 bytes at offset 0, live over operations 2 to 11 of 13}}
  %d = memref.alloc() : memref<2x2xf32>
  %flat = memref.collapse_shape %d [[0, 1]] : memref<2x2xf32> into memref<4xf32>
  memref.copy %x, %a : memref<4xf32> to memref<4xf32>
  memref.copy %x, %flat : memref<4xf32> to memref<4xf32>
  // expected-remark@+1 {{arena buffer 'memref<4xf32>': 16 bytes at offset 32, live over operations 6 to 9 of 13}}
  %b = memref.alloc() : memref<4xf32>
  memref.copy %a, %b : memref<4xf32> to memref<4xf32>
  memref.dealloc %a : memref<4xf32>
  // expected-remark@+1 {{arena buffer 'memref<4xf32>': 16 bytes at offset 16, live over operations 9 to 10 of 13}}
  %c = memref.alloc() : memref<4xf32>
  memref.copy %b, %c : memref<4xf32> to memref<4xf32>
  memref.copy %c, %y : memref<4xf32> to memref<4xf32>
  memref.copy %flat, %y : memref<4xf32> to memref<4xf32>
  return
}
