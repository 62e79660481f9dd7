//===- tflite-import-fuzzer.cpp - libFuzzer target for TFLite import ------===//
//
// Feeds arbitrary bytes to the TFLite importer and, when import succeeds, to
// the conversion to TOSA. Every outcome but a clean diagnostic or a module is
// a bug.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Import/TFLite.h"
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

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
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
      llvm::StringRef(reinterpret_cast<const char *>(data), size),
      "fuzz.tflite");
  mlir::OwningOpRef<mlir::ModuleOp> module =
      tinyq::importTflite(buffer, &context, tinyq::TfliteImportOptions());
  if (!module)
    return 0;
  mlir::PassManager pm(&context);
  tinyq::buildImportToTosaPipeline(pm);
  (void)pm.run(*module);
  return 0;
}
