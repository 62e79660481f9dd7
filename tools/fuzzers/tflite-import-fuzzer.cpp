//===- tflite-import-fuzzer.cpp - libFuzzer target for TFLite import ------===//

#include "FuzzImport.h"
#include "tinyq/Import/TFLite.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return tinyq::fuzzImport(
      data, size, "fuzz.tflite",
      [](llvm::MemoryBufferRef buffer, mlir::MLIRContext *context) {
        return tinyq::importTflite(buffer, context,
                                   tinyq::TfliteImportOptions());
      });
}
