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

#endif // TINYQ_DIALECT_TINYQ_IR_TINYQATTRS_H
