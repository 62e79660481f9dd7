// RUN: tinyq-opt %s | FileCheck %s
// RUN: tinyq-opt %s | tinyq-opt | FileCheck %s
// RUN: tinyq-opt %s --mlir-print-op-generic | tinyq-opt | FileCheck %s

// Round trip of every tinyq_cortexm op.

// CHECK-LABEL: func.func @dsp
// CHECK: %[[P:.*]] = tinyq_cortexm.intr.sxtb16 %arg0
// CHECK: %[[S0:.*]] = tinyq_cortexm.intr.smlad %[[P]], %arg1, %arg2
// CHECK: %[[S1:.*]] = tinyq_cortexm.intr.smlabb %[[P]], %arg1, %[[S0]]
// CHECK: %[[S2:.*]] = tinyq_cortexm.intr.smlatt %[[P]], %arg1, %[[S1]]
// CHECK: tinyq_cortexm.intr.smlatb %[[P]], %arg1, %[[S2]]
func.func @dsp(%x: i32, %w: i32, %acc: i32) -> i32 {
  %p = tinyq_cortexm.intr.sxtb16 %x
  %s0 = tinyq_cortexm.intr.smlad %p, %w, %acc
  %s1 = tinyq_cortexm.intr.smlabb %p, %w, %s0
  %s2 = tinyq_cortexm.intr.smlatt %p, %w, %s1
  %s3 = tinyq_cortexm.intr.smlatb %p, %w, %s2
  return %s3 : i32
}

// CHECK-LABEL: func.func @helium
// CHECK: tinyq_cortexm.intr.mve.vmldava %arg0, %arg1, %arg2 {exchange = 0 : i32, is_unsigned = 0 : i32, subtract = 0 : i32} : vector<16xi8>
// CHECK: tinyq_cortexm.intr.mve.vqrdmulh %arg3, %arg4 : vector<4xi32>
// CHECK: tinyq_cortexm.intr.mve.vshl.vector %{{.*}}, %arg4 {is_unsigned = 0 : i32, round = 1 : i32, saturate = 0 : i32} : vector<4xi32>
// CHECK: tinyq_cortexm.intr.mve.vmull %arg5, %arg5 {is_unsigned = 0 : i32, top = 1 : i32} : vector<8xi16> to vector<4xi32>
func.func @helium(%acc: i32, %a: vector<16xi8>, %b: vector<16xi8>,
                  %x: vector<4xi32>, %m: vector<4xi32>, %h: vector<8xi16>)
    -> (i32, vector<4xi32>, vector<4xi32>) {
  %dot = tinyq_cortexm.intr.mve.vmldava %acc, %a, %b {exchange = 0 : i32, is_unsigned = 0 : i32, subtract = 0 : i32} : vector<16xi8>
  %high = tinyq_cortexm.intr.mve.vqrdmulh %x, %m : vector<4xi32>
  %shifted = tinyq_cortexm.intr.mve.vshl.vector %high, %m {is_unsigned = 0 : i32, round = 1 : i32, saturate = 0 : i32} : vector<4xi32>
  %odd = tinyq_cortexm.intr.mve.vmull %h, %h {is_unsigned = 0 : i32, top = 1 : i32} : vector<8xi16> to vector<4xi32>
  return %dot, %shifted, %odd : i32, vector<4xi32>, vector<4xi32>
}

// CHECK-LABEL: llvm.func @memory
// CHECK: tinyq_cortexm.intr.mve.vldr.gather.offset %arg0, %arg1 {is_unsigned = 1 : i32, memory_bits = 8 : i32, shift = 0 : i32} : (!llvm.ptr, vector<8xi16>) -> vector<8xi16>
// CHECK: tinyq_cortexm.intr.mve.vstr.scatter.offset %arg0, %arg2, %arg3 {memory_bits = 8 : i32, shift = 0 : i32} : !llvm.ptr, vector<4xi32>, vector<4xi32>
llvm.func @memory(%base: !llvm.ptr, %short: vector<8xi16>, %offsets: vector<4xi32>, %words: vector<4xi32>) -> vector<8xi16> {
  %g = tinyq_cortexm.intr.mve.vldr.gather.offset %base, %short {is_unsigned = 1 : i32, memory_bits = 8 : i32, shift = 0 : i32} : (!llvm.ptr, vector<8xi16>) -> vector<8xi16>
  tinyq_cortexm.intr.mve.vstr.scatter.offset %base, %offsets, %words {memory_bits = 8 : i32, shift = 0 : i32} : !llvm.ptr, vector<4xi32>, vector<4xi32>
  llvm.return %g : vector<8xi16>
}
