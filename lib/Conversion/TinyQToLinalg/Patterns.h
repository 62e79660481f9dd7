//===- Patterns.h - TinyQToLinalg pattern families --------------*- C++ -*-===//
//
// The pattern families of tinyq-lower-integer-ops, one per file, and what
// they share.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_LIB_CONVERSION_TINYQTOLINALG_PATTERNS_H
#define TINYQ_LIB_CONVERSION_TINYQTOLINALG_PATTERNS_H

#include "tinyq/Conversion/TinyQToLinalg/IntegerLowering.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <string>

namespace tinyq {

/// An elementwise linalg.generic producing \p resultType (a narrow integer
/// tensor) from \p inputs read through \p inputMaps: \p compute returns,
/// from the input elements, the int32 value each result element truncates.
mlir::Value createNarrowingGeneric(
    mlir::OpBuilder &builder, mlir::Location loc,
    mlir::RankedTensorType resultType, mlir::ValueRange inputs,
    llvm::ArrayRef<mlir::AffineMap> inputMaps,
    llvm::function_ref<mlir::Value(Int32Builder &, mlir::OpBuilder &,
                                   mlir::Location, mlir::ValueRange)>
        compute);

/// A layer with SPARQ activations whose reduction rows' pairs stay inside
/// one position of its input's innermost dimension (a fully connected
/// layer; a convolution over an even number of channels, or 1x1; any layer
/// without pairs) is the plain layer over `tinyq.sparq` of its input.
/// Returns why \p op's SPARQ cannot be lowered that way, or an empty
/// string.
std::string getSparqExtractionProblem(IntegerLayerOpInterface op);

/// tinyq.requantize, tinyq.add and tinyq.avg_pool2d -> elementwise
/// linalg.generic of 32-bit integer arithmetic.
void populateRequantizationPatterns(mlir::RewritePatternSet &patterns);

/// The integer layers -> an int32 accumulation (linalg) into the folded
/// bias, then tinyq.requantize.
void populateLayerPatterns(mlir::RewritePatternSet &patterns);

/// tinyq.sparq -> integer arithmetic; layers with SPARQ activations -> the
/// plain layer over tinyq.sparq of their input (or of explicit windows).
void populateSparqPatterns(mlir::RewritePatternSet &patterns);

} // namespace tinyq

#endif // TINYQ_LIB_CONVERSION_TINYQTOLINALG_PATTERNS_H
