//===- tinyq-run.cpp - Run a model on the host ----------------------------===//
//
// The command line of tinyq/Compiler/Runner.h: imports a model, compiles it
// with TinyQ's pipelines, JIT-runs it over data and reports outputs or
// accuracy:
//
//   tinyq-run MODEL --input X.npy [--input X2.npy ...] --output Y.npy
//   tinyq-run MODEL --data IMAGES --labels LABELS [--input-scale S]
//
// With --reference an integer model is evaluated by the numerics library's
// reference kernels instead of being compiled.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Compiler/Compiler.h"
#include "tinyq/Compiler/Quantization.h"
#include "tinyq/Compiler/Runner.h"
#include "tinyq/Conversion/OnnxToTosa/OnnxToTosa.h"
#include "tinyq/Tools/DebugOptions.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace tinyq;
namespace cl = llvm::cl;

static cl::OptionCategory category("tinyq-run options");
static cl::opt<std::string>
    modelPath(cl::Positional, cl::desc("<model.onnx|.onnxtxt|.tflite|.mlir>"),
              cl::cat(category));
static cl::list<std::string>
    inputPaths("input",
               cl::desc("A .npy file for the next graph input, in order; its "
                        "first axis is the batch"),
               cl::cat(category));
static cl::list<std::string>
    outputPaths("output",
                cl::desc("A .npy file to write the next graph output to (all "
                         "samples; also with --data)"),
                cl::cat(category));
static cl::opt<std::string>
    dataPath("data",
             cl::desc("Evaluation inputs: .npy or IDX (MNIST format, "
                      "gzipped or not), first axis = samples"),
             cl::cat(category));
static cl::opt<std::string>
    labelsPath("labels",
               cl::desc("Integer labels (.npy or IDX), one per "
                        "sample of --data"),
               cl::cat(category));
static cl::opt<int64_t>
    batchSize("batch-size",
              cl::desc("Samples per model invocation (default 64; 1 for a "
                       "model quantized with --calibration, as tinyq-compile "
                       "ships it)"),
              cl::init(64), cl::cat(category));
static cl::opt<bool> unbatched(
    "unbatched",
    cl::desc("Each --input file is a whole graph input (no batch axis); the "
             "model runs once"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> listOnnxOperators(
    "list-onnx-operators",
    cl::desc("Print the supported ONNX operators with their first opset and "
             "exit"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> useReference(
    "reference",
    cl::desc("Evaluate an integer model (as tinyq-fuse-qdq leaves it) with "
             "the numerics library's reference kernels instead of compiling "
             "it: the results compiled code must match bit for bit"),
    cl::init(false), cl::cat(category));
static QuantizationFlags quantizationFlags(category);
static cl::opt<int64_t> limit("limit", cl::desc("Use only the first N samples"),
                              cl::init(0), cl::cat(category));
static cl::opt<bool> sweep(
    "sweep",
    cl::desc("With --weights auto and --data: compare the two-inference "
             "precision choice with its baselines (single-layer exhaustive, "
             "random orders, uniform int8/int4) at budgets 0.5 to 1.0 in "
             "steps of 1/8, measuring each assignment's accuracy, and print "
             "the tables as Markdown"),
    cl::init(false), cl::cat(category));
static cl::opt<std::string> reportPath(
    "report",
    cl::desc("With --weights auto and --data: run the sweep of --sweep and "
             "write it as one self-contained HTML page to FILE"),
    cl::value_desc("FILE"), cl::cat(category));
static cl::opt<unsigned> randomOrders(
    "sweep-random-orders",
    cl::desc("Random orders per budget in --sweep/--report (default 5; "
             "their median is reported)"),
    cl::init(5), cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "tinyq-run") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  tinyq::registerDebugOptions(&category);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "TinyQ model runner: JIT-runs a model on the host.\n\n"
      "  tinyq-run MODEL --input X.npy [--input X2.npy ...] --output Y.npy\n"
      "  tinyq-run MODEL --data IMAGES --labels LABELS [--input-scale S]\n");

  if (listOnnxOperators) {
    for (const auto &[name, since] : getSupportedOnnxOperators())
      llvm::outs() << name << " " << since << "\n";
    return 0;
  }
  auto quantization = quantizationFlags.getOptions();
  if (!quantization)
    return fail(llvm::toString(quantization.takeError()));
  RunOptions options;
  options.modelPath = modelPath;
  options.inputPaths.assign(inputPaths.begin(), inputPaths.end());
  options.outputPaths.assign(outputPaths.begin(), outputPaths.end());
  options.dataPath = dataPath;
  options.labelsPath = labelsPath;
  options.batchSize = batchSize;
  options.batchSizeGiven = batchSize.getNumOccurrences() > 0;
  options.unbatched = unbatched;
  options.useReference = useReference;
  options.quantization = std::move(*quantization);
  options.limit = limit;
  options.sweep = sweep;
  options.reportPath = reportPath;
  options.randomOrders = randomOrders;
  options.randomOrdersGiven = randomOrders.getNumOccurrences() > 0;

  std::unique_ptr<MLIRContext> context = createCompilerContext();
  context->disableMultithreading();
  llvm::SourceMgr diagnosticSources;
  SourceMgrDiagnosticHandler diagnostics(diagnosticSources, context.get());
  if (llvm::Error error = runModel(*context, options))
    return fail(llvm::toString(std::move(error)));
  return 0;
}
