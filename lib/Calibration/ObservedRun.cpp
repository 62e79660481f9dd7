//===- ObservedRun.cpp - A model run that returns its observed tensors ----===//

#include "ObservedRun.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Support/Progress.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cstring>

using namespace mlir;
using namespace tinyq;

llvm::Expected<std::unique_ptr<ObservedRun>>
ObservedRun::create(OwningOpRef<ModuleOp> copy, StringRef entry,
                    const Array &samples, const CalibrationOptions &options) {
  std::unique_ptr<ObservedRun> run(new ObservedRun());
  PassManager expose(copy->getContext());
  expose.addNestedPass<func::FuncOp>(createTinyQExposeObservers());
  if (failed(expose.run(*copy)))
    return makeCalibrationError("exposing calibration points failed");
  auto copyFunc = copy->lookupSymbol<func::FuncOp>(entry);
  for (unsigned index = 0; index < copyFunc.getNumResults(); ++index)
    if (auto id = copyFunc.getResultAttrOfType<IntegerAttr>(index,
                                                            "tinyq.observe_id"))
      run->observedResults.emplace_back(index, id.getInt());

  auto compiled = JitModel::compile(*copy, entry);
  if (!compiled)
    return compiled.takeError();
  run->model = std::move(*compiled);
  const TensorSignature &input = run->model->getInputs().front();
  if (!isFloatKind(input.kind))
    return makeCalibrationError(
        "calibration needs a float input; the model's input '" + input.name +
        "' is an integer tensor");
  run->batch = input.shape.empty() ? 1 : input.shape.front();
  int64_t sampleElements = input.getNumElements() / run->batch;
  if (samples.shape.empty() || samples.shape.front() < 1 ||
      samples.getNumElements() % samples.shape.front() != 0 ||
      samples.getNumElements() / samples.shape.front() != sampleElements)
    return makeCalibrationError(llvm::formatv(
        "calibration data must hold samples of {0} elements along its first "
        "dimension, the size of input '{1}'",
        sampleElements, input.name));
  run->count = samples.shape.front();
  if (options.maxSamples > 0)
    run->count = std::min(run->count, options.maxSamples);
  run->data = samples.convertTo(input.kind, options.inputScale);
  run->sampleBytes = input.getNumBytes() / size_t(run->batch);
  run->showProgress = options.showProgress;
  return run;
}

llvm::Error ObservedRun::runBatch(int64_t first, Visitor visit) {
  const auto &outputs = model->getOutputs();
  if (outputBuffers.empty()) {
    for (const TensorSignature &sig : outputs)
      outputBuffers.emplace_back(sig.getNumBytes());
    inputBuffer.resize(model->getInputs().front().getNumBytes());
  }
  std::vector<void *> outputPointers;
  for (std::vector<uint8_t> &buffer : outputBuffers)
    outputPointers.push_back(buffer.data());
  int64_t used = std::min(batch, count - first);
  std::fill(inputBuffer.begin(), inputBuffer.end(), 0);
  std::memcpy(inputBuffer.data(), data.bytes.data() + first * sampleBytes,
              used * sampleBytes);
  const void *inputPointer = inputBuffer.data();
  if (llvm::Error error = model->run(inputPointer, outputPointers))
    return error;
  samplesRun += used;
  for (auto [point, observed] : llvm::enumerate(observedResults)) {
    const TensorSignature &sig = outputs[observed.first];
    const uint8_t *values = outputBuffers[observed.first].data();
    int64_t elements = sig.getNumElements();
    if (batch > 1 && !sig.shape.empty() && sig.shape.front() == batch) {
      int64_t perSample = elements / batch;
      for (int64_t s = 0; s < used; ++s)
        visit(point, sig, values, s * perSample, perSample);
    } else {
      visit(point, sig, values, 0, elements);
    }
  }
  return llvm::Error::success();
}

llvm::Error ObservedRun::run(StringRef label, Visitor visit) {
  ProgressBar progress(label.str(), count);
  for (int64_t first = 0; first < count; first += batch) {
    if (llvm::Error error = runBatch(first, visit))
      return error;
    if (showProgress)
      progress.update(std::min(first + batch, count));
  }
  return llvm::Error::success();
}
