//===- tinyq-opt.cpp - TinyQ's opt-style driver ---------------------------===//
//
// mlir-opt with TinyQ's dialects and passes added to upstream's.
//
//===----------------------------------------------------------------------===//

#include "tinyq/InitAllDialects.h"
#include "tinyq/InitAllPasses.h"
#include "tinyq/Pipelines/Pipelines.h"
#include "tinyq/Tools/DebugOptions.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  tinyq::registerDebugOptions();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  tinyq::registerAllDialects(registry);

  mlir::registerAllPasses();
  tinyq::registerAllPasses();
  tinyq::registerPipelines();

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "TinyQ optimizer driver\n", registry));
}
