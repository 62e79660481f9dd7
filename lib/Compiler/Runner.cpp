//===- Runner.cpp - Run a model on the host -------------------------------===//

#include "tinyq/Compiler/Runner.h"
#include "tinyq/Compiler/Compiler.h"
#include "tinyq/Compiler/ModelInterface.h"
#include "tinyq/Compiler/PrecisionSweep.h"
#include "tinyq/Execution/JitModel.h"
#include "tinyq/Execution/ReferenceModel.h"
#include "tinyq/Pipelines/Pipelines.h"
#include "tinyq/Support/Datasets.h"
#include "tinyq/Support/Progress.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"

#include <chrono>
#include <cstring>
#include <optional>

using namespace mlir;
using namespace tinyq;

namespace {
double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}
} // namespace

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
static llvm::Error runSweep(ModuleOp module, const Array &calibrationData,
                            const QuantizationOptions &quantization,
                            const RunOptions &options, const Array &data,
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
    return measureAccuracy(**jit, data, labels,
                           quantization.calibration.inputScale, samples,
                           converted);
  };
  SweepOptions sweepOptions;
  sweepOptions.randomOrders = options.randomOrders;
  auto result = sweepPrecisions(module, "main", calibrationData, quantization,
                                sweepOptions, measure, *options.log);
  if (!result)
    return result.takeError();
  StringRef model = llvm::sys::path::stem(options.modelPath);
  if (options.sweep)
    printSweepMarkdown(*result, model, *options.out);
  if (!options.reportPath.empty()) {
    std::error_code error;
    llvm::raw_fd_ostream os(options.reportPath, error, llvm::sys::fs::OF_Text);
    if (error)
      return llvm::createStringError("cannot write '" + options.reportPath +
                                     "': " + error.message());
    writeSweepReport(*result, model, os);
    *options.log << "tinyq-run: wrote " << options.reportPath << "\n";
  }
  return llvm::Error::success();
}

/// The samples in \p array (read from \p what) of \p perSample elements
/// each.
static llvm::Expected<int64_t>
splitSamples(const Array &array, int64_t perSample, const std::string &what) {
  int64_t count = array.getNumElements();
  if (array.shape.empty() || perSample == 0 || count % perSample != 0 ||
      count / perSample != array.shape[0])
    return llvm::createStringError(
        what + " holds " + llvm::Twine(count) + " elements in " +
        llvm::Twine(array.shape.empty() ? 0 : array.shape[0]) +
        " samples, but the model takes " + llvm::Twine(perSample) +
        " per sample");
  return array.shape[0];
}

llvm::Error tinyq::runModel(MLIRContext &context, const RunOptions &options) {
  if (options.modelPath.empty())
    return llvm::createStringError("no model given");
  bool evaluate = !options.dataPath.empty();
  if (evaluate && options.unbatched)
    return llvm::createStringError(
        "--unbatched applies to --input files, not to --data");
  if (evaluate == (!options.inputPaths.empty() || options.unbatched))
    return llvm::createStringError(
        "give either --input files or --data with --labels");
  if (evaluate && options.labelsPath.empty())
    return llvm::createStringError("--data needs --labels");
  std::optional<QuantizationOptions> quantization = options.quantization;
  bool quantize = quantization->isEnabled();
  quantization->log = options.log;
  if (quantize && options.batchSizeGiven)
    return llvm::createStringError(
        "--batch-size does not apply with --calibration: the "
        "quantized model runs one sample at a time, as "
        "tinyq-compile ships it");
  bool sweeping = options.sweep || !options.reportPath.empty();
  if (sweeping && (!quantization->automaticWeights || !evaluate ||
                   options.useReference || !options.outputPaths.empty()))
    return llvm::createStringError(
        "--sweep and --report need --weights auto and --data with "
        "--labels (and no --reference or --output)");
  if (!sweeping && options.randomOrdersGiven)
    return llvm::createStringError(
        "--sweep-random-orders goes with --sweep or --report");
  double inputScale = quantization->calibration.inputScale;
  if (options.batchSize < 1)
    return llvm::createStringError("--batch-size must be at least 1");

  // Read all data first: a bad file should fail before a long compile.
  std::vector<Array> arrays;
  for (const std::string &path :
       evaluate ? std::vector<std::string>{options.dataPath}
                : std::vector<std::string>(options.inputPaths.begin(),
                                           options.inputPaths.end())) {
    Array array;
    if (std::string error = readArray(path, array); !error.empty())
      return llvm::createStringError(error);
    arrays.push_back(std::move(array));
  }
  Array labels;
  if (evaluate)
    if (std::string error = readArray(options.labelsPath, labels);
        !error.empty())
      return llvm::createStringError(error);

  int64_t samples =
      options.unbatched
          ? 1
          : (arrays.empty() || arrays[0].shape.empty() ? 0
                                                       : arrays[0].shape[0]);
  if (options.limit > 0)
    samples = std::min<int64_t>(samples, options.limit);
  int64_t batch =
      quantize
          ? 1
          : std::max<int64_t>(1, std::min<int64_t>(options.batchSize, samples));
  Array calibrationData;
  if (quantize)
    if (std::string error =
            readArray(quantization->calibrationPath, calibrationData);
        !error.empty())
      return llvm::createStringError(error);

  auto start = std::chrono::steady_clock::now();
  ModelLoadOptions loadOptions;
  loadOptions.batchSize = batch;
  // The reference evaluator reads an integer model's quant casts, which the
  // import pipeline would lower; an integer model in MLIR is read as is.
  loadOptions.lowerQuantCasts = !(options.useReference && !quantize);
  loadOptions.importToTosa = !(options.useReference &&
                               StringRef(options.modelPath).ends_with(".mlir"));
  auto loaded = loadModel(context, options.modelPath, loadOptions);
  if (!loaded)
    return llvm::createStringError(llvm::toString(loaded.takeError()));
  OwningOpRef<ModuleOp> module = std::move(*loaded);
  if (sweeping) {
    std::vector<int64_t> labelValues = labels.toIntegers();
    if (int64_t(labelValues.size()) < samples)
      return llvm::createStringError("'" + options.labelsPath + "' has " +
                                     llvm::Twine(labelValues.size()) +
                                     " labels for " + llvm::Twine(samples) +
                                     " samples");
    if (llvm::Error error =
            calibrateModel(*module, "main", calibrationData, *quantization))
      return llvm::createStringError(llvm::toString(std::move(error)));
    return runSweep(*module, calibrationData, *quantization, options, arrays[0],
                    labelValues, samples);
  }
  if (llvm::Error error =
          quantizeModel(*module, "main", calibrationData, *quantization))
    return llvm::createStringError(llvm::toString(std::move(error)));
  double importSeconds = secondsSince(start);
  start = std::chrono::steady_clock::now();
  std::unique_ptr<Model> compiled;
  if (options.useReference) {
    auto evaluator = ReferenceModel::create(*module);
    if (!evaluator)
      return llvm::createStringError(llvm::toString(evaluator.takeError()));
    compiled = std::move(*evaluator);
  } else {
    // Exactly what tinyq-compile ships: its entry points (the float wrapper
    // of a model quantized here), every buffer in an arena.
    auto interface = createEntryPoints(*module, "main", "model");
    if (!interface)
      return llvm::createStringError(llvm::toString(interface.takeError()));
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
      return llvm::createStringError(llvm::toString(jit.takeError()));
    compiled = std::move(*jit);
  }
  Model &model = *compiled;
  double compileSeconds = secondsSince(start);

  const auto &inputs = model.getInputs();
  const auto &outputs = model.getOutputs();
  if (arrays.size() != inputs.size())
    return llvm::createStringError("the model has " +
                                   llvm::Twine(inputs.size()) + " inputs but " +
                                   llvm::Twine(arrays.size()) + " were given");
  if (!options.outputPaths.empty() &&
      options.outputPaths.size() != outputs.size())
    return llvm::createStringError(
        "the model has " + llvm::Twine(outputs.size()) + " outputs but " +
        llvm::Twine(options.outputPaths.size()) + " --output files were given");
  // ONNX models take the requested batch; TFLite files fix their own.
  if (!options.unbatched && !inputs.empty() && !inputs[0].shape.empty())
    batch = inputs[0].shape[0];
  for (const TensorSignature &sig : inputs)
    if (!options.unbatched && (sig.shape.empty() || sig.shape[0] != batch))
      return llvm::createStringError("input '" + sig.name +
                                     "' has no batch dimension of size " +
                                     llvm::Twine(batch));

  // Inputs in the model's element types; integer data going to a float
  // input is scaled by --input-scale.
  std::vector<Array> inputData;
  std::vector<size_t> sampleBytes;
  for (auto [index, sig] : llvm::enumerate(inputs)) {
    const std::string &file =
        evaluate ? options.dataPath : options.inputPaths[index];
    if (options.unbatched) {
      if (arrays[index].getNumElements() != sig.getNumElements())
        return llvm::createStringError(
            "'" + file + "' holds " +
            llvm::Twine(arrays[index].getNumElements()) +
            " elements but input '" + sig.name + "' takes " +
            llvm::Twine(sig.getNumElements()));
      sampleBytes.push_back(sig.getNumBytes());
    } else {
      auto count =
          splitSamples(arrays[index], sig.getNumElements() / batch, file);
      if (!count)
        return count.takeError();
      if (*count < samples)
        return llvm::createStringError(
            "input files hold different numbers of samples");
      sampleBytes.push_back(sig.getNumBytes() / batch);
    }
    inputData.push_back(arrays[index].convertTo(sig.kind, inputScale));
  }
  std::vector<int64_t> labelValues;
  if (evaluate) {
    labelValues = labels.toIntegers();
    if (int64_t(labelValues.size()) < samples)
      return llvm::createStringError("'" + options.labelsPath + "' has " +
                                     llvm::Twine(labelValues.size()) +
                                     " labels for " + llvm::Twine(samples) +
                                     " samples");
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
    if (!options.unbatched)
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
      return llvm::createStringError(llvm::toString(std::move(error)));
    for (size_t o = 0; o < outputs.size(); ++o) {
      size_t bytes = outputs[o].getNumBytes() / (options.unbatched ? 1 : batch);
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
    *options.out << llvm::format("accuracy: %.4f (%lld/%lld)\n",
                                 double(correct) / double(samples),
                                 (long long)correct, (long long)samples);
  for (size_t o = 0; o < options.outputPaths.size(); ++o)
    if (std::string error = writeNpy(options.outputPaths[o], collected[o]);
        !error.empty())
      return llvm::createStringError(error);
  *options.log << llvm::format("tinyq-run: import (and quantize) %.2f s, "
                               "compile %.2f s, run %.2f s (%lld "
                               "samples, batch %lld)\n",
                               importSeconds, compileSeconds, runSeconds,
                               (long long)samples, (long long)batch);
  return llvm::Error::success();
}
