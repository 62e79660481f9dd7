//===- Compiler.cpp - Model to object file, stage by stage ----------------===//

#include "tinyq/Compiler/Compiler.h"
#include "tinyq/Compiler/ModelInterface.h"
#include "tinyq/Compiler/SensitivityReport.h"
#include "tinyq/Dialect/CortexM/CortexMToLLVMIRTranslation.h"
#include "tinyq/Dialect/X86/X86ToLLVMIRTranslation.h"
#include "tinyq/Import/ONNX.h"
#include "tinyq/Import/TFLite.h"
#include "tinyq/InitAllDialects.h"
#include "tinyq/Pipelines/Pipelines.h"
#include "tinyq/Target/CortexM/Transforms.h"
#include "tinyq/Target/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
using namespace tinyq;

std::unique_ptr<MLIRContext> tinyq::createCompilerContext() {
  DialectRegistry registry;
  mlir::registerAllDialects(registry);
  registerAllExtensions(registry);
  tinyq::registerAllDialects(registry);
  auto context = std::make_unique<MLIRContext>(registry);
  context->printOpOnDiagnostic(false);
  return context;
}

llvm::Expected<OwningOpRef<ModuleOp>>
tinyq::loadModel(MLIRContext &context, StringRef path,
                 const ModelLoadOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return llvm::createStringError("cannot read '" + path +
                                   "': " + buffer.getError().message());
  OwningOpRef<ModuleOp> module;
  if (path.ends_with(".mlir")) {
    llvm::SourceMgr sourceMgr;
    sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  } else if (path.ends_with(".tflite")) {
    module = importTflite((*buffer)->getMemBufferRef(), &context,
                          TfliteImportOptions());
  } else {
    OnnxImportOptions onnx;
    onnx.batchSize = options.batchSize;
    onnx.textFormat = path.ends_with(".onnxtxt");
    module = importOnnx((*buffer)->getMemBufferRef(), &context, onnx);
  }
  if (!module)
    return llvm::createStringError("cannot load '" + path + "'");
  if (!options.importToTosa)
    return std::move(module);
  PassManager pm(&context);
  ImportToTosaOptions import;
  import.lowerQuantCasts = options.lowerQuantCasts;
  buildImportToTosaPipeline(pm, import);
  if (failed(pm.run(*module)))
    return llvm::createStringError("cannot bring '" + path + "' to TOSA");
  return std::move(module);
}

/// Opens \p path for writing ("-": stdout).
static llvm::Expected<std::unique_ptr<llvm::ToolOutputFile>>
openOutput(StringRef path) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(path, &error);
  if (!file)
    return llvm::createStringError(error);
  return std::move(file);
}

/// Prints \p module to \p path.
static llvm::Error writeModule(ModuleOp module, StringRef path) {
  auto output = openOutput(path);
  if (!output)
    return output.takeError();
  module.print((*output)->os());
  // Ended as tinyq-opt ends its output, so that the two compare.
  (*output)->os() << "\n";
  (*output)->keep();
  return llvm::Error::success();
}

/// Checks what the options allow before any work is done.
static llvm::Error checkOptions(const CompileOptions &options,
                                TargetAttr target) {
  bool lowers = options.emit >= EmitKind::LLVMDialect;
  if (options.unpackedWeightsLimit < 0)
    return llvm::createStringError(
        "--unpacked-weights-limit must not be negative");
  if (options.skipZeroActivations && lowers && !hasDspExtension(target))
    return llvm::createStringError(
        "--skip-zero-activations needs an Arm core with the DSP extension "
        "(cortex-m4, m7, m33, m55, m85), not '" +
        target.getCpu() + "'");
  if (!isValidModelName(options.name))
    return llvm::createStringError("--name '" + options.name +
                                   "' is not a C identifier");
  if (!options.headerPath.empty() && options.emit < EmitKind::LLVMIR)
    return llvm::createStringError(
        "--header goes with --emit=obj or --emit=llvm");
  if (options.emit == EmitKind::Calibrated && !options.quantization.isEnabled())
    return llvm::createStringError("--emit=calibrated needs --calibration");
  if ((options.sensitivity || options.exhaustiveSensitivity) &&
      options.emit != EmitKind::Calibrated)
    return llvm::createStringError(
        "--sensitivity and --exhaustive-sensitivity go with "
        "--emit=calibrated");
  return llvm::Error::success();
}

/// The sensitivity reports --sensitivity and --exhaustive-sensitivity ask
/// for, on the calibrated \p module.
static llvm::Error reportSensitivity(ModuleOp module, const Array &samples,
                                     const CompileOptions &options) {
  const QuantizationOptions &quantization = options.quantization;
  SensitivityOptions sensitivity = quantization.getSensitivityOptions();
  if (options.sensitivity) {
    auto report = analyzeSensitivity(module, samples, quantization.calibration,
                                     sensitivity);
    if (!report)
      return llvm::createStringError("sensitivity: " +
                                     llvm::toString(report.takeError()));
    printSensitivity(module, *report, *options.log);
  }
  if (options.exhaustiveSensitivity) {
    auto report = analyzeSingleLayerSensitivity(
        module, samples, quantization.calibration, sensitivity);
    if (!report)
      return llvm::createStringError("single-layer sensitivity: " +
                                     llvm::toString(report.takeError()));
    printSingleLayerSensitivity(module, *report, *options.log);
  }
  return llvm::Error::success();
}

llvm::Error tinyq::compileModel(MLIRContext &context,
                                const CompileOptions &options) {
  // The flags' target first: bad flags fail before any work.
  auto flagTarget =
      resolveTarget(&context, options.target.empty() ? "host" : options.target,
                    options.cpu, options.floatAbi, options.features);
  if (!flagTarget)
    return flagTarget.takeError();
  if (llvm::Error error = checkOptions(options, *flagTarget))
    return error;
  QuantizationOptions quantization = options.quantization;
  quantization.log = options.log;
  quantization.stopAfterCalibration = options.emit == EmitKind::Calibrated;
  Array calibrationData;
  if (quantization.isEnabled())
    if (std::string error =
            readArray(quantization.calibrationPath, calibrationData);
        !error.empty())
      return llvm::createStringError(error);

  // Load.
  ModelLoadOptions loadOptions;
  loadOptions.batchSize = options.batchSize;
  auto loaded = loadModel(context, options.modelPath, loadOptions);
  if (!loaded)
    return loaded.takeError();
  OwningOpRef<ModuleOp> module = std::move(*loaded);
  if (!module->lookupSymbol<func::FuncOp>("main"))
    return llvm::createStringError("the model has no function 'main'");

  // The target, set once: a model file's own unless the flags name one.
  TargetAttr target = *flagTarget;
  auto fileTarget = (*module)->getAttrOfType<TargetAttr>(TargetAttr::kAttrName);
  if (fileTarget && options.target.empty() && options.cpu.empty() &&
      options.floatAbi.empty() && options.features.empty())
    target = fileTarget;
  attachTarget(*module, target);
  auto machine = createTargetMachine(target);
  if (!machine)
    return machine.takeError();

  // Quantize.
  if (llvm::Error error =
          quantizeModel(*module, "main", calibrationData, quantization))
    return error;
  if (llvm::Error error = reportSensitivity(*module, calibrationData, options))
    return error;
  if (options.emit <= EmitKind::Mlir)
    return writeModule(*module, options.outputPath);

  // Entry points.
  auto interface = createEntryPoints(*module, "main", options.name);
  if (!interface)
    return interface.takeError();
  stripFrontendAttributes(*module);
  if (options.emit == EmitKind::EntryPoints)
    return writeModule(*module, options.outputPath);

  // Lower, with the target's kernels.
  PassManager pm(&context);
  TosaToLLVMOptions lowering;
  lowering.arena = true;
  lowering.skipZeroActivations = options.skipZeroActivations;
  lowering.unpackedWeightsLimit = options.unpackedWeightsLimit;
  lowering.printArenaPlan = options.printArenaPlan;
  buildTosaToLLVMPipeline(pm, lowering);
  if (failed(pm.run(*module)))
    return llvm::createStringError("lowering to the LLVM dialect failed");
  if (llvm::Error error = readArenaSize(*module, *interface))
    return error;
  if (options.emit == EmitKind::LLVMDialect)
    return writeModule(*module, options.outputPath);

  // LLVM IR, optimized for the target.
  registerBuiltinDialectTranslation(context);
  registerLLVMDialectTranslation(context);
  registerCortexMDialectTranslation(context);
  registerX86DialectTranslation(context);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext);
  if (!llvmModule)
    return llvm::createStringError("translation to LLVM IR failed");
  llvm::TargetMachine &targetMachine = **machine;
  llvmModule->setDataLayout(targetMachine.createDataLayout());
  llvmModule->setTargetTriple(targetMachine.getTargetTriple());
  if (llvm::Error error = makeOptimizingTransformer(
          /*optLevel=*/3, /*sizeLevel=*/0, &targetMachine)(llvmModule.get()))
    return error;

  readLibraryCalls(*llvmModule, *interface);
  if (!options.headerPath.empty()) {
    auto header = openOutput(options.headerPath);
    if (!header)
      return header.takeError();
    writeHeader((*header)->os(), *interface, options.modelPath);
    (*header)->keep();
  }
  auto output = openOutput(options.outputPath);
  if (!output)
    return output.takeError();
  if (options.emit == EmitKind::LLVMIR) {
    llvmModule->print((*output)->os(), nullptr);
    (*output)->keep();
    return llvm::Error::success();
  }

  // The object file.
  llvm::legacy::PassManager codegen;
  if (targetMachine.addPassesToEmitFile(codegen, (*output)->os(), nullptr,
                                        llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("the target cannot emit object files");
  codegen.run(*llvmModule);
  (*output)->keep();
  return llvm::Error::success();
}
