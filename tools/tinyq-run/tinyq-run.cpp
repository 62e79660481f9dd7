//===- tinyq-run.cpp - Run a model on the host ----------------------------===//
//
// Imports a model, compiles it with TinyQ's pipelines, JIT-runs it over data
// and reports outputs or accuracy:
//
//   tinyq-run MODEL --input X.npy [--input X2.npy ...] --output Y.npy
//   tinyq-run MODEL --data IMAGES --labels LABELS [--input-scale S]
//
// With --reference an integer model is evaluated by the numerics library's
// reference kernels instead of being compiled.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Conversion/OnnxToTosa/OnnxToTosa.h"
#include "tinyq/Driver/Driver.h"
#include "tinyq/Driver/ModelInterface.h"
#include "tinyq/Driver/PrecisionSweep.h"
#include "tinyq/Execution/JitModel.h"
#include "tinyq/Execution/ReferenceModel.h"
#include "tinyq/Import/ONNX.h"
#include "tinyq/Import/TFLite.h"
#include "tinyq/InitAllDialects.h"
#include "tinyq/InitAllPasses.h"
#include "tinyq/Pipelines/Pipelines.h"
#include "tinyq/Support/Datasets.h"
#include "tinyq/Support/Progress.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstring>

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

namespace {
double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}
} // namespace

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "tinyq-run") << message << "\n";
  return 1;
}

/// The class with the largest score in sample \p sample of \p output.
static int64_t argmaxClass(const TensorSignature &output, const uint8_t *data,
                           int64_t sample, int64_t classes) {
  int64_t best = 0;
  for (int64_t c = 1; c < classes; ++c)
    if (readElement(output.kind, data, sample * classes + c) >
        readElement(output.kind, data, sample * classes + best))
      best = c;
  return best;
}

/// The fraction of the first \p samples of \p data that the one-sample
/// classifier \p model labels as \p labels do. \p converted holds the data
/// in the input's element type, converted on first use and kept: every
/// model of a sweep takes the same input.
static llvm::Expected<double> measureAccuracy(Model &model, const Array &data,
                                              ArrayRef<int64_t> labels,
                                              double inputScale,
                                              int64_t samples,
                                              std::optional<Array> &converted) {
  if (model.getInputs().size() != 1 || model.getOutputs().size() != 1)
    return llvm::createStringError(
        "accuracy needs a model with one input and one output");
  const TensorSignature &input = model.getInputs()[0],
                        &output = model.getOutputs()[0];
  if (!converted || converted->kind != input.kind)
    converted = data.convertTo(input.kind, inputScale);
  size_t sampleBytes = input.getNumBytes();
  if (converted->bytes.size() < size_t(samples) * sampleBytes)
    return llvm::createStringError("the data holds fewer samples than asked");
  std::vector<uint8_t> result(output.getNumBytes());
  int64_t correct = 0;
  for (int64_t sample = 0; sample < samples; ++sample) {
    const void *in[] = {converted->bytes.data() + sample * sampleBytes};
    void *out[] = {result.data()};
    if (llvm::Error error = model.run(in, out))
      return std::move(error);
    correct += argmaxClass(output, result.data(), 0, output.getNumElements()) ==
               labels[sample];
  }
  return double(correct) / double(std::max<int64_t>(samples, 1));
}

/// --sweep / --report: the precision sweep of a calibrated \p module.
static int runSweep(ModuleOp module, const Array &calibrationData,
                    const QuantizationOptions &options, const Array &data,
                    ArrayRef<int64_t> labels, int64_t samples) {
  std::optional<Array> converted;
  auto measure = [&](ModuleOp integerModel) -> llvm::Expected<double> {
    auto interface = createEntryPoints(integerModel, "main", "model");
    if (!interface)
      return interface.takeError();
    TosaToLLVMOptions lowering;
    lowering.arena = true;
    auto jit = JitModel::compile(integerModel, interface->getRunFloatSymbol(),
                                 lowering);
    if (!jit)
      return jit.takeError();
    return measureAccuracy(**jit, data, labels, options.calibration.inputScale,
                           samples, converted);
  };
  SweepOptions sweepOptions;
  sweepOptions.randomOrders = randomOrders;
  auto result = sweepPrecisions(module, "main", calibrationData, options,
                                sweepOptions, measure, llvm::errs());
  if (!result)
    return fail(llvm::toString(result.takeError()));
  StringRef model = llvm::sys::path::stem(modelPath);
  if (sweep)
    printSweepMarkdown(*result, model, llvm::outs());
  if (!reportPath.empty()) {
    std::error_code error;
    llvm::raw_fd_ostream os(reportPath, error, llvm::sys::fs::OF_Text);
    if (error)
      return fail("cannot write '" + reportPath + "': " + error.message());
    writeSweepReport(*result, model, os);
    llvm::errs() << "tinyq-run: wrote " << reportPath << "\n";
  }
  return 0;
}

/// Samples in \p array and the elements of one sample.
static bool splitSamples(const Array &array, int64_t perSample,
                         int64_t &samples, const std::string &what) {
  int64_t count = array.getNumElements();
  if (array.shape.empty() || perSample == 0 || count % perSample != 0 ||
      count / perSample != array.shape[0]) {
    llvm::errs() << "tinyq-run: " << what << " holds " << count
                 << " elements in "
                 << (array.shape.empty() ? 0 : array.shape[0])
                 << " samples, but the model takes " << perSample
                 << " per sample\n";
    return false;
  }
  samples = array.shape[0];
  return true;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
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
  if (modelPath.empty())
    return fail("no model given");
  bool evaluate = !dataPath.empty();
  if (evaluate && unbatched)
    return fail("--unbatched applies to --input files, not to --data");
  if (evaluate == (!inputPaths.empty() || unbatched))
    return fail("give either --input files or --data with --labels");
  if (evaluate && labelsPath.empty())
    return fail("--data needs --labels");
  auto quantization = quantizationFlags.getOptions();
  if (!quantization)
    return fail(llvm::toString(quantization.takeError()));
  bool quantize = quantization->isEnabled();
  quantization->log = &llvm::errs();
  if (quantize && batchSize.getNumOccurrences())
    return fail("--batch-size does not apply with --calibration: the "
                "quantized model runs one sample at a time, as "
                "tinyq-compile ships it");
  bool sweeping = sweep || !reportPath.empty();
  if (sweeping && (!quantization->automaticWeights || !evaluate ||
                   useReference || !outputPaths.empty()))
    return fail("--sweep and --report need --weights auto and --data with "
                "--labels (and no --reference or --output)");
  if (!sweeping && randomOrders.getNumOccurrences())
    return fail("--sweep-random-orders goes with --sweep or --report");
  double inputScale = quantization->calibration.inputScale;
  if (batchSize < 1)
    return fail("--batch-size must be at least 1");

  // Read all data first: a bad file should fail before a long compile.
  std::vector<Array> arrays;
  for (const std::string &path :
       evaluate
           ? std::vector<std::string>{dataPath}
           : std::vector<std::string>(inputPaths.begin(), inputPaths.end())) {
    Array array;
    if (std::string error = readArray(path, array); !error.empty())
      return fail(error);
    arrays.push_back(std::move(array));
  }
  Array labels;
  if (evaluate)
    if (std::string error = readArray(labelsPath, labels); !error.empty())
      return fail(error);

  int64_t samples = unbatched ? 1
                              : (arrays.empty() || arrays[0].shape.empty()
                                     ? 0
                                     : arrays[0].shape[0]);
  if (limit > 0)
    samples = std::min<int64_t>(samples, limit);
  int64_t batch =
      quantize ? 1
               : std::max<int64_t>(1, std::min<int64_t>(batchSize, samples));
  Array calibrationData;
  if (quantize)
    if (std::string error =
            readArray(quantization->calibrationPath, calibrationData);
        !error.empty())
      return fail(error);

  DialectRegistry registry;
  mlir::registerAllDialects(registry);
  registerAllExtensions(registry);
  tinyq::registerAllDialects(registry);
  MLIRContext context(registry);
  // Errors name the model location; a dump of the op helps no user.
  context.printOpOnDiagnostic(false);
  context.disableMultithreading();
  llvm::SourceMgr diagnosticSources;
  SourceMgrDiagnosticHandler diagnostics(diagnosticSources, &context);

  auto start = std::chrono::steady_clock::now();
  ModelLoadOptions loadOptions;
  loadOptions.batchSize = batch;
  // The reference evaluator reads an integer model's quant casts, which the
  // import pipeline would lower; an integer model in MLIR is read as is.
  loadOptions.lowerQuantCasts = !(useReference && !quantize);
  loadOptions.importToTosa =
      !(useReference && StringRef(modelPath).ends_with(".mlir"));
  auto loaded = loadModel(context, modelPath, loadOptions);
  if (!loaded)
    return fail(llvm::toString(loaded.takeError()));
  OwningOpRef<ModuleOp> module = std::move(*loaded);
  if (sweeping) {
    std::vector<int64_t> labelValues = labels.toIntegers();
    if (int64_t(labelValues.size()) < samples)
      return fail("'" + labelsPath + "' has " +
                  llvm::Twine(labelValues.size()) + " labels for " +
                  llvm::Twine(samples) + " samples");
    if (llvm::Error error =
            calibrateModel(*module, "main", calibrationData, *quantization))
      return fail(llvm::toString(std::move(error)));
    return runSweep(*module, calibrationData, *quantization, arrays[0],
                    labelValues, samples);
  }
  if (llvm::Error error =
          quantizeModel(*module, "main", calibrationData, *quantization))
    return fail(llvm::toString(std::move(error)));
  double importSeconds = secondsSince(start);
  start = std::chrono::steady_clock::now();
  std::unique_ptr<Model> compiled;
  if (useReference) {
    auto evaluator = ReferenceModel::create(*module);
    if (!evaluator)
      return fail(llvm::toString(evaluator.takeError()));
    compiled = std::move(*evaluator);
  } else {
    // Exactly what tinyq-compile ships: its entry points (the float wrapper
    // of a model quantized here), every buffer in an arena.
    auto interface = createEntryPoints(*module, "main", "model");
    if (!interface)
      return fail(llvm::toString(interface.takeError()));
    TosaToLLVMOptions lowering;
    lowering.arena = true;
    // A pre-quantized model runs on its own integer signature.
    bool useFloatWrapper =
        interface->hasFloatWrapper && !interface->hasQuantizedSignature;
    auto jit =
        JitModel::compile(*module,
                          useFloatWrapper ? interface->getRunFloatSymbol()
                                          : interface->getRunSymbol(),
                          lowering);
    if (!jit)
      return fail(llvm::toString(jit.takeError()));
    compiled = std::move(*jit);
  }
  Model &model = *compiled;
  double compileSeconds = secondsSince(start);

  const auto &inputs = model.getInputs();
  const auto &outputs = model.getOutputs();
  if (arrays.size() != inputs.size())
    return fail("the model has " + llvm::Twine(inputs.size()) + " inputs but " +
                llvm::Twine(arrays.size()) + " were given");
  if (!outputPaths.empty() && outputPaths.size() != outputs.size())
    return fail("the model has " + llvm::Twine(outputs.size()) +
                " outputs but " + llvm::Twine(outputPaths.size()) +
                " --output files were given");
  // ONNX models take the requested batch; TFLite files fix their own.
  if (!unbatched && !inputs.empty() && !inputs[0].shape.empty())
    batch = inputs[0].shape[0];
  for (const TensorSignature &sig : inputs)
    if (!unbatched && (sig.shape.empty() || sig.shape[0] != batch))
      return fail("input '" + sig.name + "' has no batch dimension of size " +
                  llvm::Twine(batch));

  // Inputs in the model's element types; integer data going to a float
  // input is scaled by --input-scale.
  std::vector<Array> inputData;
  std::vector<size_t> sampleBytes;
  for (auto [index, sig] : llvm::enumerate(inputs)) {
    const std::string &file = evaluate ? dataPath : inputPaths[index];
    if (unbatched) {
      if (arrays[index].getNumElements() != sig.getNumElements())
        return fail("'" + file + "' holds " +
                    llvm::Twine(arrays[index].getNumElements()) +
                    " elements but input '" + sig.name + "' takes " +
                    llvm::Twine(sig.getNumElements()));
      sampleBytes.push_back(sig.getNumBytes());
    } else {
      int64_t count;
      if (!splitSamples(arrays[index], sig.getNumElements() / batch, count,
                        file))
        return 1;
      if (count < samples)
        return fail("input files hold different numbers of samples");
      sampleBytes.push_back(sig.getNumBytes() / batch);
    }
    inputData.push_back(arrays[index].convertTo(sig.kind, inputScale));
  }
  std::vector<int64_t> labelValues;
  if (evaluate) {
    labelValues = labels.toIntegers();
    if (int64_t(labelValues.size()) < samples)
      return fail("'" + labelsPath + "' has " +
                  llvm::Twine(labelValues.size()) + " labels for " +
                  llvm::Twine(samples) + " samples");
  }

  std::vector<std::vector<uint8_t>> batchIn(inputs.size()),
      batchOut(outputs.size());
  for (size_t i = 0; i < inputs.size(); ++i)
    batchIn[i].resize(inputs[i].getNumBytes());
  for (size_t i = 0; i < outputs.size(); ++i)
    batchOut[i].resize(outputs[i].getNumBytes());
  std::vector<Array> collected(outputs.size());
  for (size_t o = 0; o < outputs.size(); ++o) {
    collected[o].kind = outputs[o].kind;
    collected[o].shape = outputs[o].shape;
    if (!unbatched)
      collected[o].shape[0] = samples;
  }

  ProgressBar progress("evaluating", samples);
  int64_t correct = 0;
  start = std::chrono::steady_clock::now();
  for (int64_t first = 0; first < samples; first += batch) {
    int64_t n = std::min(batch, samples - first);
    for (size_t i = 0; i < inputs.size(); ++i) {
      std::fill(batchIn[i].begin(), batchIn[i].end(), 0);
      std::memcpy(batchIn[i].data(),
                  inputData[i].bytes.data() + first * sampleBytes[i],
                  n * sampleBytes[i]);
    }
    SmallVector<const void *> in;
    SmallVector<void *> out;
    for (auto &v : batchIn)
      in.push_back(v.data());
    for (auto &v : batchOut)
      out.push_back(v.data());
    if (llvm::Error error = model.run(in, out))
      return fail(llvm::toString(std::move(error)));
    for (size_t o = 0; o < outputs.size(); ++o) {
      size_t bytes = outputs[o].getNumBytes() / (unbatched ? 1 : batch);
      collected[o].bytes.insert(collected[o].bytes.end(), batchOut[o].begin(),
                                batchOut[o].begin() + n * bytes);
    }
    if (evaluate) {
      int64_t classes = outputs[0].getNumElements() / batch;
      for (int64_t s = 0; s < n; ++s)
        correct += argmaxClass(outputs[0], batchOut[0].data(), s, classes) ==
                   labelValues[first + s];
    }
    progress.update(first + n);
  }
  double runSeconds = secondsSince(start);

  if (evaluate)
    llvm::outs() << llvm::format("accuracy: %.4f (%lld/%lld)\n",
                                 double(correct) / double(samples),
                                 (long long)correct, (long long)samples);
  for (size_t o = 0; o < outputPaths.size(); ++o)
    if (std::string error = writeNpy(outputPaths[o], collected[o]);
        !error.empty())
      return fail(error);
  llvm::errs() << llvm::format("tinyq-run: import (and quantize) %.2f s, "
                               "compile %.2f s, run %.2f s (%lld "
                               "samples, batch %lld)\n",
                               importSeconds, compileSeconds, runSeconds,
                               (long long)samples, (long long)batch);
  return 0;
}
