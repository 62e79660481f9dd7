//===- TinyQAttrs.td - TinyQ attributes --------------------*- tablegen -*-===//

#ifndef TINYQ_DIALECT_TINYQ_IR_TINYQATTRS_TD
#define TINYQ_DIALECT_TINYQ_IR_TINYQATTRS_TD

include "tinyq/Dialect/TinyQ/IR/TinyQDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def TinyQ_SparqRounding : I32EnumAttr<"SparqRounding",
    "rounding of the bits below a SPARQ window", [
      I32EnumAttrCase<"Truncate", 0, "truncate">,
      I32EnumAttrCase<"NearestEven", 1, "nearest_even">
    ]> {
  let cppNamespace = "::tinyq";
  let genSpecializedAttr = 0;
}

def TinyQ_Granularity : I32EnumAttr<"Granularity",
    "how many scales a weight tensor has", [
      I32EnumAttrCase<"PerTensor", 0, "per_tensor">,
      I32EnumAttrCase<"PerChannel", 1, "per_channel">
    ]> {
  let cppNamespace = "::tinyq";
  let genSpecializedAttr = 0;
}

def TinyQ_FloatAbi : I32EnumAttr<"FloatAbi",
    "how floating-point values cross function calls", [
      I32EnumAttrCase<"Default", 0, "default">,
      I32EnumAttrCase<"Soft", 1, "soft">,
      I32EnumAttrCase<"Hard", 2, "hard">
    ]> {
  let cppNamespace = "::tinyq";
  let genSpecializedAttr = 0;
}

//===----------------------------------------------------------------------===//
// Parameters
//===----------------------------------------------------------------------===//

// A double-precision float printed so that it parses back to the same bits;
// `inf` and `-inf` are accepted, NaN is not.
def TinyQ_F64Parameter
    : AttrOrTypeParameter<"::llvm::APFloat", "a 64-bit float"> {
  let comparator = "$_lhs.bitwiseIsEqual($_rhs)";
  let parser = "::tinyq::detail::parseF64($_parser)";
  let printer = "::tinyq::detail::printF64($_printer, $_self)";
}

// Nested tinyq attributes print in full (`#tinyq.sparq<...>`), which reads
// better than the stripped `<...>` form; both forms parse.
class TinyQ_NestedAttrParameter<string cppType, string desc>
    : AttrOrTypeParameter<cppType, desc> {
  let printer = "$_printer.printAttribute($_self)";
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

class TinyQ_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<TinyQ_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def TinyQ_SparqAttr : TinyQ_Attr<"Sparq", "sparq"> {
  let summary = "A sparsity-aware (SPARQ) activation configuration";
  let description = [{
    Applies to 8-bit activation magnitudes `a` in [0, 255] (an activation
    minus its zero point, after ReLU). With window width `n` (`bits`, 2 to 6)
    and the allowed window shifts `S` (`shifts`):

    * bSPARQ: for `p`, the index of the leading one of `a`, the window shift
      `s` is the smallest element of `S` with `p <= s + n - 1`; the result
      keeps bits `[s, s + n - 1]`. `truncate` clears the bits below the
      window; `nearest_even` rounds at bit `s`, ties to even, and a carry out
      of the window saturates to the window's all-ones value.
    * vSPARQ (`pairs = true`): adjacent elements along the reduction axis
      form pairs; when one of a pair is zero, the other is kept through a
      `2n`-bit window (whole when `2n >= 8`).

    `shifts` must be strictly increasing, no window may pass bit 7, and the
    largest shift must be `8 - n`, so that every magnitude has a window. The
    named sets of the SPARQ paper are `[0, 1, 2, 3, 4]` (5opt), `[0, 2, 4]`
    (3opt) and `[0, 4]` (2opt) for `n = 4`.

    Example:

    ```mlir
    #tinyq.sparq<bits = 4, shifts = [0, 2, 4], rounding = nearest_even, pairs = true>
    ```
  }];
  let parameters = (ins
    "unsigned":$bits,
    ArrayRefParameter<"int64_t", "allowed window shifts">:$shifts,
    EnumParameter<TinyQ_SparqRounding>:$rounding,
    DefaultValuedParameter<"bool", "false", "vSPARQ zero pairing">:$pairs
  );
  let assemblyFormat = [{
    `<` `bits` `=` $bits `,` `shifts` `=` `[` $shifts `]` `,`
        `rounding` `=` $rounding (`,` `pairs` `=` $pairs^)? `>`
  }];
  let genVerifyDecl = 1;
}

def TinyQ_OptionalSparqParameter
    : OptionalParameter<"::tinyq::SparqAttr", "SPARQ activations"> {
  let printer = "$_printer.printAttribute($_self)";
}

def TinyQ_PrecisionAttr : TinyQ_Attr<"Precision", "precision"> {
  let summary = "The mixed-precision decision of one layer";
  let description = [{
    Weight bit width (2 to 8; symmetric, narrow range), activation bit width
    (2 to 8), weight granularity, and optionally a SPARQ configuration for
    the layer's input activations, which requires 8-bit activations (SPARQ
    keeps values on the 8-bit scale).

    Example:

    ```mlir
    #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>
    #tinyq.precision<weight_bits = 8, activation_bits = 8, granularity = per_channel,
                     sparq = #tinyq.sparq<bits = 4, shifts = [0, 1, 2, 3, 4], rounding = nearest_even>>
    ```
  }];
  let parameters = (ins
    "unsigned":$weightBits,
    "unsigned":$activationBits,
    EnumParameter<TinyQ_Granularity>:$granularity,
    TinyQ_OptionalSparqParameter:$sparq
  );
  let assemblyFormat = [{
    `<` `weight_bits` `=` $weightBits `,` `activation_bits` `=` $activationBits
        `,` `granularity` `=` $granularity (`,` `sparq` `=` $sparq^)? `>`
  }];
  let genVerifyDecl = 1;  let extraClassDeclaration = [{
    /// The discardable attribute that holds a layer's precision.
    static constexpr ::llvm::StringLiteral kAttrName = "tinyq.precision";
  }];
}

def TinyQ_RangeAttr : TinyQ_Attr<"Range", "range"> {
  let summary = "The calibrated range of a tensor";
  let description = [{
    The clipping range `[min, max]` chosen by calibration for one tensor, with
    the number of samples it was computed from. Both bounds are finite and
    `min <= max`.

    Example:

    ```mlir
    #tinyq.range<min = -1.5, max = 3.25, samples = 100>
    ```
  }];
  let parameters = (ins
    TinyQ_F64Parameter:$min,
    TinyQ_F64Parameter:$max,
    DefaultValuedParameter<"uint64_t", "0", "calibration samples">:$samples
  );
  let assemblyFormat = [{
    `<` `min` `=` $min `,` `max` `=` $max (`,` `samples` `=` $samples^)? `>`
  }];
  let genVerifyDecl = 1;
}

def TinyQ_CandidateAttr : TinyQ_Attr<"Candidate", "candidate"> {
  let summary = "Quantization error of one layer at one candidate precision";
  let description = [{
    SQNR (dB) and mean squared error of the layer's weights and of its output
    activations when the layer runs at `precision`. MSEs are finite and
    non-negative; SQNRs are not NaN (`inf` means no error).

    Example:

    ```mlir
    #tinyq.candidate<precision = #tinyq.precision<weight_bits = 4, activation_bits = 8, granularity = per_channel>,
                     weight_sqnr = 21.5, weight_mse = 1.2e-03,
                     activation_sqnr = 18.25, activation_mse = 3.0e-02>
    ```
  }];
  let parameters = (ins
    TinyQ_NestedAttrParameter<"::tinyq::PrecisionAttr", "the candidate">
        :$precision,
    TinyQ_F64Parameter:$weightSqnr,
    TinyQ_F64Parameter:$weightMse,
    TinyQ_F64Parameter:$activationSqnr,
    TinyQ_F64Parameter:$activationMse
  );
  let assemblyFormat = [{
    `<` `precision` `=` $precision `,` `weight_sqnr` `=` $weightSqnr `,`
        `weight_mse` `=` $weightMse `,` `activation_sqnr` `=` $activationSqnr
        `,` `activation_mse` `=` $activationMse `>`
  }];
  let genVerifyDecl = 1;
}

def TinyQ_CandidateListParameter
    : ArrayRefParameter<"::tinyq::CandidateAttr", "candidates"> {
  let printer = [{
    ::llvm::interleaveComma($_self, $_printer,
        [&](::tinyq::CandidateAttr c) { $_printer.printAttribute(c); })
  }];
}

def TinyQ_SensitivityAttr : TinyQ_Attr<"Sensitivity", "sensitivity"> {
  let summary = "The sensitivity record of one layer";
  let description = [{
    One `#tinyq.candidate` per candidate precision, each precision at most
    once; at least one candidate.

    Example:

    ```mlir
    #tinyq.sensitivity<[#tinyq.candidate<...>, #tinyq.candidate<...>]>
    ```
  }];
  let parameters = (ins
    TinyQ_CandidateListParameter:$candidates
  );
  let assemblyFormat = "`<` `[` $candidates `]` `>`";
  let genVerifyDecl = 1;  let extraClassDeclaration = [{
    /// The discardable attribute that holds a layer's record.
    static constexpr ::llvm::StringLiteral kAttrName = "tinyq.sensitivity";
  }];
}

def TinyQ_TargetAttr : TinyQ_Attr<"Target", "target"> {
  let summary = "The machine a module is compiled for";
  let description = [{
    Set once on the module (`tinyq.target`) by the compiler driver from
    `--target`, `--mcpu`, `--mfloat-abi` and `--mattr`; every pass whose output depends
    on the machine reads it with `TargetAttr::lookup(op)`, and the object
    file's code generator is made from it. `cpu` and `triple` are LLVM's
    names; `features` lists, in LLVM's spelling, the features of the CPU
    that TinyQ's kernels choose by (`+dsp`, `+mve`, `+avx2`, `+dotprod`,
    ...), then the `--mattr` entries that list does not say (`-avx512f`,
    `+bmi2`): the code generator takes them all; `float_abi` is `soft` or `hard` on the Cortex-M cores, `default`
    elsewhere. A module without the attribute is compiled for no particular
    machine: the portable lowering only.

    Example:

    ```mlir
    module attributes {tinyq.target = #tinyq.target<cpu = "cortex-m55",
        triple = "thumbv8.1m.main-none-eabihf", features = ["+dsp", "+mve"],
        float_abi = hard>} {
    }
    ```
  }];
  let parameters = (ins
    StringRefParameter<"LLVM CPU name">:$cpu,
    StringRefParameter<"LLVM target triple">:$triple,
    "::mlir::ArrayAttr":$features,
    EnumParameter<TinyQ_FloatAbi>:$float_abi
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The name of the module attribute that holds it.
    static constexpr ::llvm::StringLiteral kAttrName = "tinyq.target";

    /// The target of the closest op enclosing \p op (itself included) that
    /// has one, or null.
    static TargetAttr lookup(::mlir::Operation *op);

    /// Whether the CPU has \p feature (`+dsp`).
    bool hasFeature(::llvm::StringRef feature) const;
  }];
}

#endif // TINYQ_DIALECT_TINYQ_IR_TINYQATTRS_TD
