// RUN: tinyq-translate --tinyq-to-llvmir %s | FileCheck %s

// Each op is the call of its LLVM intrinsic; the attributes become the
// intrinsic's i32 operands at their places.

// CHECK-LABEL: define i32 @dsp(
// CHECK: %[[P:.*]] = call i32 @llvm.arm.sxtb16(i32 %0)
// CHECK: %[[S0:.*]] = call i32 @llvm.arm.smlad(i32 %[[P]], i32 %1, i32 %2)
// CHECK: %[[S1:.*]] = call i32 @llvm.arm.smlabb(i32 %[[P]], i32 %1, i32 %[[S0]])
// CHECK: %[[S2:.*]] = call i32 @llvm.arm.smlatt(i32 %[[P]], i32 %1, i32 %[[S1]])
// CHECK: call i32 @llvm.arm.smlatb(i32 %[[P]], i32 %1, i32 %[[S2]])
llvm.func @dsp(%x: i32, %w: i32, %acc: i32) -> i32 {
  %p = tinyq_cortexm.intr.sxtb16 %x
  %s0 = tinyq_cortexm.intr.smlad %p, %w, %acc
  %s1 = tinyq_cortexm.intr.smlabb %p, %w, %s0
  %s2 = tinyq_cortexm.intr.smlatt %p, %w, %s1
  %s3 = tinyq_cortexm.intr.smlatb %p, %w, %s2
  llvm.return %s3 : i32
}

// CHECK-LABEL: define i32 @dot(
// CHECK: call i32 @llvm.arm.mve.vmldava.v16i8(i32 0, i32 0, i32 0, i32 %0, <16 x i8> %1, <16 x i8> %2)
llvm.func @dot(%acc: i32, %a: vector<16xi8>, %b: vector<16xi8>) -> i32 {
  %d = tinyq_cortexm.intr.mve.vmldava %acc, %a, %b {exchange = 0 : i32, is_unsigned = 0 : i32, subtract = 0 : i32} : vector<16xi8>
  llvm.return %d : i32
}

// CHECK-LABEL: define <4 x i32> @requantize(
// CHECK: %[[H:.*]] = call <4 x i32> @llvm.arm.mve.vqrdmulh.v4i32(<4 x i32> %0, <4 x i32> %1)
// CHECK: call <4 x i32> @llvm.arm.mve.vshl.vector.v4i32.v4i32(<4 x i32> %[[H]], <4 x i32> %1, i32 0, i32 1, i32 0)
llvm.func @requantize(%x: vector<4xi32>, %m: vector<4xi32>) -> vector<4xi32> {
  %h = tinyq_cortexm.intr.mve.vqrdmulh %x, %m : vector<4xi32>
  %s = tinyq_cortexm.intr.mve.vshl.vector %h, %m {is_unsigned = 0 : i32, round = 1 : i32, saturate = 0 : i32} : vector<4xi32>
  llvm.return %s : vector<4xi32>
}

// CHECK-LABEL: define <4 x i32> @widen(
// CHECK: call <4 x i32> @llvm.arm.mve.vmull.v4i32.v8i16(<8 x i16> %0, <8 x i16> %0, i32 0, i32 1)
llvm.func @widen(%h: vector<8xi16>) -> vector<4xi32> {
  %p = tinyq_cortexm.intr.mve.vmull %h, %h {is_unsigned = 0 : i32, top = 1 : i32} : vector<8xi16> to vector<4xi32>
  llvm.return %p : vector<4xi32>
}

// CHECK-LABEL: define <4 x i32> @memory(
// CHECK: %[[G:.*]] = call <4 x i32> @llvm.arm.mve.vldr.gather.offset.v4i32.p0.v4i32(ptr %0, <4 x i32> %1, i32 8, i32 0, i32 0)
// CHECK: call void @llvm.arm.mve.vstr.scatter.offset.p0.v4i32.v4i32(ptr %0, <4 x i32> %1, <4 x i32> %[[G]], i32 8, i32 0)
llvm.func @memory(%base: !llvm.ptr, %offsets: vector<4xi32>) -> vector<4xi32> {
  %g = tinyq_cortexm.intr.mve.vldr.gather.offset %base, %offsets {is_unsigned = 0 : i32, memory_bits = 8 : i32, shift = 0 : i32} : (!llvm.ptr, vector<4xi32>) -> vector<4xi32>
  tinyq_cortexm.intr.mve.vstr.scatter.offset %base, %offsets, %g {memory_bits = 8 : i32, shift = 0 : i32} : !llvm.ptr, vector<4xi32>, vector<4xi32>
  llvm.return %g : vector<4xi32>
}
