//===- Calibration.cpp - Ranges of float tensors from sample data ---------===//

#include "tinyq/Calibration/Calibration.h"
#include "ObservedRun.h"
#include "tinyq/Calibration/RangeSearch.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Execution/JitModel.h"
#include "tinyq/Support/Progress.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace tinyq;

std::optional<RangeMethod> tinyq::parseRangeMethod(StringRef name) {
  return llvm::StringSwitch<std::optional<RangeMethod>>(name)
      .Case("minmax", RangeMethod::MinMax)
      .Case("meanmax", RangeMethod::MeanMinMax)
      .Case("percentile", RangeMethod::Percentile)
      .Case("mse", RangeMethod::LpSearch)
      .Case("kl", RangeMethod::KlDivergence)
      .Default(std::nullopt);
}

/// Bins of the histograms behind the distribution-based methods; TensorRT
/// uses as many.
static constexpr int kHistogramBins = 2048;

namespace {
/// Running statistics of one observed tensor.
struct TensorStatistics {
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  double sumOfMins = 0, sumOfMaxes = 0;
  int64_t count = 0;
  bool finite = true;

  void addSample(const TensorSignature &sig, const uint8_t *data, int64_t first,
                 int64_t size) {
    double sampleMin = std::numeric_limits<double>::infinity();
    double sampleMax = -sampleMin;
    for (int64_t i = first; i < first + size; ++i) {
      double value = sig.kind == ElementKind::Float32
                         ? double(reinterpret_cast<const float *>(data)[i])
                         : readElement(sig.kind, data, i);
      sampleMin = std::min(sampleMin, value);
      sampleMax = std::max(sampleMax, value);
    }
    finite &= std::isfinite(sampleMin) && std::isfinite(sampleMax);
    min = std::min(min, sampleMin);
    max = std::max(max, sampleMax);
    sumOfMins += sampleMin;
    sumOfMaxes += sampleMax;
    ++count;
  }

  /// The histogram the second pass of \p method fills, if it needs one.
  std::optional<Histogram> makeHistogram(RangeMethod method) const {
    if (method == RangeMethod::KlDivergence)
      return Histogram(0, std::max(-min, max), kHistogramBins);
    if (method == RangeMethod::Percentile || method == RangeMethod::LpSearch)
      return Histogram(min, max, kHistogramBins);
    return std::nullopt;
  }

  std::pair<double, double>
  getRange(const CalibrationOptions &options,
           const std::optional<Histogram> &histogram) const {
    switch (options.method) {
    case RangeMethod::MinMax:
      return {min, max};
    case RangeMethod::MeanMinMax:
      return {sumOfMins / double(count), sumOfMaxes / double(count)};
    case RangeMethod::Percentile:
      return findPercentileRange(*histogram, options.percentile);
    case RangeMethod::LpSearch:
      return findLpRange(*histogram, options.bits, options.norm);
    case RangeMethod::KlDivergence: {
      int levels = 1 << (min < 0 ? options.bits - 1 : options.bits);
      double threshold = findKlThreshold(*histogram, levels);
      return {std::max(min, -threshold), std::min(max, threshold)};
    }
    }
    llvm_unreachable("unknown range method");
  }
};
} // namespace

/// Checks what calibration needs of \p module and \p options.
static llvm::Error checkCalibrationRequest(ModuleOp module, StringRef entry,
                                           const CalibrationOptions &options) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return makeCalibrationError("the model has no function '" + entry + "'");
  if (func.getNumArguments() != 1)
    return makeCalibrationError(llvm::formatv(
        "calibration supports models with one input; '{0}' has {1}", entry,
        func.getNumArguments()));
  if (!(options.percentile > 50 && options.percentile <= 100))
    return makeCalibrationError(llvm::formatv(
        "the percentile must be in (50, 100], not {0}", options.percentile));
  if (!(options.norm > 0 && std::isfinite(options.norm)))
    return makeCalibrationError(llvm::formatv(
        "the error norm must be a positive number, not {0}", options.norm));
  if (options.bits < 2 || options.bits > 16)
    return makeCalibrationError(llvm::formatv(
        "activation bit widths from 2 to 16 are supported, not {0}",
        options.bits));
  return llvm::Error::success();
}

llvm::Error tinyq::calibrate(ModuleOp module, const Array &samples,
                             const CalibrationOptions &options,
                             StringRef entry) {
  if (llvm::Error error = checkCalibrationRequest(module, entry, options))
    return error;
  MLIRContext *context = module.getContext();
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  PassManager insert(context);
  insert.addNestedPass<func::FuncOp>(createTinyQInsertObservers());
  if (failed(insert.run(module)))
    return makeCalibrationError("inserting calibration points failed");

  auto created = ObservedRun::create(module.clone(), entry, samples, options);
  if (!created)
    return created.takeError();
  ObservedRun &run = **created;
  int64_t count = run.getSampleCount();
  auto runSamples = [&](StringRef label, auto visit) {
    return run.run(label, visit);
  };
  std::vector<TensorStatistics> statistics(run.getNumPoints());
  if (llvm::Error error =
          runSamples("calibrating",
                     [&](size_t point, const TensorSignature &sig,
                         const uint8_t *values, int64_t first, int64_t size) {
                       statistics[point].addSample(sig, values, first, size);
                     }))
    return error;
  for (auto [point, stats] : llvm::enumerate(statistics))
    if (!stats.finite)
      return makeCalibrationError(
          llvm::formatv("calibration point {0} saw a non-finite value",
                        run.getPointId(point)));

  // Distribution-based methods need a second pass, now that the extremes
  // are known.
  std::vector<std::optional<Histogram>> histograms;
  for (const TensorStatistics &stats : statistics)
    histograms.push_back(stats.makeHistogram(options.method));
  bool absolute = options.method == RangeMethod::KlDivergence;
  if (llvm::any_of(histograms, [](const auto &h) { return h.has_value(); }))
    if (llvm::Error error =
            runSamples("histograms",
                       [&](size_t point, const TensorSignature &sig,
                           const uint8_t *values, int64_t first, int64_t size) {
                         Histogram &histogram = *histograms[point];
                         for (int64_t i = first; i < first + size; ++i) {
                           double value = readObservedValue(sig, values, i);
                           histogram.add(absolute ? std::fabs(value) : value);
                         }
                       }))
      return error;

  llvm::DenseMap<int64_t, size_t> pointById;
  for (size_t point = 0; point < run.getNumPoints(); ++point)
    pointById[run.getPointId(point)] = point;
  func.walk([&](ObserveOp op) {
    auto it = pointById.find(static_cast<int64_t>(op.getId()));
    if (it == pointById.end())
      return;
    auto [min, max] =
        statistics[it->second].getRange(options, histograms[it->second]);
    op.setRangeAttr(RangeAttr::get(context, llvm::APFloat(min),
                                   llvm::APFloat(max), uint64_t(count)));
  });
  return llvm::Error::success();
}

/// Ids of the layer outputs bias correction observes, above any
/// calibration point's.
static constexpr int64_t kLayerIdBase = int64_t(1) << 40;

/// The conv2d and depthwise_conv2d ops of \p func with a constant float
/// bias, in walk order.
static SmallVector<Operation *> getCorrectableLayers(func::FuncOp func) {
  SmallVector<Operation *> layers;
  func.walk([&](Operation *op) {
    DenseFPElementsAttr bias;
    if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp>(op) &&
        matchPattern(op->getOperand(2), m_Constant(&bias)) &&
        bias.getElementType().isF32())
      layers.push_back(op);
  });
  return layers;
}

/// The per-channel (last dimension) means of every correctable layer's
/// output in \p copy over the samples.
static llvm::Expected<std::vector<std::vector<double>>>
measureLayerMeans(OwningOpRef<ModuleOp> copy, StringRef entry,
                  const Array &samples, const CalibrationOptions &options,
                  StringRef label) {
  auto func = copy->lookupSymbol<func::FuncOp>(entry);
  OpBuilder builder(copy->getContext());
  SmallVector<Operation *> layers = getCorrectableLayers(func);
  for (auto [index, layer] : llvm::enumerate(layers)) {
    Value result = layer->getResult(0);
    builder.setInsertionPointAfter(layer);
    auto observer = ObserveOp::create(
        builder, layer->getLoc(), result.getType(), result,
        builder.getI64IntegerAttr(kLayerIdBase + int64_t(index)), RangeAttr());
    result.replaceAllUsesExcept(observer.getResult(), observer);
  }
  auto created = ObservedRun::create(std::move(copy), entry, samples, options);
  if (!created)
    return created.takeError();
  ObservedRun &run = **created;
  std::vector<std::vector<double>> sums(layers.size());
  std::vector<int64_t> counts(layers.size(), 0);
  std::vector<int> layerOfPoint(run.getNumPoints(), -1);
  for (size_t point = 0; point < run.getNumPoints(); ++point)
    if (run.getPointId(point) >= kLayerIdBase)
      layerOfPoint[point] = int(run.getPointId(point) - kLayerIdBase);
  if (llvm::Error error = run.run(
          label, [&](size_t point, const TensorSignature &sig,
                     const uint8_t *values, int64_t first, int64_t size) {
            int layer = layerOfPoint[point];
            if (layer < 0)
              return;
            int64_t channels = sig.shape.empty() ? 1 : sig.shape.back();
            std::vector<double> &sum = sums[layer];
            sum.resize(channels, 0.0);
            for (int64_t i = first; i < first + size; ++i)
              sum[i % channels] += readObservedValue(sig, values, i);
            counts[layer] += size / channels;
          }))
    return std::move(error);
  for (auto [sum, count] : llvm::zip(sums, counts))
    for (double &value : sum)
      value /= double(std::max<int64_t>(count, 1));
  return sums;
}

llvm::Expected<unsigned> tinyq::correctBiases(
    ModuleOp module, const Array &samples, const CalibrationOptions &options,
    const BiasCorrectionOptions &quantization, StringRef entry) {
  if (llvm::Error error = checkCalibrationRequest(module, entry, options))
    return std::move(error);
  MLIRContext *context = module.getContext();

  OwningOpRef<ModuleOp> floatCopy = module.clone();
  PassManager strip(context);
  strip.addNestedPass<func::FuncOp>(createTinyQStripObserve());
  if (failed(strip.run(*floatCopy)))
    return makeCalibrationError("removing calibration points failed");
  auto floatMeans = measureLayerMeans(std::move(floatCopy), entry, samples,
                                      options, "bias correction, float");
  if (!floatMeans)
    return floatMeans.takeError();

  OwningOpRef<ModuleOp> quantizedCopy = module.clone();
  PassManager simulate(context);
  TinyQSimulateQuantizationOptions simulation;
  simulation.weightBits = quantization.weightBits;
  simulation.activationBits = unsigned(options.bits);
  simulation.perTensor = quantization.perTensor;
  simulate.addNestedPass<func::FuncOp>(
      createTinyQSimulateQuantization(simulation));
  if (failed(simulate.run(*quantizedCopy)))
    return makeCalibrationError("simulating quantization failed (is the model "
                                "calibrated?)");
  auto quantizedMeans =
      measureLayerMeans(std::move(quantizedCopy), entry, samples, options,
                        "bias correction, quantized");
  if (!quantizedMeans)
    return quantizedMeans.takeError();

  auto func = module.lookupSymbol<func::FuncOp>(entry);
  SmallVector<Operation *> layers = getCorrectableLayers(func);
  OpBuilder builder(context);
  for (auto [layer, floatMean, quantizedMean] :
       llvm::zip(layers, *floatMeans, *quantizedMeans)) {
    DenseFPElementsAttr biasAttr;
    matchPattern(layer->getOperand(2), m_Constant(&biasAttr));
    SmallVector<float> bias(biasAttr.getValues<float>());
    if (bias.size() == 1)
      bias.assign(floatMean.size(), bias.front());
    if (bias.size() != floatMean.size())
      continue;
    for (auto [value, f, q] : llvm::zip(bias, floatMean, quantizedMean))
      value += float(f - q);
    auto type =
        RankedTensorType::get({int64_t(bias.size())}, builder.getF32Type());
    builder.setInsertionPoint(layer);
    Value constant = tosa::ConstOp::create(
        builder, layer->getLoc(), type,
        DenseElementsAttr::get(type, ArrayRef<float>(bias)));
    Value old = layer->getOperand(2);
    layer->setOperand(2, constant);
    if (Operation *def = old.getDefiningOp(); def && def->use_empty())
      def->erase();
  }
  return unsigned(layers.size());
}
