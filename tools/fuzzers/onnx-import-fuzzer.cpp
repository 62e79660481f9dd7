//===- onnx-import-fuzzer.cpp - libFuzzer target for the ONNX importer ----===//

#include "FuzzImport.h"
#include "tinyq/Import/ONNX.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return tinyq::fuzzImport(
      data, size, "fuzz.onnx",
      [](llvm::MemoryBufferRef buffer, mlir::MLIRContext *context) {
        return tinyq::importOnnx(buffer, context, tinyq::OnnxImportOptions());
      });
}
