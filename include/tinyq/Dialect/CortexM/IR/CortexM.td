//===- CortexM.td - Arm M-profile intrinsics as ops --------*- tablegen -*-===//
//
// The Arm DSP-extension and Helium (M-profile vector extension) intrinsics
// the Cortex-M kernels emit, as verified ops that translate to LLVM IR
// intrinsic calls (as upstream's arm_neon dialect does for AArch64).
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_DIALECT_CORTEXM_IR_CORTEXM_TD
#define TINYQ_DIALECT_CORTEXM_IR_CORTEXM_TD

include "mlir/Dialect/LLVMIR/LLVMOpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpBase.td"

def CortexM_Dialect : Dialect {
  let name = "tinyq_cortexm";
  let cppNamespace = "::tinyq::cortexm";
  let summary = "Arm DSP-extension and Helium intrinsics of the Cortex-M "
                "kernels";
  let description = [{
    One op per LLVM intrinsic that TinyQ's Cortex-M kernels call: the
    Armv7E-M / Armv8-M DSP extension's halfword multiply-accumulates and
    byte unpacking (`intr.smlad`, `intr.sxtb16`, ...) and Helium's vector
    dot products, multiplies, shifts, gathers and scatters (`intr.mve.*`).
    Unlike a generic `llvm.call_intrinsic` by name, each op checks its
    operand and result types, and the mode operands LLVM's intrinsics take
    as i32 values (unsigned, top, round, ...) are verified attributes. The
    ops take values of LLVM-compatible types, so they live at any level of
    the lowering, and translate one to one into the intrinsic calls.
  }];
}

/// A 128-bit Helium vector of integers.
def CortexM_MveVector : AnyTypeOf<[VectorOfLengthAndType<[16], [I8]>,
                                  VectorOfLengthAndType<[8], [I16]>,
                                  VectorOfLengthAndType<[4], [I32]>]>;

/// A flag operand of an intrinsic, 0 or 1.
def CortexM_Flag : ConfinedAttr<I32Attr, [IntMinValue<0>, IntMaxValue<1>]>;

/// An op that is an LLVM intrinsic: `llvm.arm.<mnemonic>` for the DSP
/// extension, `llvm.arm.mve.<mnemonic>` for Helium (dots become
/// underscores in the intrinsic's enum name).
class CortexM_IntrOp<string mnemonic, string prefix, list<int> overloadedResults,
                     list<int> overloadedOperands, int numResults,
                     list<Trait> traits = [], list<int> immArgPositions = [],
                     list<string> immArgAttrNames = []>
    : LLVM_IntrOpBase</*dialect=*/CortexM_Dialect,
                      /*opName=*/"intr." # prefix # mnemonic,
                      /*enumName=*/"arm_" # !subst(".", "_", prefix)
                                   # !subst(".", "_", mnemonic),
                      /*overloadedResults=*/overloadedResults,
                      /*overloadedOperands=*/overloadedOperands,
                      /*traits=*/traits,
                      /*numResults=*/numResults,
                      /*requiresAccessGroup=*/0,
                      /*requiresAliasAnalysis=*/0,
                      /*requiresFastmath=*/0,
                      /*requiresArgAndResultAttrs=*/0,
                      /*requiresOpBundles=*/0,
                      immArgPositions, immArgAttrNames>;

//===----------------------------------------------------------------------===//
// DSP extension
//===----------------------------------------------------------------------===//

def CortexM_Sxtb16Op : CortexM_IntrOp<"sxtb16", "", [], [], 1, [Pure]> {
  let summary = "Bytes 0 and 2 of a word, sign-extended to halfwords";
  let description = [{
    `res = (sext(x[7:0]), sext(x[23:16]))` as the low and high halfwords.
    Bytes 1 and 3 follow from `x` rotated right by 8, which the instruction
    folds in.

    ```mlir
    %pairs = tinyq_cortexm.intr.sxtb16 %word
    ```
  }];
  let arguments = (ins I32:$x);
  let results = (outs I32:$res);
  let assemblyFormat = "$x attr-dict";
}

/// A DSP multiply-accumulate of halfwords: `res = acc + products`.
class CortexM_HalfwordMacOp<string mnemonic, string products>
    : CortexM_IntrOp<mnemonic, "", [], [], 1, [Pure]> {
  let summary = "Signed halfword multiply-accumulate (" # mnemonic # ")";
  let description = [{
    `res = acc + }] # products # [{`, halfwords signed, the sum wrapping
    in 32 bits (the Q flag LLVM does not model).

    ```mlir
    %sum = tinyq_cortexm.intr.}] # mnemonic # [{ %a, %b, %acc
    ```
  }];
  let arguments = (ins I32:$a, I32:$b, I32:$acc);
  let results = (outs I32:$res);
  let assemblyFormat = "$a `,` $b `,` $acc attr-dict";
}

def CortexM_SmladOp
    : CortexM_HalfwordMacOp<"smlad", "lo(a) * lo(b) + hi(a) * hi(b)">;
def CortexM_SmlabbOp : CortexM_HalfwordMacOp<"smlabb", "lo(a) * lo(b)">;
def CortexM_SmlattOp : CortexM_HalfwordMacOp<"smlatt", "hi(a) * hi(b)">;
def CortexM_SmlatbOp : CortexM_HalfwordMacOp<"smlatb", "hi(a) * lo(b)">;

//===----------------------------------------------------------------------===//
// Helium (M-profile vector extension)
//===----------------------------------------------------------------------===//

def CortexM_VmldavaOp : CortexM_IntrOp<"vmldava", "mve.", [], [4], 1,
    [Pure, AllTypesMatch<["a", "b"]>], [0, 1, 2],
    ["is_unsigned", "subtract", "exchange"]> {
  let summary = "Dot product of two vectors, accumulated (vmlava)";
  let description = [{
    `res = acc + sum_i a[i] * b[i]`, the lanes signed unless `is_unsigned`;
    `vmlava.s8` for 16 bytes. `subtract` and `exchange` select Helium's
    other forms (vmlsdava, the exchanged pairs).

    ```mlir
    %sum = tinyq_cortexm.intr.mve.vmldava %acc, %a, %b
           {exchange = 0 : i32, subtract = 0 : i32, is_unsigned = 0 : i32}
           : vector<16xi8>
    ```
  }];
  let arguments = (ins CortexM_Flag:$is_unsigned, CortexM_Flag:$subtract,
                       CortexM_Flag:$exchange, I32:$acc, CortexM_MveVector:$a,
                       CortexM_MveVector:$b);
  let results = (outs I32:$res);
  let assemblyFormat = "$acc `,` $a `,` $b attr-dict `:` type($a)";
}

def CortexM_VqrdmulhOp : CortexM_IntrOp<"vqrdmulh", "mve.", [0], [], 1,
    [Pure, AllTypesMatch<["a", "b", "res"]>]> {
  let summary = "Saturating rounding doubling multiply, high half";
  let description = [{
    Lane by lane, `res = sat((2 * a * b + 2^(w-1)) >> w)` for lanes of `w`
    bits: numerics::saturatingRoundingDoublingHighMul in vectors.

    ```mlir
    %high = tinyq_cortexm.intr.mve.vqrdmulh %acc, %multipliers : vector<4xi32>
    ```
  }];
  let arguments = (ins CortexM_MveVector:$a, CortexM_MveVector:$b);
  let results = (outs CortexM_MveVector:$res);
  let assemblyFormat = "$a `,` $b attr-dict `:` type($res)";
}

def CortexM_VshlVectorOp : CortexM_IntrOp<"vshl.vector", "mve.", [0], [1], 1,
    [Pure, AllTypesMatch<["a", "shift", "res"]>], [2, 3, 4],
    ["saturate", "round", "is_unsigned"]> {
  let summary = "Shift by a vector of signed counts (vshl, vrshl, vqshl)";
  let description = [{
    Lane by lane, `a` shifted left by `shift` (right where it is negative),
    rounding the bits shifted out with `round` (`vrshl`), saturating with
    `saturate`, the lanes unsigned with `is_unsigned`.

    ```mlir
    %scaled = tinyq_cortexm.intr.mve.vshl.vector %high, %shifts
              {round = 1 : i32, saturate = 0 : i32, is_unsigned = 0 : i32}
              : vector<4xi32>
    ```
  }];
  let arguments = (ins CortexM_MveVector:$a, CortexM_MveVector:$shift,
                       CortexM_Flag:$saturate, CortexM_Flag:$round,
                       CortexM_Flag:$is_unsigned);
  let results = (outs CortexM_MveVector:$res);
  let assemblyFormat = "$a `,` $shift attr-dict `:` type($res)";
}

def CortexM_VmullOp : CortexM_IntrOp<"vmull", "mve.", [0], [0], 1,
    [Pure, AllTypesMatch<["a", "b"]>], [2, 3], ["is_unsigned", "top"]> {
  let summary = "Widening multiply of the even or the odd lanes";
  let description = [{
    `res[i] = a[2i + top] * b[2i + top]` in lanes twice as wide:
    `vmullb` (top = 0) and `vmullt` (top = 1), signed unless `is_unsigned`.

    ```mlir
    %even = tinyq_cortexm.intr.mve.vmull %x, %w
            {top = 0 : i32, is_unsigned = 0 : i32} : vector<8xi16> to vector<4xi32>
    ```
  }];
  let arguments = (ins CortexM_MveVector:$a, CortexM_MveVector:$b,
                       CortexM_Flag:$is_unsigned, CortexM_Flag:$top);
  let results = (outs CortexM_MveVector:$res);
  let assemblyFormat = "$a `,` $b attr-dict `:` type($a) `to` type($res)";
  let hasVerifier = 1;
}

def CortexM_VldrGatherOffsetOp : CortexM_IntrOp<"vldr.gather.offset", "mve.",
    [0], [0, 1], 1, [MemoryEffects<[MemRead]>], [2, 3, 4],
    ["memory_bits", "shift", "is_unsigned"]> {
  let summary = "Gather of memory elements at a base plus vector offsets";
  let description = [{
    Lane i loads the `memory_bits`-bit element at `base + (offsets[i] <<
    shift)` bytes and extends it (zero with `is_unsigned`, else sign) to the
    result's lanes: `vldrb.s32` / `vldrb.u32` / `vldrb.u16` for bytes.

    ```mlir
    %x = tinyq_cortexm.intr.mve.vldr.gather.offset %base, %offsets
         {memory_bits = 8 : i32, shift = 0 : i32, is_unsigned = 0 : i32}
         : (!llvm.ptr, vector<4xi32>) -> vector<4xi32>
    ```
  }];
  let arguments = (ins LLVM_AnyPointer:$base, CortexM_MveVector:$offsets,
                       I32Attr:$memory_bits, I32Attr:$shift,
                       CortexM_Flag:$is_unsigned);
  let results = (outs CortexM_MveVector:$res);
  let assemblyFormat = [{
    $base `,` $offsets attr-dict `:` `(` type($base) `,` type($offsets) `)`
    `->` type($res)
  }];
  let hasVerifier = 1;
}

def CortexM_VstrScatterOffsetOp : CortexM_IntrOp<"vstr.scatter.offset",
    "mve.", [], [0, 1, 2], 0, [MemoryEffects<[MemWrite]>], [3, 4],
    ["memory_bits", "shift"]> {
  let summary = "Scatter of vector lanes to a base plus vector offsets";
  let description = [{
    Lane i of `values`, truncated to `memory_bits`, is stored at `base +
    (offsets[i] << shift)` bytes: `vstrb.32` for bytes of 32-bit lanes.

    ```mlir
    tinyq_cortexm.intr.mve.vstr.scatter.offset %base, %offsets, %words
        {memory_bits = 8 : i32, shift = 0 : i32}
        : !llvm.ptr, vector<4xi32>, vector<4xi32>
    ```
  }];
  let arguments = (ins LLVM_AnyPointer:$base, CortexM_MveVector:$offsets,
                       CortexM_MveVector:$values, I32Attr:$memory_bits,
                       I32Attr:$shift);
  let assemblyFormat = [{
    $base `,` $offsets `,` $values attr-dict `:` type($base) `,`
    type($offsets) `,` type($values)
  }];
  let hasVerifier = 1;
}

#endif // TINYQ_DIALECT_CORTEXM_IR_CORTEXM_TD
