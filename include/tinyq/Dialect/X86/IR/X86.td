//===- X86.td - x86-64 integer dot-product intrinsics as ops -*- tablegen -*-===//
//
// The AVX2, AVX-512 and VNNI integer multiply-add intrinsics the x86-64
// kernels emit, as verified ops that translate to LLVM IR intrinsic calls.
// Upstream's x86vector dialect has the AVX-VNNI-INT8 signed dot product
// (vpdpbssd) but not the unsigned-by-signed one (vpdpbusd) that AVX-512
// VNNI and AVX-VNNI CPUs have, nor the AVX2 multiply-adds.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_DIALECT_X86_IR_X86_TD
#define TINYQ_DIALECT_X86_IR_X86_TD

include "mlir/Dialect/LLVMIR/LLVMOpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpBase.td"

def X86_Dialect : Dialect {
  let name = "tinyq_x86";
  let cppNamespace = "::tinyq::x86";
  let summary = "x86-64 integer multiply-add intrinsics of the CPU kernels";
  let description = [{
    One op per LLVM intrinsic that TinyQ's x86-64 kernels call: VNNI's
    byte dot products with accumulation (`intr.vpdpbusd.256` with AVX-VNNI
    or AVX-512 VNNI and VL, `intr.vpdpbusd.512` with AVX-512 VNNI) and the
    AVX2 / AVX-512BW multiply-adds of bytes into halfwords and of halfwords
    into words (`intr.pmaddubsw.*`, `intr.pmaddwd.*`). Each op checks its
    vector types; the ops take values of LLVM-compatible types, so they live
    at any level of the lowering, and translate one to one into the
    intrinsic calls.
  }];
}

/// An op that is the LLVM intrinsic `llvm.x86.<intrinsic>`, with fixed
/// types.
class X86_IntrOp<string mnemonic, string intrinsic, list<Trait> traits = []>
    : LLVM_IntrOpBase</*dialect=*/X86_Dialect,
                      /*opName=*/"intr." # mnemonic,
                      /*enumName=*/"x86_" # !subst(".", "_", intrinsic),
                      /*overloadedResults=*/[],
                      /*overloadedOperands=*/[],
                      /*traits=*/!listconcat([Pure], traits),
                      /*numResults=*/1>;

class X86_VpdpbusdOp<int width, int lanes>
    : X86_IntrOp<"vpdpbusd." # width, "avx512.vpdpbusd." # width,
                 [AllTypesMatch<["acc", "res"]>, AllTypesMatch<["a", "b"]>]> {
  let summary = "Dot products of unsigned by signed bytes, " # width # " bits";
  let description = [{
    Lane i of the result is `acc[i]` plus the sum over j < 4 of
    `zext(a[4i + j]) * sext(b[4i + j])`, wrapping: four byte products per
    32-bit lane, no intermediate saturation.

    ```mlir
    %sums = tinyq_x86.intr.vpdpbusd.}] # width # [{ %acc, %a, %b
        : vector<}] # lanes # [{xi32>, vector<}] # !mul(lanes, 4) # [{xi8>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[lanes], [I32]>:$acc,
                       VectorOfLengthAndType<[!mul(lanes, 4)], [I8]>:$a,
                       VectorOfLengthAndType<[!mul(lanes, 4)], [I8]>:$b);
  let results = (outs VectorOfLengthAndType<[lanes], [I32]>:$res);
  let assemblyFormat =
      "$acc `,` $a `,` $b attr-dict `:` type($acc) `,` type($a)";
}

def X86_Vpdpbusd256Op : X86_VpdpbusdOp<256, 8>;
def X86_Vpdpbusd512Op : X86_VpdpbusdOp<512, 16>;

class X86_PmaddubswOp<int width, int lanes, string intrinsic>
    : X86_IntrOp<"pmaddubsw." # width, intrinsic,
                 [AllTypesMatch<["a", "b"]>]> {
  let summary = "Pairs of unsigned by signed bytes into halfwords, " # width #
                " bits";
  let description = [{
    Lane i of the result is `zext(a[2i]) * sext(b[2i]) + zext(a[2i + 1]) *
    sext(b[2i + 1])`, saturated to int16: exact while the two products'
    sum stays in [-32768, 32767] (always with 7-bit weights).
  }];
  let arguments = (ins VectorOfLengthAndType<[!mul(lanes, 2)], [I8]>:$a,
                       VectorOfLengthAndType<[!mul(lanes, 2)], [I8]>:$b);
  let results = (outs VectorOfLengthAndType<[lanes], [I16]>:$res);
  let assemblyFormat = "$a `,` $b attr-dict `:` type($a) `to` type($res)";
}

def X86_Pmaddubsw256Op : X86_PmaddubswOp<256, 16, "avx2.pmadd.ub.sw">;
def X86_Pmaddubsw512Op : X86_PmaddubswOp<512, 32, "avx512.pmaddubs.w.512">;

class X86_PmaddwdOp<int width, int lanes, string intrinsic>
    : X86_IntrOp<"pmaddwd." # width, intrinsic,
                 [AllTypesMatch<["a", "b"]>]> {
  let summary = "Pairs of signed halfwords into words, " # width # " bits";
  let description = [{
    Lane i of the result is `sext(a[2i]) * sext(b[2i]) + sext(a[2i + 1]) *
    sext(b[2i + 1])` in 32 bits (exact but for -32768 squared twice).
  }];
  let arguments = (ins VectorOfLengthAndType<[!mul(lanes, 2)], [I16]>:$a,
                       VectorOfLengthAndType<[!mul(lanes, 2)], [I16]>:$b);
  let results = (outs VectorOfLengthAndType<[lanes], [I32]>:$res);
  let assemblyFormat = "$a `,` $b attr-dict `:` type($a) `to` type($res)";
}

def X86_Pmaddwd256Op : X86_PmaddwdOp<256, 8, "avx2.pmadd.wd">;
def X86_Pmaddwd512Op : X86_PmaddwdOp<512, 16, "avx512.pmaddw.d.512">;

#endif // TINYQ_DIALECT_X86_IR_X86_TD
