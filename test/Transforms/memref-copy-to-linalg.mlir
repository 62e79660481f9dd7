// RUN: tinyq-opt %s --tinyq-memref-copy-to-linalg | FileCheck %s

// A strided copy becomes linalg.copy (loops, no runtime call); a copy
// between contiguous buffers stays memref.copy (llvm.intr.memcpy).
// CHECK-LABEL: func.func @copies
// CHECK: linalg.copy ins(%arg0 : memref<4xf32, strided<[2]>>) outs(%arg1 : memref<4xf32>)
// CHECK: memref.copy %arg2, %arg1 : memref<4xf32> to memref<4xf32>
// CHECK-NOT: linalg.copy
func.func @copies(%strided: memref<4xf32, strided<[2]>>, %out: memref<4xf32>, %dense: memref<4xf32>) {
  memref.copy %strided, %out : memref<4xf32, strided<[2]>> to memref<4xf32>
  memref.copy %dense, %out : memref<4xf32> to memref<4xf32>
  return
}

// A copy of a buffer onto itself (a row bufferized in place) goes.
// CHECK-LABEL: func.func @onto_itself
// CHECK-NOT: copy
// CHECK: return
func.func @onto_itself(%a: memref<4x4xi8>, %i: index) {
  %row = memref.subview %a[%i, 0] [1, 4] [1, 1] : memref<4x4xi8> to memref<1x4xi8, strided<[4, 1], offset: ?>>
  memref.copy %row, %row : memref<1x4xi8, strided<[4, 1], offset: ?>> to memref<1x4xi8, strided<[4, 1], offset: ?>>
  return
}
