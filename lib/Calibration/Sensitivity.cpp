//===- Sensitivity.cpp - Local quantization errors in two inferences ------===//

#include "tinyq/Calibration/Sensitivity.h"
#include "ObservedRun.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Dialect/TinyQ/Transforms/QuantChoice.h"
#include "tinyq/Dialect/TinyQ/Utils/Indexing.h"
#include "tinyq/Numerics/Metrics.h"
#include "tinyq/Numerics/QuantParams.h"
#include "tinyq/Support/Progress.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/DenseSet.h"

#include <cmath>
#include <limits>
#include <map>

using namespace mlir;
using namespace tinyq;

namespace {
/// What SPARQ would find in a calibration point on the 8-bit grid, one
/// row of its innermost axis at a time (SPARQ's pairs for a fully connected
/// layer and a convolution over an even channel count): values that
/// quantize to the zero point, pairs (0, 1), (2, 3), ... holding one (an
/// odd row's last element pairs with a virtual zero), and, with a SPARQ
/// configuration, the error of the values after numerics::applySparq.
struct SparsityStatistics {
  int64_t values = 0, zeros = 0, pairs = 0, pairsWithZero = 0;
  numerics::ErrorAccumulator sparqErrors;
  /// The current row: the float values and their 8-bit codes.
  std::vector<float> rowValues;
  std::vector<int32_t> rowCodes;

  void add(float value, int32_t code, int64_t rowLength,
           numerics::QuantParams grid,
           const std::optional<numerics::SparqConfig> &sparq) {
    rowValues.push_back(value);
    rowCodes.push_back(code);
    if (int64_t(rowCodes.size()) == rowLength)
      finishRow(grid, sparq);
  }

private:
  void finishRow(numerics::QuantParams grid,
                 const std::optional<numerics::SparqConfig> &sparq) {
    size_t length = rowCodes.size();
    auto isZero = [&](size_t i) {
      return i >= length || rowCodes[i] == grid.zeroPoint;
    };
    for (size_t i = 0; i < length; i += 2) {
      zeros += isZero(i) + (i + 1 < length && isZero(i + 1));
      ++pairs;
      pairsWithZero += isZero(i) || isZero(i + 1);
    }
    values += int64_t(length);
    if (sparq) {
      std::vector<uint8_t> magnitudes;
      for (int32_t code : rowCodes)
        magnitudes.push_back(numerics::sparqMagnitude(code, grid.zeroPoint));
      numerics::applySparq({magnitudes.data(), magnitudes.size()}, *sparq);
      for (size_t i = 0; i < length; ++i)
        sparqErrors.add(rowValues[i], double(grid.scale) * magnitudes[i]);
    }
    rowValues.clear();
    rowCodes.clear();
  }
};

/// A layer with weights and the calibration point of its output.
struct AnalyzedLayer {
  Operation *op;
  QuantizableWeights weights;
  int64_t outputId;
  /// The calibration point of its input, if it reads one.
  std::optional<int64_t> inputId;
};
} // namespace

/// The calibration point of \p layer's output: its result through a bias
/// addition, reshapes and an activation.
static ObserveOp findOutputObserver(Operation *layer) {
  Value value = layer->getResult(0);
  while (Operation *user = getSingleUser(value)) {
    if (auto observe = dyn_cast<ObserveOp>(user))
      return observe;
    if (!isa<tosa::ClampOp, tosa::AddOp, tosa::ReshapeOp>(user))
      return {};
    value = user->getResult(0);
  }
  return {};
}

/// SQNR and MSE of \p weights quantized at \p bits.
static numerics::ErrorAccumulator
measureWeights(const QuantizableWeights &weights, unsigned bits) {
  quant::QuantizedType type = getWeightType(weights, bits);
  DenseElementsAttr quantized = quantizeWeights(weights, type);
  SmallVector<double> scales;
  std::optional<int64_t> axis;
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
    axis = perAxis.getQuantizedDimension();
  } else {
    scales.push_back(cast<quant::UniformQuantizedType>(type).getScale());
  }
  AxisIndexer channelOf(weights.values.getType().getShape(), axis);
  numerics::ErrorAccumulator statistics;
  auto reals = weights.values.getValues<float>();
  for (auto [index, q] : llvm::enumerate(quantized.getValues<APInt>()))
    statistics.add(reals[index],
                   double(q.getSExtValue()) * float(scales[channelOf(index)]));
  return statistics;
}

/// A copy of \p module, first adjusted by \p prepare, simulated with
/// \p weightBits weights (layers' own tinyq.precision override it), with
/// calibration points re-inserted after the activation quantizations that
/// replaced them (same walk order, ids \p pointIds).
static llvm::Expected<OwningOpRef<ModuleOp>>
simulateWithObservers(ModuleOp module, StringRef entry, unsigned weightBits,
                      const SensitivityOptions &options,
                      ArrayRef<int64_t> pointIds,
                      function_ref<void(ModuleOp)> prepare) {
  MLIRContext *context = module.getContext();
  OwningOpRef<ModuleOp> copy = module.clone();
  prepare(*copy);
  PassManager simulate(context);
  TinyQSimulateQuantizationOptions simulation;
  simulation.weightBits = weightBits;
  simulation.activationBits = options.activationBits;
  simulation.perTensor = options.perTensor;
  simulate.addNestedPass<func::FuncOp>(
      createTinyQSimulateQuantization(simulation));
  if (failed(simulate.run(*copy)))
    return makeCalibrationError("simulating quantization failed");
  SmallVector<FakeQuantOp> activationQuantizations;
  copy->lookupSymbol<func::FuncOp>(entry).walk([&](FakeQuantOp op) {
    if (!matchPattern(op.getInput(), m_Constant()))
      activationQuantizations.push_back(op);
  });
  if (activationQuantizations.size() != pointIds.size())
    return makeCalibrationError("the simulated model's activation "
                                "quantizations do not match the calibration "
                                "points");
  OpBuilder builder(context);
  for (auto [op, id] : llvm::zip(activationQuantizations, pointIds)) {
    builder.setInsertionPointAfter(op);
    auto observe =
        ObserveOp::create(builder, op.getLoc(), op.getType(), op,
                          builder.getI64IntegerAttr(id), RangeAttr());
    op.getResult().replaceAllUsesExcept(observe.getResult(), observe);
  }
  return std::move(copy);
}

llvm::Expected<SensitivityReport>
tinyq::analyzeSensitivity(ModuleOp module, const Array &samples,
                          const CalibrationOptions &calibration,
                          const SensitivityOptions &options, StringRef entry) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return makeCalibrationError("the model has no function '" + entry + "'");
  if (options.weightBits.empty())
    return makeCalibrationError("no candidate weight width");
  unsigned lowBits =
      *std::min_element(options.weightBits.begin(), options.weightBits.end());
  MLIRContext *context = module.getContext();

  // Calibration points in walk order, with their activation grids.
  SmallVector<int64_t> pointIds;
  std::map<int64_t, numerics::QuantParams> grids, byteGrids;
  // Points whose range starts at 0, which SPARQ can read.
  llvm::SmallDenseSet<int64_t> nonNegativePoints;
  numerics::IntegerRange byteRange = numerics::signedRange(8);
  numerics::IntegerRange activationRange =
      numerics::signedRange(options.activationBits);
  WalkResult walk = func.walk([&](ObserveOp observe) {
    RangeAttr range = observe.getRangeAttr();
    if (!range) {
      observe.emitError("calibration point without a range: calibrate first");
      return WalkResult::interrupt();
    }
    pointIds.push_back(int64_t(observe.getId()));
    grids[int64_t(observe.getId())] = numerics::chooseAsymmetricParams(
        float(range.getMin().convertToDouble()),
        float(range.getMax().convertToDouble()), activationRange);
    byteGrids[int64_t(observe.getId())] = numerics::chooseAsymmetricParams(
        float(range.getMin().convertToDouble()),
        float(range.getMax().convertToDouble()), byteRange);
    if (range.getMin().convertToDouble() >= 0)
      nonNegativePoints.insert(int64_t(observe.getId()));
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return makeCalibrationError("the model is not calibrated");

  SmallVector<AnalyzedLayer> layers;
  func.walk([&](Operation *op) {
    std::optional<QuantizableWeights> weights =
        getQuantizableWeights(op, options.perTensor);
    if (!weights)
      return;
    ObserveOp output = findOutputObserver(op);
    if (!output)
      return;
    layers.push_back({op, *weights, int64_t(output.getId()), std::nullopt});
    if (ObserveOp input = findInputObserver(op))
      layers.back().inputId = int64_t(input.getId());
  });
  // Sparsity statistics for the layers' inputs, with SPARQ's error where
  // it can read them.
  std::map<int64_t, SparsityStatistics> sparsity;
  for (const AnalyzedLayer &layer : layers)
    if (layer.inputId)
      sparsity[*layer.inputId];

  // Inference 1: the float model. Inference 2: every layer at the low
  // candidate.
  auto lowCopy = simulateWithObservers(module, entry, lowBits, options,
                                       pointIds, [](ModuleOp) {});
  if (!lowCopy)
    return lowCopy.takeError();

  auto floatRun =
      ObservedRun::create(module.clone(), entry, samples, calibration);
  if (!floatRun)
    return floatRun.takeError();
  auto lowRun =
      ObservedRun::create(std::move(*lowCopy), entry, samples, calibration);
  if (!lowRun)
    return lowRun.takeError();

  std::map<int64_t, numerics::ErrorAccumulator> lowErrors, gridErrors;
  std::map<int64_t, std::vector<float>> floatValues;
  int64_t count = (*floatRun)->getSampleCount(),
          batch = (*floatRun)->getBatch();
  ProgressBar progress("sensitivity (2 inferences)", count);
  for (int64_t first = 0; first < count; first += batch) {
    for (auto &[id, values] : floatValues)
      values.clear();
    if (llvm::Error error = (*floatRun)->runBatch(
            first, [&](size_t point, const TensorSignature &sig,
                       const uint8_t *data, int64_t begin, int64_t size) {
              int64_t id = (*floatRun)->getPointId(point);
              std::vector<float> &values = floatValues[id];
              numerics::QuantParams grid = grids[id], byteGrid = byteGrids[id];
              auto statistics = sparsity.find(id);
              std::optional<numerics::SparqConfig> sparq;
              if (nonNegativePoints.contains(id))
                sparq = options.sparq;
              int64_t rowLength = sig.shape.empty() ? 1 : sig.shape.back();
              for (int64_t i = begin; i < begin + size; ++i) {
                float x = float(readObservedValue(sig, data, i));
                values.push_back(x);
                gridErrors[id].add(
                    x, numerics::fakeQuantize(x, grid, activationRange));
                if (statistics != sparsity.end())
                  statistics->second.add(
                      x, numerics::quantize(x, byteGrid, byteRange), rowLength,
                      byteGrid, sparq);
              }
            }))
      return std::move(error);
    std::map<int64_t, size_t> positions;
    if (llvm::Error error = (*lowRun)->runBatch(
            first, [&](size_t point, const TensorSignature &sig,
                       const uint8_t *data, int64_t begin, int64_t size) {
              int64_t id = (*lowRun)->getPointId(point);
              const std::vector<float> &reference = floatValues[id];
              size_t &position = positions[id];
              for (int64_t i = begin;
                   i < begin + size && position < reference.size(); ++i)
                lowErrors[id].add(reference[position++],
                                  readObservedValue(sig, data, i));
            }))
      return std::move(error);
    if (calibration.showProgress)
      progress.update(std::min(first + batch, count));
  }

  auto granularity =
      options.perTensor ? Granularity::PerTensor : Granularity::PerChannel;
  for (const AnalyzedLayer &layer : layers) {
    SmallVector<CandidateAttr> candidates;
    for (unsigned bits : options.weightBits) {
      numerics::ErrorAccumulator weights = measureWeights(layer.weights, bits);
      const numerics::ErrorAccumulator &activations =
          bits == lowBits ? lowErrors[layer.outputId]
                          : gridErrors[layer.outputId];
      candidates.push_back(CandidateAttr::get(
          context,
          PrecisionAttr::get(context, bits, options.activationBits, granularity,
                             SparqAttr()),
          APFloat(weights.getSqnrDecibels()), APFloat(weights.getMse()),
          APFloat(activations.getSqnrDecibels()),
          APFloat(activations.getMse())));
    }
    layer.op->setAttr(SensitivityAttr::kAttrName,
                      SensitivityAttr::get(context, candidates));
    // The layer's own loss: its input's SQNR minus its output's, both in
    // the all-low run.
    std::optional<int64_t> inputId = layer.inputId;
    if (!inputId)
      continue;
    auto f64 = Float64Type::get(context);
    layer.op->setAttr(
        kSqnrDropAttrName,
        FloatAttr::get(f64, lowErrors[*inputId].getSqnrDecibels() -
                                lowErrors[layer.outputId].getSqnrDecibels()));
    // What SPARQ would exploit in the layer's input.
    const SparsityStatistics &zeros = sparsity[*inputId];
    layer.op->setAttr(
        kInputZeroFractionAttrName,
        FloatAttr::get(f64, double(zeros.zeros) /
                                double(std::max<int64_t>(zeros.values, 1))));
    layer.op->setAttr(
        kInputPairZeroFractionAttrName,
        FloatAttr::get(f64, double(zeros.pairsWithZero) /
                                double(std::max<int64_t>(zeros.pairs, 1))));
    if (options.sparq && nonNegativePoints.contains(*inputId))
      layer.op->setAttr(
          kInputSparqSqnrAttrName,
          FloatAttr::get(f64, zeros.sparqErrors.getSqnrDecibels()));
  }
  // Whole passes over the samples, counted from what the models ran.
  int64_t samplesRun =
      (*floatRun)->getSamplesRun() + (*lowRun)->getSamplesRun();
  return SensitivityReport{unsigned(layers.size()),
                           unsigned(samplesRun / std::max<int64_t>(count, 1))};
}

llvm::Expected<SensitivityReport>
tinyq::analyzeSingleLayerSensitivity(ModuleOp module, const Array &samples,
                                     const CalibrationOptions &calibration,
                                     const SensitivityOptions &options,
                                     StringRef entry) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return makeCalibrationError("the model has no function '" + entry + "'");
  if (options.weightBits.empty())
    return makeCalibrationError("no candidate weight width");
  auto [lowIt, highIt] =
      std::minmax_element(options.weightBits.begin(), options.weightBits.end());
  unsigned lowBits = *lowIt, highBits = *highIt;
  SmallVector<int64_t> pointIds;
  func.walk(
      [&](ObserveOp observe) { pointIds.push_back(int64_t(observe.getId())); });
  if (pointIds.empty())
    return makeCalibrationError("the model has no calibration point");
  int64_t outputId = pointIds.back();
  SmallVector<Operation *> layers;
  func.walk([&](Operation *op) {
    if (getQuantizableWeights(op, options.perTensor))
      layers.push_back(op);
  });

  // The float model's output over all samples.
  auto floatRun =
      ObservedRun::create(module.clone(), entry, samples, calibration);
  if (!floatRun)
    return floatRun.takeError();
  std::vector<float> reference;
  auto collect = [&](ObservedRun &run, auto visit) {
    return run.run("single-layer sensitivity",
                   [&](size_t point, const TensorSignature &sig,
                       const uint8_t *data, int64_t begin, int64_t size) {
                     if (run.getPointId(point) != outputId)
                       return;
                     for (int64_t i = begin; i < begin + size; ++i)
                       visit(float(readObservedValue(sig, data, i)));
                   });
  };
  if (llvm::Error error =
          collect(**floatRun, [&](float value) { reference.push_back(value); }))
    return std::move(error);
  int64_t samplesRun = (*floatRun)->getSamplesRun();

  MLIRContext *context = module.getContext();
  auto granularity =
      options.perTensor ? Granularity::PerTensor : Granularity::PerChannel;
  for (size_t index = 0; index < layers.size(); ++index) {
    Operation *layer = layers[index];
    auto copy = simulateWithObservers(
        module, entry, highBits, options, pointIds, [&](ModuleOp clone) {
          size_t position = 0;
          clone.lookupSymbol<func::FuncOp>(entry).walk([&](Operation *op) {
            if (!getQuantizableWeights(op, options.perTensor))
              return;
            if (position++ == index)
              op->setAttr(PrecisionAttr::kAttrName,
                          PrecisionAttr::get(context, lowBits,
                                             options.activationBits,
                                             granularity, SparqAttr()));
          });
        });
    if (!copy)
      return copy.takeError();
    auto run =
        ObservedRun::create(std::move(*copy), entry, samples, calibration);
    if (!run)
      return run.takeError();
    numerics::ErrorAccumulator statistics;
    size_t position = 0;
    if (llvm::Error error = collect(**run, [&](float value) {
          if (position < reference.size())
            statistics.add(reference[position++], value);
        }))
      return std::move(error);
    samplesRun += (*run)->getSamplesRun();
    layer->setAttr(kSingleLayerSqnrAttrName,
                   FloatAttr::get(Float64Type::get(context),
                                  statistics.getSqnrDecibels()));
  }
  int64_t count = std::max<int64_t>((*floatRun)->getSampleCount(), 1);
  return SensitivityReport{unsigned(layers.size()),
                           unsigned(samplesRun / count)};
}
