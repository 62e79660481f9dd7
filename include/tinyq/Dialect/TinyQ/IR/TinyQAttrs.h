//===- TinyQAttrs.h - TinyQ attributes --------------------------*- C++ -*-===//

#ifndef TINYQ_DIALECT_TINYQ_IR_TINYQATTRS_H
#define TINYQ_DIALECT_TINYQ_IR_TINYQATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "tinyq/Dialect/TinyQ/IR/TinyQEnums.h.inc"

namespace tinyq::detail {
/// Parses a float literal, `inf` or `-inf` (not NaN) as an IEEE double.
mlir::FailureOr<llvm::APFloat> parseF64(mlir::AsmParser &parser);
/// Prints an IEEE double so that parseF64 gives back the same value.
void printF64(mlir::AsmPrinter &printer, const llvm::APFloat &value);
} // namespace tinyq::detail

#define GET_ATTRDEF_CLASSES
#include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.h.inc"

namespace tinyq {
// Annotations of the sensitivity analysis held in builtin attributes (the
// tinyq attributes name their own: PrecisionAttr::kAttrName, ...).

/// The discardable attribute holding how many dB of activation SQNR a layer
/// loses between its input and its output in the all-low run.
constexpr llvm::StringLiteral kSqnrDropAttrName = "tinyq.activation_sqnr_drop";

/// The discardable attributes holding the fraction of a layer's input
/// values that are the zero point on the 8-bit grid, and of pairs of
/// adjacent elements along its innermost axis holding one (vSPARQ's pairs
/// for fully connected layers and convolutions over an even channel count).
constexpr llvm::StringLiteral kInputZeroFractionAttrName =
    "tinyq.input_zero_fraction";
constexpr llvm::StringLiteral kInputPairZeroFractionAttrName =
    "tinyq.input_pair_zero_fraction";
/// The discardable attribute holding the SQNR (dB) of a layer's input on
/// the 8-bit grid after SPARQ (pairs along the innermost axis), against the
/// float input: how much the SPARQ candidate costs the layer.
constexpr llvm::StringLiteral kInputSparqSqnrAttrName =
    "tinyq.input_sparq_sqnr";

/// The discardable attribute holding the model output's SQNR (dB) when only
/// the layer is at the low candidate (the single-layer baseline).
constexpr llvm::StringLiteral kSingleLayerSqnrAttrName =
    "tinyq.single_layer_sqnr";

} // namespace tinyq

#endif // TINYQ_DIALECT_TINYQ_IR_TINYQATTRS_H
