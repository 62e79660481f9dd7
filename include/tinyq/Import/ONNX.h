//===- ONNX.h - ONNX model importer -----------------------------*- C++ -*-===//
//
// Reads an ONNX model with ONNX's own parser, checker and shape inference and
// produces a function of generic tinyq_frontend.node operations.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_IMPORT_ONNX_H
#define TINYQ_IMPORT_ONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/MemoryBufferRef.h"

#include <string>

namespace tinyq {

struct OnnxImportOptions {
  /// The size given to a symbolic or unknown first (batch) dimension of a
  /// graph input. Other symbolic dimensions are an error.
  int64_t batchSize = 1;
  /// The name of the function holding the graph.
  std::string functionName = "main";
  /// Parse ONNX's textual syntax (onnx/defs/parser.h) instead of protobuf.
  bool textFormat = false;
};

/// Oldest and newest default-domain opsets the importer accepts.
constexpr int64_t kMinOnnxOpset = 11;
constexpr int64_t kMaxOnnxOpset = 17;

/// Imports \p buffer into a new module. On failure, emits one diagnostic
/// located in the file and returns null.
mlir::OwningOpRef<mlir::ModuleOp> importOnnx(llvm::MemoryBufferRef buffer,
                                             mlir::MLIRContext *context,
                                             const OnnxImportOptions &options);

} // namespace tinyq

#endif // TINYQ_IMPORT_ONNX_H
