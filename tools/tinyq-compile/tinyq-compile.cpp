//===- tinyq-compile.cpp - Model to object file ---------------------------===//
//
// The command line of the compiler's stage sequence (tinyq/Compiler):
//
//   tinyq-compile MODEL [--target T] [--emit=KIND] [-o OUT] [--header H]
//                 [--name NAME] [--calibration DATA [--weights ...] ...]
//
// The object defines NAME_run(inputs..., outputs..., arena) and, for a
// quantized model, NAME_run_float; the header declares them (see
// ModelInterface.h).
//
//===----------------------------------------------------------------------===//

#include "tinyq/Compiler/Compiler.h"
#include "tinyq/Compiler/Quantization.h"
#include "tinyq/Tools/DebugOptions.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

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
static cl::opt<tinyq::EmitKind> emit(
    "emit", cl::desc("What to write (default obj)"),
    cl::init(tinyq::EmitKind::Object),
    cl::values(
        clEnumValN(tinyq::EmitKind::Calibrated, "calibrated",
                   "the float TOSA model with the calibrated range of every "
                   "observed tensor, before quantization (needs "
                   "--calibration)"),
        clEnumValN(tinyq::EmitKind::Mlir, "mlir",
                   "the model in MLIR before lowering: float TOSA, or the "
                   "integer model with --calibration; with the target "
                   "attached (#tinyq.target)"),
        clEnumValN(tinyq::EmitKind::EntryPoints, "entry-points",
                   "the module the lowering receives: the C entry points "
                   "made (tinyq-opt --tinyq-tosa-to-llvm=arena=true replays "
                   "the lowering on it)"),
        clEnumValN(tinyq::EmitKind::LLVMDialect, "llvm-dialect",
                   "the lowered module in MLIR's LLVM dialect"),
        clEnumValN(tinyq::EmitKind::LLVMIR, "llvm", "LLVM IR"),
        clEnumValN(tinyq::EmitKind::Object, "obj",
                   "an object file for the target")),
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
           cl::desc("Target: host (default: this machine's CPU, or the "
                    "#tinyq.target an .mlir model carries); cortex-m0plus, "
                    "cortex-m3, cortex-m4, cortex-m7, cortex-m33, cortex-m55 "
                    "or cortex-m85 (Thumb objects for arm-none-eabi "
                    "toolchains; hard-float ABI where the core has an FPU); "
                    "x86_64 (CPU x86-64-v3) or aarch64 (CPU cortex-a53), "
                    "Linux ELF objects"),
           cl::init("host"), cl::cat(category));
static cl::opt<std::string>
    mcpu("mcpu",
         cl::desc("Override the target's CPU: an LLVM CPU name (e.g. "
                  "cortex-m7, x86-64-v4, icelake-server, znver5, neoverse-n1) "
                  "or native (this machine's, for a target of its "
                  "architecture)"),
         cl::cat(category));
static cl::opt<std::string>
    mattr("mattr",
          cl::desc("LLVM features to add (+name) or remove (-name), "
                   "comma-separated, e.g. -avx512f or +dotprod"),
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

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "tinyq-compile") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  tinyq::registerDebugOptions(&category);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "TinyQ compiler: model to object file\n");
  auto quantization = quantizationFlags.getOptions();
  if (!quantization)
    return fail(llvm::toString(quantization.takeError()));
  tinyq::CompileOptions options;
  options.modelPath = modelPath;
  options.outputPath = outputPath;
  options.headerPath = headerPath;
  options.emit = emit;
  options.name = functionName;
  options.batchSize = batchSize;
  if (target.getNumOccurrences())
    options.target = target;
  options.cpu = mcpu;
  options.floatAbi = mfloatAbi;
  options.features = mattr;
  options.quantization = std::move(*quantization);
  options.sensitivity = sensitivity;
  options.exhaustiveSensitivity = exhaustiveSensitivity;
  options.skipZeroActivations = skipZeroActivations;
  options.unpackedWeightsLimit = unpackedWeightsLimit;
  options.printArenaPlan = printArenaPlan;

  std::unique_ptr<MLIRContext> context = tinyq::createCompilerContext();
  llvm::SourceMgr diagnosticSources;
  SourceMgrDiagnosticHandler diagnostics(diagnosticSources, context.get());
  if (llvm::Error error = tinyq::compileModel(*context, options))
    return fail(llvm::toString(std::move(error)));
  return 0;
}
