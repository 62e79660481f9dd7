//===- TinyQOps.td - TinyQ operations ----------------------*- tablegen -*-===//

#ifndef TINYQ_DIALECT_TINYQ_IR_TINYQOPS_TD
#define TINYQ_DIALECT_TINYQ_IR_TINYQOPS_TD

include "tinyq/Dialect/TinyQ/IR/TinyQDialect.td"
include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class TinyQ_Op<string mnemonic, list<Trait> traits = []>
    : Op<TinyQ_Dialect, mnemonic, traits>;

def TinyQ_ObserveOp : TinyQ_Op<"observe",
    [Pure, SameOperandsAndResultType]> {
  let summary = "Marks a calibration point";
  let description = [{
    Returns its input unchanged. Calibration runs the float model and records
    the statistics of every observed tensor under the op's `id`, which is
    stable across passes so that statistics can be folded back into the IR
    (as `range`). It never folds away: removing calibration points is the job
    of `tinyq-strip-observe`.

    Example:

    ```mlir
    %0 = tinyq.observe %x id 3 range <min = -1.0, max = 6.0, samples = 64> : tensor<1x8x8x16xf32>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[AnyFloat]>:$input,
    ConfinedAttr<I64Attr, [IntNonNegative]>:$id,
    OptionalAttr<TinyQ_RangeAttr>:$range
  );
  let results = (outs RankedTensorOf<[AnyFloat]>:$result);
  let assemblyFormat = [{
    $input `id` $id (`range` $range^)? attr-dict `:` type($input)
  }];
}

def TinyQ_FakeQuantOp : TinyQ_Op<"fake_quant",
    [Pure, SameOperandsAndResultType]> {
  let summary = "Simulated quantization: quantize then dequantize, in float";
  let description = [{
    Computes `(clamp(round_ties_to_even(x / s) + z, qmin, qmax) - z) * s`
    elementwise in float32, with the scale `s`, zero point `z` and storage
    range `[qmin, qmax]` of `quant_type`, an upstream `!quant.uniform` type
    (per tensor or per axis; narrow ranges such as `i8<-127:127>` are
    honoured). Unlike `quant.dcast(quant.qcast(x))`, which canonicalizes to
    `x`, this op survives canonicalization: it is how TinyQ simulates any bit
    width in float. Scales are used as float32. A constant input folds to the
    simulated values.

    Example:

    ```mlir
    %0 = tinyq.fake_quant %x as !quant.uniform<i4:f32, 0.25:-2> : tensor<16xf32>
    %1 = tinyq.fake_quant %w as !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}> : tensor<2x3xf32>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[F32]>:$input,
    TypeAttr:$quant_type
  );
  let results = (outs RankedTensorOf<[F32]>:$result);
  let assemblyFormat = [{
    $input `as` $quant_type attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def TinyQ_RequantizeOp : TinyQ_Op<"requantize",
    [Pure, SameOperandsAndResultShape]> {
  let summary = "Rescales int32 accumulators to narrow integers";
  let description = [{
    For each element `x` of channel `c`, computes
    `clamp(x * M[c] + zero_point, clamp_min, clamp_max)` where
    `M[c] = multiplier[c] * 2^(shift[c] - 31)` is applied with TFLite's
    integer rule: a saturating rounding doubling high multiply and a rounding
    right shift (positive shifts are applied first, as a left shift that
    saturates). Without `axis` there is one multiplier and one shift for the
    whole tensor; with `axis`, one per index of that dimension.

    Multipliers are 0 or in [2^30, 2^31 - 1], shifts in [-31, 30]; the zero
    point and the clamp bounds lie in the signed range of the result's
    element type. A constant input folds.

    Example:

    ```mlir
    %0 = tinyq.requantize %acc multiplier [1395864371, 1073741824] shift [-7, -8]
           zero_point -3 clamp [-128, 127] axis 3 : tensor<1x4x4x2xi32> -> tensor<1x4x4x2xi8>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[I32]>:$input,
    DenseI32ArrayAttr:$multiplier,
    DenseI32ArrayAttr:$shift,
    I32Attr:$zero_point,
    I32Attr:$clamp_min,
    I32Attr:$clamp_max,
    OptionalAttr<ConfinedAttr<I64Attr, [IntNonNegative]>>:$axis
  );
  let results = (outs RankedTensorOf<[I<4>, I8, I16]>:$output);
  let assemblyFormat = [{
    $input `multiplier` $multiplier `shift` $shift `zero_point` $zero_point
    `clamp` ` ` `[` $clamp_min `,` $clamp_max `]` (`axis` $axis^)? attr-dict
    `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def TinyQ_SparqOp : TinyQ_Op<"sparq", [Pure, SameOperandsAndResultType]> {
  let summary = "Applies a SPARQ configuration to integer activations";
  let description = [{
    For each element `x`, the magnitude `a = clamp(x - zero_point, 0, 255)`
    goes through the `config` (see `#tinyq.sparq`); the result is
    `sparq(a) + zero_point`, saturated to the element type. With
    `pairs = true`, elements pair up along the innermost dimension, (0, 1),
    (2, 3), ..., and an odd last element pairs with a virtual zero. A
    constant input folds.

    Example:

    ```mlir
    %0 = tinyq.sparq %a <bits = 4, shifts = [0, 2, 4], rounding = nearest_even>
           zero_point -128 : tensor<1x8x8x16xi8>
    ```
  }];
  let arguments = (ins
    RankedTensorOf<[I8, I16, I32]>:$input,
    TinyQ_SparqAttr:$config,
    DefaultValuedAttr<I32Attr, "0">:$zero_point
  );
  let results = (outs RankedTensorOf<[I8, I16, I32]>:$result);
  let assemblyFormat = [{
    $input $config (`zero_point` $zero_point^)? attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

#endif // TINYQ_DIALECT_TINYQ_IR_TINYQOPS_TD
