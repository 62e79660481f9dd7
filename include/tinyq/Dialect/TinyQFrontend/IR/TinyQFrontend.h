//===- TinyQFrontend.h - Imported model nodes -------------------*- C++ -*-===//

#ifndef TINYQ_DIALECT_TINYQFRONTEND_IR_TINYQFRONTEND_H
#define TINYQ_DIALECT_TINYQFRONTEND_IR_TINYQFRONTEND_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "tinyq/Dialect/TinyQFrontend/IR/TinyQFrontendDialect.h.inc"

#define GET_OP_CLASSES
#include "tinyq/Dialect/TinyQFrontend/IR/TinyQFrontendOps.h.inc"

namespace tinyq::frontend {
/// Function attribute naming the source format ("onnx" or "tflite").
constexpr llvm::StringLiteral kFormatAttrName = "tinyq_frontend.format";
/// Function attribute holding the ONNX default-domain opset.
constexpr llvm::StringLiteral kOpsetAttrName = "tinyq_frontend.opset";
} // namespace tinyq::frontend

#endif // TINYQ_DIALECT_TINYQFRONTEND_IR_TINYQFRONTEND_H
