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
  if (layers.empty() || !layers.front()->hasAttr(tinyq::kSensitivityAttrName))
    return;
  FailureOr<std::vector<double>> scores =
      tinyq::getSensitivityScores(layers, /*lowBits=*/4);
  if (failed(scores))
    return;
  llvm::errs() << llvm::format(
      "spearman (two-inference score vs single-layer SQNR): %.3f\n",
      tinyq::numerics::spearmanCorrelation(*scores, singleLayer));
}

namespace {
/// What --target selects: the host, or a Cortex-M core.
struct CodeTarget {
  std::string name, triple, cpu;
  bool hardFloat = false;

  bool isHost() const { return name == "host"; }
};

constexpr llvm::StringLiteral kCodeTargetNames =
    "host, cortex-m0plus, cortex-m3, cortex-m4, cortex-m7, cortex-m33, "
    "cortex-m55 or cortex-m85";

std::optional<CodeTarget> lookupCodeTarget(StringRef name) {
  // Triple, CPU and the FPU the hard-float ABI uses (none: soft float).
  static const struct {
    const char *name, *triple, *cpu;
    bool fpu;
  } kTargets[] = {
      {"cortex-m0plus", "thumbv6m-none-eabi", "cortex-m0plus", false},
      {"cortex-m3", "thumbv7m-none-eabi", "cortex-m3", false},
      {"cortex-m4", "thumbv7em-none-eabihf", "cortex-m4", true},
      {"cortex-m7", "thumbv7em-none-eabihf", "cortex-m7", true},
      {"cortex-m33", "thumbv8m.main-none-eabihf", "cortex-m33", true},
      {"cortex-m55", "thumbv8.1m.main-none-eabihf", "cortex-m55", true},
      {"cortex-m85", "thumbv8.1m.main-none-eabihf", "cortex-m85", true},
  };
  if (name == "host")
    return CodeTarget{"host", llvm::sys::getDefaultTargetTriple(),
                      llvm::sys::getHostCPUName().str(), false};
  for (const auto &entry : kTargets)
    if (name == entry.name)
      return CodeTarget{entry.name, entry.triple, entry.cpu, entry.fpu};
  return std::nullopt;
}
} // namespace

/// The code generator for \p target, or null with \p error set.
static std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const CodeTarget &target, std::string &error) {
  llvm::Triple triple(target.triple);
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget)
    return nullptr;
  llvm::TargetOptions options;
  if (!target.isHost())
    options.FloatABIType =
        target.hardFloat ? llvm::FloatABI::Hard : llvm::FloatABI::Soft;
  // Bare-metal code is linked at fixed addresses; host objects may go into
  // shared libraries.
  std::unique_ptr<llvm::TargetMachine> machine(llvmTarget->createTargetMachine(
      triple, target.cpu, /*Features=*/"", options,
      target.isHost() ? llvm::Reloc::PIC_ : llvm::Reloc::Static, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    error = "cannot create a code generator for '" + triple.str() + "'";
  return machine;
}

/// Sets LLVM's command-line option \p name to \p value unless the user
/// gave it on the command line.
static void setDefaultBackendOption(llvm::StringRef name,
                                    llvm::StringRef value) {
  auto &options = cl::getRegisteredOptions();
  auto option = options.find(name);
  if (option != options.end() && option->second->getNumOccurrences() == 0)
    option->second->addOccurrence(/*pos=*/0, option->first, value);
}

/// Has LLVM expand memcpy and memset on Helium cores into tail-predicated
/// vector loops (16 bytes per `vldrb` / `vstrb`) rather than call the C
/// library's word loops, which its default keeps for most sizes (the M55
/// depthwise layer's padding fill and output copy: 10 K instructions
/// before, 3 K after). A user's own `-arm-memtransfer-tploop` stands.
static void preferVectorMemoryTransfers() {
  setDefaultBackendOption("arm-memtransfer-tploop", "force-enabled");
}

/// Schedules the dual-issue Cortex-M7 for latency rather than register
/// pressure: by default LLVM's machine scheduler keeps the kernels' loads
/// next to the `smlad` that uses them, a stall per pair on the M7 (the
/// KWS pointwise loop: 31-36 estimated cycles per 16 `smlad`, 25-32
/// after; the model from 4.03 M to 3.51 M estimated cycles, bottom-up).
/// The single-issue M4 is not changed: without the pressure limit its
/// kernels spill (14% more instructions). A user's own options stand.
static void scheduleForDualIssue() {
  setDefaultBackendOption("misched-regpressure", "false");
  setDefaultBackendOption("misched-prera-direction", "bottomup");
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
  std::optional<CodeTarget> codeTarget = lookupCodeTarget(target);
  if (!codeTarget)
    return fail("unknown --target '" + target + "' (expected " +
                kCodeTargetNames + ")");
  if (!mcpu.empty())
    codeTarget->cpu = mcpu;
  if (!mfloatAbi.empty()) {
    if (mfloatAbi != "soft" && mfloatAbi != "hard")
      return fail("--mfloat-abi must be soft or hard, not '" + mfloatAbi + "'");
    if (codeTarget->isHost())
      return fail("--mfloat-abi applies to the Cortex-M targets");
    codeTarget->hardFloat = mfloatAbi == "hard";
  }
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();
  std::string error;
  std::unique_ptr<llvm::TargetMachine> machine =
      createTargetMachine(*codeTarget, error);
  if (!machine)
    return fail(error);
  // The Arm kernels where the CPU has the DSP extension, with Helium (MVE)
  // dot products where it also has those.
  const llvm::Triple &triple = machine->getTargetTriple();
  bool hasArmDsp = (triple.isARM() || triple.isThumb()) &&
                   machine->getMCSubtargetInfo()->checkFeatures("+dsp");
  bool lowers = emit != Emit::Mlir && emit != Emit::Calibrated;
  if (unpackedWeightsLimit < 0)
    return fail("--unpacked-weights-limit must not be negative");
  if (skipZeroActivations && lowers && !hasArmDsp)
    return fail("--skip-zero-activations needs an Arm core with the DSP "
                "extension (cortex-m4, m7, m33, m55, m85), not '" +
                machine->getTargetCPU().str() + "'");

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
  PassManager pm(&context);
  tinyq::TosaToLLVMOptions lowering;
  lowering.useArena = true;
  lowering.armDsp = hasArmDsp;
  lowering.armMve =
      lowering.armDsp && machine->getMCSubtargetInfo()->checkFeatures("+mve");
  if (lowering.armMve)
    preferVectorMemoryTransfers();
  if (codeTarget->cpu == "cortex-m7")
    scheduleForDualIssue();
  lowering.armSkipZeroActivations = skipZeroActivations;
  lowering.armUnpackedWeightsLimit = unpackedWeightsLimit;
  lowering.printArenaPlan = printArenaPlan;
  // Index arithmetic (loop counters, addresses) as wide as the target's
  // pointers: on 32-bit cores, not in pairs of registers.
  context.getOrLoadDialect<DLTIDialect>();
  auto indexWidth = DataLayoutEntryAttr::get(
      IndexType::get(&context),
      IntegerAttr::get(IntegerType::get(&context, 64),
                       machine->createDataLayout().getPointerSizeInBits()));
  (*module)->setAttr(DLTIDialect::kDataLayoutAttrName,
                     DataLayoutSpecAttr::get(&context, {indexWidth}));
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

  llvmModule->setDataLayout(machine->createDataLayout());
  llvmModule->setTargetTriple(triple);
  if (llvm::Error err = makeOptimizingTransformer(
          /*optLevel=*/3, /*sizeLevel=*/0, machine.get())(llvmModule.get()))
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
  if (machine->addPassesToEmitFile(codegen, output->os(), nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return fail("the target cannot emit object files");
  codegen.run(*llvmModule);
  output->keep();
  return 0;
}
