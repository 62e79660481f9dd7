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
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
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
    lowering.useArena = true;
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
      for (int64_t s = 0; s < n; ++s) {
        int64_t best = 0;
        for (int64_t c = 1; c < classes; ++c)
          if (readElement(outputs[0].kind, batchOut[0].data(),
                          s * classes + c) > readElement(outputs[0].kind,
                                                         batchOut[0].data(),
                                                         s * classes + best))
            best = c;
        correct += best == labelValues[first + s];
      }
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
