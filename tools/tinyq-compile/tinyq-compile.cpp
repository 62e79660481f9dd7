//===- tinyq-compile.cpp - Model to object file ---------------------------===//
//
// Imports a model, optionally quantizes it, and compiles it for the host:
//
//   tinyq-compile MODEL [--emit=mlir|llvm|obj] [-o OUT] [--header H]
//                 [--name NAME] [--calibration DATA [--calibration-method M]
//                  [--weights i8|i4] [--activations i8|i4] [--per-tensor]
//                  [--cle] [--bias-correction] [--input-scale S]]
//
// The object defines NAME_run(inputs..., outputs..., arena) and, for a
// quantized model, NAME_run_float; the header declares them (see
// ModelInterface.h).
//
//===----------------------------------------------------------------------===//

#include "tinyq/Calibration/Sensitivity.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Dialect/TinyQ/Transforms/QuantChoice.h"
#include "tinyq/Driver/Driver.h"
#include "tinyq/Driver/ModelInterface.h"
#include "tinyq/Import/ONNX.h"
#include "tinyq/Import/TFLite.h"
#include "tinyq/InitAllDialects.h"
#include "tinyq/Numerics/Metrics.h"
#include "tinyq/Pipelines/Pipelines.h"
#include "tinyq/Target/CortexM/Transforms.h"
#include "tinyq/Target/Target.h"

#include "mlir/Dialect/DLTI/DLTI.h"
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
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
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
enum class Emit { Calibrated, Mlir, Llvm, Obj };
static cl::opt<Emit> emit(
    "emit", cl::desc("What to write (default obj)"), cl::init(Emit::Obj),
    cl::values(
        clEnumValN(Emit::Calibrated, "calibrated",
                   "the float TOSA model with the calibrated range of every "
                   "observed tensor, before quantization (needs "
                   "--calibration)"),
        clEnumValN(Emit::Mlir, "mlir",
                   "the model in MLIR before lowering: float TOSA, or the "
                   "integer model with --calibration"),
        clEnumValN(Emit::Llvm, "llvm", "LLVM IR"),
        clEnumValN(Emit::Obj, "obj", "an object file for the host")),
    cl::cat(category));
static cl::opt<std::string>
    functionName("name",
                 cl::desc("Prefix of the C entry points NAME_run and "
                          "NAME_run_float and of the header's macros "
                          "(default model); MLIR output keeps 'main'"),
                 cl::init("model"), cl::cat(category));
static cl::opt<int64_t>
    batchSize("batch-size",
              cl::desc("Batch size of ONNX models with a symbolic batch "
                       "dimension (default 1)"),
              cl::init(1), cl::cat(category));
static cl::opt<std::string>
    target("target",
           cl::desc("Target: host (default), cortex-m0plus, cortex-m3, "
                    "cortex-m4, cortex-m7, cortex-m33, cortex-m55 or "
                    "cortex-m85 (Thumb objects for arm-none-eabi toolchains; "
                    "hard-float ABI where the core has an FPU)"),
           cl::init("host"), cl::cat(category));
static cl::opt<std::string>
    mcpu("mcpu",
         cl::desc("Override the target's CPU (an LLVM CPU name, e.g. "
                  "cortex-m4)"),
         cl::cat(category));
static cl::opt<std::string>
    mfloatAbi("mfloat-abi",
              cl::desc("Override the target's float ABI: soft or hard"),
              cl::cat(category));

static cl::opt<std::string>
    headerPath("header",
               cl::desc("Also write the C header declaring the entry points, "
                        "shapes, quantization parameters and arena size "
                        "(with --emit=obj or llvm)"),
               cl::value_desc("file"), cl::cat(category));
static cl::opt<bool> skipZeroActivations(
    "skip-zero-activations",
    cl::desc("On Arm cores with the DSP extension: fully connected and "
             "pointwise layers skip the products of zero activations (pays "
             "when more than about 40% of their inputs are zero; needs 4 "
             "bytes of arena per input value of the largest such layer; "
             "layers that take Helium dot products keep them)"),
    cl::init(false), cl::cat(category));
static cl::opt<int64_t> unpackedWeightsLimit(
    "unpacked-weights-limit",
    cl::desc("On Arm cores with the DSP extension: int8 layers whose weights "
             "take at most this many bytes as int16 halves (or as the 2:4 "
             "kernel's stream, for 2:4-sparse weights) are stored so: faster, "
             "twice the flash of int8 (default 16384; 0: none)"),
    cl::init(16384), cl::cat(category));
static cl::opt<bool> printArenaPlan(
    "print-arena-plan",
    cl::desc("Print where the arena's bytes go, as remarks: each buffer's "
             "type, size, offset and live range (positions among its "
             "function's operations), then the function's arena size and "
             "lower bound"),
    cl::init(false), cl::cat(category));
static tinyq::QuantizationFlags quantizationFlags(category);
static cl::opt<bool> exhaustiveSensitivity(
    "exhaustive-sensitivity",
    cl::desc("With --emit=calibrated: the single-layer baseline, one "
             "inference per layer with only it at W4A8 (tinyq."
             "single_layer_sqnr); with --sensitivity, also the Spearman "
             "correlation of the two rankings"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> sensitivity(
    "sensitivity",
    cl::desc("With --emit=calibrated: annotate every layer with its "
             "quantization sensitivity (tinyq.sensitivity: weight and "
             "activation SQNR/MSE at W8A8 and W4A8, from two inferences over "
             "the calibration samples) and print it"),
    cl::init(false), cl::cat(category));

/// Prints the sensitivity of every annotated layer to stderr.
static void printSensitivity(ModuleOp module,
                             const tinyq::SensitivityReport &report) {
  llvm::errs() << "sensitivity: " << report.layers << " layers, "
               << report.inferences << " inferences\n";
  llvm::errs() << "layer                      candidate  weight SQNR  "
                  "weight MSE   act. SQNR  act. MSE\n";
  module.walk([&](Operation *op) {
    auto record =
        op->getAttrOfType<tinyq::SensitivityAttr>("tinyq.sensitivity");
    if (!record)
      return;
    std::string name = op->getName().getStringRef().str();
    if (auto loc = dyn_cast<NameLoc>(op->getLoc()))
      name = loc.getName().str();
    for (tinyq::CandidateAttr candidate : record.getCandidates())
      llvm::errs() << llvm::format(
          "%-26s W%uA%u %12.2f %11.3e %11.2f %10.3e\n",
          name.substr(0, 26).c_str(), candidate.getPrecision().getWeightBits(),
          candidate.getPrecision().getActivationBits(),
          candidate.getWeightSqnr().convertToDouble(),
          candidate.getWeightMse().convertToDouble(),
          candidate.getActivationSqnr().convertToDouble(),
          candidate.getActivationMse().convertToDouble());
    if (auto sparq =
            op->getAttrOfType<FloatAttr>(tinyq::kInputSparqSqnrAttrName))
      llvm::errs() << llvm::format("%-26s SPARQ input SQNR %.2f\n",
                                   name.substr(0, 26).c_str(),
                                   sparq.getValueAsDouble());
  });
}

/// Prints the single-layer SQNR of every layer and, when the two-inference
/// records are there too, the Spearman correlation of the layer order by
/// the assignment's score (sum of the ranks by the 4-bit candidate's
/// activation and weight SQNR) with the order by single-layer SQNR.
static void
printSingleLayerSensitivity(ModuleOp module,
                            const tinyq::SensitivityReport &report) {
  llvm::errs() << "single-layer sensitivity: " << report.layers << " layers, "
               << report.inferences << " inferences\n";
  std::vector<double> singleLayer;
  SmallVector<Operation *> layers;
  module.walk([&](Operation *op) {
    auto sqnr = op->getAttrOfType<FloatAttr>(tinyq::kSingleLayerSqnrAttrName);
    if (!sqnr)
      return;
    std::string name = op->getName().getStringRef().str();
    if (auto loc = dyn_cast<NameLoc>(op->getLoc()))
      name = loc.getName().str();
    llvm::errs() << llvm::format("  %-26s output SQNR %.2f dB\n",
                                 name.substr(0, 26).c_str(),
                                 sqnr.getValueAsDouble());
    singleLayer.push_back(sqnr.getValueAsDouble());
    layers.push_back(op);
  });
  if (layers.empty() ||
      !layers.front()->hasAttr(tinyq::SensitivityAttr::kAttrName))
    return;
  FailureOr<std::vector<double>> scores =
      tinyq::getSensitivityScores(layers, /*lowBits=*/4);
  if (failed(scores))
    return;
  llvm::errs() << llvm::format(
      "spearman (two-inference score vs single-layer SQNR): %.3f\n",
      tinyq::numerics::spearmanCorrelation(*scores, singleLayer));
}

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "tinyq-compile") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "TinyQ compiler: model to object file\n");
  MLIRContext targetContext;
  targetContext.loadDialect<tinyq::TinyQDialect>();
  auto resolved = tinyq::resolveTarget(&targetContext, target, mcpu, mfloatAbi);
  if (!resolved)
    return fail(llvm::toString(resolved.takeError()));
  auto machine = tinyq::createTargetMachine(*resolved);
  if (!machine)
    return fail(llvm::toString(machine.takeError()));
  bool lowers = emit != Emit::Mlir && emit != Emit::Calibrated;
  if (unpackedWeightsLimit < 0)
    return fail("--unpacked-weights-limit must not be negative");
  if (skipZeroActivations && lowers && !tinyq::hasDspExtension(*resolved))
    return fail("--skip-zero-activations needs an Arm core with the DSP "
                "extension (cortex-m4, m7, m33, m55, m85), not '" +
                resolved->getCpu() + "'");

  if (!tinyq::isValidModelName(functionName))
    return fail("--name '" + functionName + "' is not a C identifier");
  auto quantization = quantizationFlags.getOptions();
  if (!quantization)
    return fail(llvm::toString(quantization.takeError()));
  if (!headerPath.empty() && (emit == Emit::Mlir || emit == Emit::Calibrated))
    return fail("--header goes with --emit=obj or --emit=llvm");
  quantization->log = &llvm::errs();
  if (emit == Emit::Calibrated && !quantization->isEnabled())
    return fail("--emit=calibrated needs --calibration");
  if ((sensitivity || exhaustiveSensitivity) && emit != Emit::Calibrated)
    return fail("--sensitivity and --exhaustive-sensitivity go with "
                "--emit=calibrated");
  quantization->stopAfterCalibration = emit == Emit::Calibrated;
  tinyq::Array calibrationData;
  if (quantization->isEnabled())
    if (std::string error =
            tinyq::readArray(quantization->calibrationPath, calibrationData);
        !error.empty())
      return fail(error);

  DialectRegistry registry;
  mlir::registerAllDialects(registry);
  registerAllExtensions(registry);
  tinyq::registerAllDialects(registry);
  MLIRContext context(registry);
  // Errors name the model location; a dump of the op helps no user.
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr diagnosticSources;
  SourceMgrDiagnosticHandler diagnostics(diagnosticSources, &context);

  tinyq::ModelLoadOptions loadOptions;
  loadOptions.batchSize = batchSize;
  auto loaded = tinyq::loadModel(context, modelPath, loadOptions);
  if (!loaded)
    return fail(llvm::toString(loaded.takeError()));
  OwningOpRef<ModuleOp> module = std::move(*loaded);
  if (!module->lookupSymbol<func::FuncOp>("main"))
    return fail("the model has no function 'main'");
  if (llvm::Error error =
          tinyq::quantizeModel(*module, "main", calibrationData, *quantization))
    return fail(llvm::toString(std::move(error)));

  if (sensitivity) {
    tinyq::SensitivityOptions options = quantization->getSensitivityOptions();
    auto report = tinyq::analyzeSensitivity(*module, calibrationData,
                                            quantization->calibration, options);
    if (!report)
      return fail("sensitivity: " + llvm::toString(report.takeError()));
    printSensitivity(*module, *report);
  }
  if (exhaustiveSensitivity) {
    tinyq::SensitivityOptions options = quantization->getSensitivityOptions();
    auto report = tinyq::analyzeSingleLayerSensitivity(
        *module, calibrationData, quantization->calibration, options);
    if (!report)
      return fail("single-layer sensitivity: " +
                  llvm::toString(report.takeError()));
    printSingleLayerSensitivity(*module, *report);
  }

  std::string error;
  auto output = openOutputFile(outputPath, &error);
  if (!output)
    return fail(error);
  if (emit == Emit::Mlir || emit == Emit::Calibrated) {
    module->print(output->os());
    output->keep();
    return 0;
  }

  auto interface = tinyq::createEntryPoints(*module, "main", functionName);
  if (!interface)
    return fail(llvm::toString(interface.takeError()));
  tinyq::stripFrontendAttributes(*module);
  tinyq::attachTarget(*module,
                      tinyq::TargetAttr::get(
                          &context, resolved->getCpu(), resolved->getTriple(),
                          resolved->getFeatures(), resolved->getFloatAbi()));
  PassManager pm(&context);
  tinyq::TosaToLLVMOptions lowering;
  lowering.arena = true;
  lowering.skipZeroActivations = skipZeroActivations;
  lowering.unpackedWeightsLimit = unpackedWeightsLimit;
  lowering.printArenaPlan = printArenaPlan;
  tinyq::buildTosaToLLVMPipeline(pm, lowering);
  if (failed(pm.run(*module)))
    return 1;
  if (llvm::Error error = tinyq::readArenaSize(*module, *interface))
    return fail(llvm::toString(std::move(error)));

  registerBuiltinDialectTranslation(context);
  registerLLVMDialectTranslation(context);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext);
  if (!llvmModule)
    return fail("translation to LLVM IR failed");

  llvmModule->setDataLayout((*machine)->createDataLayout());
  llvmModule->setTargetTriple((*machine)->getTargetTriple());
  if (llvm::Error err = makeOptimizingTransformer(
          /*optLevel=*/3, /*sizeLevel=*/0, machine->get())(llvmModule.get()))
    return fail(llvm::toString(std::move(err)));

  tinyq::readLibraryCalls(*llvmModule, *interface);
  if (!headerPath.empty()) {
    auto header = openOutputFile(headerPath, &error);
    if (!header)
      return fail(error);
    tinyq::writeHeader(header->os(), *interface, modelPath);
    header->keep();
  }

  if (emit == Emit::Llvm) {
    llvmModule->print(output->os(), nullptr);
    output->keep();
    return 0;
  }
  llvm::legacy::PassManager codegen;
  if ((*machine)->addPassesToEmitFile(codegen, output->os(), nullptr,
                                      llvm::CodeGenFileType::ObjectFile))
    return fail("the target cannot emit object files");
  codegen.run(*llvmModule);
  output->keep();
  return 0;
}
