//===- tinyq-translate.cpp - Model files to and from MLIR -----------------===//
//
// mlir-translate with TinyQ's importers: --import-onnx reads an ONNX model
// (a `.onnxtxt` file is read in ONNX's textual syntax) and gives its nodes
// their TOSA semantics; --onnx-generic stops at the generic nodes.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Dialect/CortexM/CortexMToLLVMIRTranslation.h"
#include "tinyq/Dialect/X86/X86ToLLVMIRTranslation.h"
#include "tinyq/Import/ONNX.h"
#include "tinyq/Import/TFLite.h"
#include "tinyq/InitAllDialects.h"
#include "tinyq/Pipelines/Pipelines.h"
#include "tinyq/Tools/DebugOptions.h"

#include "mlir/Dialect/DLTI/DLTI.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllTranslations.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

static llvm::cl::opt<int64_t> batchSize(
    "batch-size",
    llvm::cl::desc("Size given to a symbolic first (batch) dimension of the "
                   "model's inputs (default 1)"),
    llvm::cl::init(1));

/// \p module brought to TOSA by the import pipeline, unless \p generic.
static OwningOpRef<Operation *> finishImport(OwningOpRef<ModuleOp> module,
                                             bool generic) {
  if (!module || generic)
    return module;
  PassManager pm(module->getContext());
  tinyq::buildImportToTosaPipeline(pm);
  if (failed(pm.run(*module)))
    return nullptr;
  return module;
}

static llvm::cl::opt<bool> onnxGeneric(
    "onnx-generic",
    llvm::cl::desc("Stop after import: emit generic tinyq_frontend.node ops "
                   "instead of TOSA"),
    llvm::cl::init(false));

static OwningOpRef<Operation *> importOnnxFile(llvm::SourceMgr &sourceMgr,
                                               MLIRContext *context) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  tinyq::OnnxImportOptions options;
  options.batchSize = batchSize;
  options.textFormat = buffer->getBufferIdentifier().ends_with(".onnxtxt");
  OwningOpRef<ModuleOp> module =
      tinyq::importOnnx(buffer->getMemBufferRef(), context, options);
  return finishImport(std::move(module), onnxGeneric);
}

static llvm::cl::opt<bool> tfliteGeneric(
    "tflite-generic",
    llvm::cl::desc("Stop after import: emit generic tinyq_frontend.node ops "
                   "instead of TOSA"),
    llvm::cl::init(false));

static OwningOpRef<Operation *> importTfliteFile(llvm::SourceMgr &sourceMgr,
                                                 MLIRContext *context) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  OwningOpRef<ModuleOp> module = tinyq::importTflite(
      buffer->getMemBufferRef(), context, tinyq::TfliteImportOptions());
  return finishImport(std::move(module), tfliteGeneric);
}

static void registerDialects(DialectRegistry &registry) {
  tinyq::registerAllDialects(registry);
  registerAllDialects(registry);
  registerAllExtensions(registry);
}

int main(int argc, char **argv) {
  tinyq::registerDebugOptions();
  registerAllTranslations();
  TranslateToMLIRRegistration importOnnx(
      "import-onnx", "Import an ONNX model (.onnx, or .onnxtxt text)",
      importOnnxFile, registerDialects);
  TranslateToMLIRRegistration importTflite("import-tflite",
                                           "Import a TFLite model (.tflite)",
                                           importTfliteFile, registerDialects);
  // mlir-to-llvmir with TinyQ's Cortex-M intrinsic ops (tinyq_cortexm).
  TranslateFromMLIRRegistration toLLVMIR(
      "tinyq-to-llvmir",
      "Translate the LLVM dialect, with TinyQ's Cortex-M intrinsic ops, to "
      "LLVM IR",
      [](Operation *op, llvm::raw_ostream &output) {
        llvm::LLVMContext llvmContext;
        std::unique_ptr<llvm::Module> module =
            translateModuleToLLVMIR(op, llvmContext);
        if (!module)
          return failure();
        module->print(output, nullptr);
        return success();
      },
      [](DialectRegistry &registry) {
        registry.insert<DLTIDialect, func::FuncDialect>();
        registerAllToLLVMIRTranslations(registry);
        tinyq::registerCortexMDialectTranslation(registry);
        tinyq::registerX86DialectTranslation(registry);
      });
  return failed(mlirTranslateMain(argc, argv, "TinyQ translation driver"));
}
