//===- tinyq-compile.cpp - Model to object file ---------------------------===//
//
// Imports a model and compiles it for the host:
//
//   tinyq-compile MODEL [--emit=mlir|llvm|obj] [-o OUT] [--name NAME]
//                 [--calibration DATA [--calibration-method M]
//                  [--calibration-samples N] [--input-scale S]]
//
// The compiled function NAME takes one pointer per input, then one per
// output, each to a whole row-major tensor (the bare-pointer convention of
// buildTosaToLLVMPipeline). This is the float path; the quantized path with
// its C header and arena comes with the PTQ pipeline.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Calibration/Calibration.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Import/ONNX.h"
#include "tinyq/Import/TFLite.h"
#include "tinyq/InitAllDialects.h"
#include "tinyq/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
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
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("tinyq-compile options");
static cl::opt<std::string>
    modelPath(cl::Positional, cl::Required,
              cl::desc("<model.onnx|.onnxtxt|.tflite|.mlir>"),
              cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::desc("Output file"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(category));
enum class Emit { Mlir, Llvm, Obj };
static cl::opt<Emit> emit(
    "emit", cl::desc("What to write (default obj)"), cl::init(Emit::Obj),
    cl::values(clEnumValN(Emit::Mlir, "mlir", "the float TOSA module"),
               clEnumValN(Emit::Llvm, "llvm", "LLVM IR"),
               clEnumValN(Emit::Obj, "obj", "an object file for the host")),
    cl::cat(category));
static cl::opt<std::string>
    functionName("name",
                 cl::desc("Symbol of the compiled function (default "
                          "model)"),
                 cl::init("model"), cl::cat(category));
static cl::opt<int64_t>
    batchSize("batch-size",
              cl::desc("Batch size of ONNX models with a symbolic batch "
                       "dimension (default 1)"),
              cl::init(1), cl::cat(category));
static cl::opt<std::string>
    target("target",
           cl::desc("Target: host (default); other targets come with the "
                    "target-specific lowerings"),
           cl::init("host"), cl::cat(category));

static cl::opt<std::string> calibrationPath(
    "calibration",
    cl::desc("Calibrate on the samples of this .npy or IDX file (first "
             "dimension = samples) and record every tensor's range; needs "
             "--emit=mlir until quantization lands"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> calibrationMethod(
    "calibration-method",
    cl::desc("Range setting: minmax (default), meanmax (mean over samples "
             "of each sample's min and max), percentile, mse (least expected "
             "Lp quantization error) or kl (TensorRT's entropy "
             "calibration)"),
    cl::init("minmax"), cl::cat(category));
static cl::opt<int64_t> calibrationSamples(
    "calibration-samples",
    cl::desc("Use at most N calibration samples (default 1000, 0 = all)"),
    cl::init(1000), cl::cat(category));
static cl::opt<double> calibrationPercentile(
    "calibration-percentile",
    cl::desc("Percentile kept by --calibration-method=percentile, in "
             "(50, 100] (default 99.99)"),
    cl::init(99.99), cl::cat(category));
static cl::opt<double> calibrationNorm(
    "calibration-norm",
    cl::desc("Exponent p of the Lp error --calibration-method=mse minimizes "
             "(default 2)"),
    cl::init(2.0), cl::cat(category));
static cl::opt<std::string> activations(
    "activations",
    cl::desc("Activation precision, i8 (default) or i4; the mse and kl "
             "range searches optimize for it"),
    cl::init("i8"), cl::cat(category));
static cl::opt<std::string>
    weights("weights",
            cl::desc("Weight precision, i8 (default) or i4; bias correction "
                     "compensates for it"),
            cl::init("i8"), cl::cat(category));
static cl::opt<bool> perTensor(
    "per-tensor",
    cl::desc("One weight scale per tensor instead of per output channel "
             "(bias correction compensates for it)"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> biasCorrection(
    "bias-correction",
    cl::desc("After calibration, correct conv and depthwise biases for the "
             "mean shift that quantization at --weights/--activations "
             "causes, then calibrate again"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> crossLayerEqualization(
    "cle",
    cl::desc("Equalize the weight ranges of conv/depthwise -> ReLU -> conv "
             "pairs before calibration (tinyq-cross-layer-equalization)"),
    cl::init(false), cl::cat(category));
static cl::opt<double> inputScale(
    "input-scale",
    cl::desc("Factor applied to integer calibration data, e.g. 0.00392156862 "
             "(1/255) for uint8 images (default 1)"),
    cl::init(1.0), cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "tinyq-compile") << message << "\n";
  return 1;
}

static OwningOpRef<ModuleOp> loadModel(MLIRContext &context) {
  auto buffer = llvm::MemoryBuffer::getFile(modelPath);
  if (!buffer) {
    fail("cannot read '" + modelPath + "': " + buffer.getError().message());
    return nullptr;
  }
  StringRef path = modelPath;
  OwningOpRef<ModuleOp> module;
  if (path.ends_with(".mlir")) {
    llvm::SourceMgr sourceMgr;
    sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  } else if (path.ends_with(".tflite")) {
    module = tinyq::importTflite((*buffer)->getMemBufferRef(), &context,
                                 tinyq::TfliteImportOptions());
  } else {
    tinyq::OnnxImportOptions options;
    options.batchSize = batchSize;
    options.textFormat = path.ends_with(".onnxtxt");
    module = tinyq::importOnnx((*buffer)->getMemBufferRef(), &context, options);
  }
  if (!module)
    return nullptr;
  PassManager pm(&context);
  tinyq::buildImportToTosaPipeline(pm);
  if (failed(pm.run(*module)))
    return nullptr;
  return module;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "TinyQ compiler: model to object file\n");
  if (target != "host")
    return fail("unsupported --target '" + target +
                "' (this build compiles the float path for the host only)");

  std::optional<tinyq::RangeMethod> rangeMethod =
      tinyq::parseRangeMethod(calibrationMethod);
  if (!rangeMethod)
    return fail("unknown --calibration-method '" + calibrationMethod +
                "' (expected minmax, meanmax, percentile, mse or kl)");
  if (weights != "i8" && weights != "i4")
    return fail("unknown --weights '" + weights + "' (expected i8 or i4)");
  if (biasCorrection && calibrationPath.empty())
    return fail("--bias-correction needs --calibration");
  if (activations != "i8" && activations != "i4")
    return fail("unknown --activations '" + activations +
                "' (expected i8 or i4)");
  if (calibrationSamples < 0)
    return fail("--calibration-samples must not be negative");
  // Ranges are not yet used to quantize: refuse to ship a float object as if
  // it were calibrated.
  if (!calibrationPath.empty() && emit != Emit::Mlir)
    return fail("--calibration needs --emit=mlir: quantized code generation "
                "is not implemented yet");
  tinyq::Array calibrationData;
  if (!calibrationPath.empty())
    if (std::string error = tinyq::readArray(calibrationPath, calibrationData);
        !error.empty())
      return fail(error);

  DialectRegistry registry;
  mlir::registerAllDialects(registry);
  registerAllExtensions(registry);
  tinyq::registerAllDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr diagnosticSources;
  SourceMgrDiagnosticHandler diagnostics(diagnosticSources, &context);

  OwningOpRef<ModuleOp> module = loadModel(context);
  if (!module)
    return 1;
  auto func = module->lookupSymbol<func::FuncOp>("main");
  if (!func)
    return fail("the model has no function 'main'");
  if (failed(SymbolTable::replaceAllSymbolUses(
          func, StringAttr::get(&context, functionName), *module)))
    return fail("cannot rename the model function");
  func.setName(functionName);

  // Graph preparation for quantization: one layer per quantized kernel.
  if (!calibrationPath.empty() || crossLayerEqualization) {
    PassManager pm(&context);
    pm.addNestedPass<func::FuncOp>(tinyq::createTinyQFoldBatchNorm());
    if (crossLayerEqualization)
      pm.addNestedPass<func::FuncOp>(
          tinyq::createTinyQCrossLayerEqualization());
    if (failed(pm.run(*module)))
      return 1;
  }
  if (!calibrationPath.empty()) {
    tinyq::CalibrationOptions options;
    options.method = *rangeMethod;
    options.maxSamples = calibrationSamples;
    options.inputScale = inputScale;
    options.percentile = calibrationPercentile;
    options.norm = calibrationNorm;
    options.bits = activations == "i4" ? 4 : 8;
    if (llvm::Error error =
            tinyq::calibrate(*module, calibrationData, options, functionName))
      return fail("calibration: " + llvm::toString(std::move(error)));
    if (biasCorrection) {
      tinyq::BiasCorrectionOptions quantization;
      quantization.weightBits = weights == "i4" ? 4 : 8;
      quantization.perTensor = perTensor;
      auto corrected = tinyq::correctBiases(*module, calibrationData, options,
                                            quantization, functionName);
      if (!corrected)
        return fail("bias correction: " +
                    llvm::toString(corrected.takeError()));
      // The corrected layers have new output ranges.
      if (llvm::Error error =
              tinyq::calibrate(*module, calibrationData, options, functionName))
        return fail("calibration: " + llvm::toString(std::move(error)));
    }
  }

  std::string error;
  auto output = openOutputFile(outputPath, &error);
  if (!output)
    return fail(error);
  if (emit == Emit::Mlir) {
    module->print(output->os());
    output->keep();
    return 0;
  }

  // Names and formats are for tools, not for LLVM IR.
  func.removeArgAttrsAttr();
  func.removeResAttrsAttr();
  for (NamedAttribute attr : llvm::to_vector(func->getDiscardableAttrs()))
    if (attr.getName().strref().starts_with("tinyq_frontend."))
      func->removeDiscardableAttr(attr.getName());
  PassManager pm(&context);
  tinyq::buildTosaToLLVMPipeline(pm);
  if (failed(pm.run(*module)))
    return 1;

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  registerBuiltinDialectTranslation(context);
  registerLLVMDialectTranslation(context);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext);
  if (!llvmModule)
    return fail("translation to LLVM IR failed");

  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget)
    return fail(error);
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(llvmTarget->createTargetMachine(
      triple, llvm::sys::getHostCPUName(), "", targetOptions, llvm::Reloc::PIC_,
      std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  llvmModule->setDataLayout(machine->createDataLayout());
  llvmModule->setTargetTriple(triple);
  if (llvm::Error err = makeOptimizingTransformer(
          /*optLevel=*/3, /*sizeLevel=*/0, machine.get())(llvmModule.get()))
    return fail(llvm::toString(std::move(err)));

  if (emit == Emit::Llvm) {
    llvmModule->print(output->os(), nullptr);
    output->keep();
    return 0;
  }
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, output->os(), nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return fail("the host target cannot emit object files");
  codegen.run(*llvmModule);
  output->keep();
  return 0;
}
