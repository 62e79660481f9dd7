//===- TFLite.h - TFLite model importer -------------------------*- C++ -*-===//
//
// Reads a .tflite flatbuffer (schema version 3) with TinyQ's own reader for
// the part of the published schema it needs, verifying every table before
// use, and produces a function of generic tinyq_frontend.node operations.
// Quantized tensors keep their parameters as !quant.uniform types.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_IMPORT_TFLITE_H
#define TINYQ_IMPORT_TFLITE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/MemoryBufferRef.h"

#include <string>

namespace tinyq {

struct TfliteImportOptions {
  /// The name of the function holding the main subgraph.
  std::string functionName = "main";
};

/// Imports \p buffer into a new module. On failure, emits one diagnostic
/// located in the file and returns null.
mlir::OwningOpRef<mlir::ModuleOp>
importTflite(llvm::MemoryBufferRef buffer, mlir::MLIRContext *context,
             const TfliteImportOptions &options);

/// The name of TFLite builtin operator \p code ("CONV_2D"), or
/// "BUILTIN_<code>" for codes TinyQ does not know.
std::string getTfliteOperatorName(int32_t code);

} // namespace tinyq

#endif // TINYQ_IMPORT_TFLITE_H
