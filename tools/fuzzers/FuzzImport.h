//===- FuzzImport.h - What the import fuzzers share -------------*- C++ -*-===//
//
// Feeds arbitrary bytes to an importer and, when import succeeds, to the
// conversion to TOSA. Every outcome but a clean diagnostic or a module is a
// bug: a crash, a sanitizer report, a hang or an out-of-memory.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_TOOLS_FUZZERS_FUZZIMPORT_H
#define TINYQ_TOOLS_FUZZERS_FUZZIMPORT_H

#include "tinyq/InitAllDialects.h"
#include "tinyq/Pipelines/Pipelines.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstddef>
#include <cstdint>

namespace tinyq {

/// Runs \p import (MemoryBufferRef, MLIRContext *) -> OwningOpRef<ModuleOp>
/// on \p size bytes at \p data named \p name, then the import pipeline.
template <typename Import>
int fuzzImport(const uint8_t *data, size_t size, llvm::StringRef name,
               Import import) {
  static mlir::DialectRegistry *registry = [] {
    auto *r = new mlir::DialectRegistry();
    mlir::registerAllDialects(*r);
    mlir::registerAllExtensions(*r);
    tinyq::registerAllDialects(*r);
    return r;
  }();
  mlir::MLIRContext context(*registry);
  context.disableMultithreading();
  // Diagnostics are the expected outcome for bad input; keep them quiet.
  mlir::ScopedDiagnosticHandler quiet(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), name);
  mlir::OwningOpRef<mlir::ModuleOp> module = import(buffer, &context);
  if (!module)
    return 0;
  mlir::PassManager pm(&context);
  buildImportToTosaPipeline(pm);
  (void)pm.run(*module);
  return 0;
}

} // namespace tinyq

#endif // TINYQ_TOOLS_FUZZERS_FUZZIMPORT_H
