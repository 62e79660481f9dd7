//===- PrecisionSweep.cpp - Mixed precision against its baselines ---------===//

#include "tinyq/Compiler/PrecisionSweep.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/LayerCost.h"
#include "tinyq/Dialect/TinyQ/Transforms/QuantChoice.h"
#include "tinyq/Numerics/Metrics.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Format.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <map>

using namespace mlir;
using namespace tinyq;

namespace {
double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// The layers with weights of \p func, in the order the passes visit them.
SmallVector<Operation *> getLayers(func::FuncOp func) {
  SmallVector<Operation *> layers;
  func.walk([&](Operation *op) {
    if (getQuantizableWeights(op, /*perTensor=*/false))
      layers.push_back(op);
  });
  return layers;
}

/// The candidate of \p record with \p bits-bit weights.
CandidateAttr findCandidate(SensitivityAttr record, unsigned bits) {
  for (CandidateAttr candidate : record.getCandidates())
    if (candidate.getPrecision().getWeightBits() == bits)
      return candidate;
  return {};
}

double median(std::vector<double> values) {
  if (values.empty())
    return std::numeric_limits<double>::quiet_NaN();
  llvm::sort(values);
  size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle]
                           : (values[middle - 1] + values[middle]) / 2;
}
} // namespace

double PrecisionSweep::getAccuracy(StringRef method, double budget) const {
  std::vector<double> values;
  for (const SweepPoint &point : points)
    if (point.method == method && point.budget == budget)
      values.push_back(point.accuracy);
  return median(std::move(values));
}

llvm::Expected<PrecisionSweep>
tinyq::sweepPrecisions(ModuleOp module, StringRef entry, const Array &samples,
                       const QuantizationOptions &options,
                       const SweepOptions &sweep, AccuracyFunction measure,
                       llvm::raw_ostream &log) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return llvm::createStringError("the model has no function '" + entry + "'");
  PrecisionSweep result;
  SensitivityOptions sensitivity = options.getSensitivityOptions();

  // What the analysis is compared with: one plain calibration pass.
  {
    OwningOpRef<ModuleOp> copy = module.clone();
    auto start = std::chrono::steady_clock::now();
    if (llvm::Error error =
            calibrate(*copy, samples, options.calibration, entry))
      return std::move(error);
    result.calibrationSeconds = secondsSince(start);
  }
  auto start = std::chrono::steady_clock::now();
  auto report = analyzeSensitivity(module, samples, options.calibration,
                                   sensitivity, entry);
  if (!report)
    return report.takeError();
  result.analysisSeconds = secondsSince(start);
  result.inferences = report->inferences;
  start = std::chrono::steady_clock::now();
  auto singleLayer = analyzeSingleLayerSensitivity(
      module, samples, options.calibration, sensitivity, entry);
  if (!singleLayer)
    return singleLayer.takeError();
  result.singleLayerSeconds = secondsSince(start);
  result.singleLayerInferences = singleLayer->inferences;
  log << llvm::format("analyses: calibration pass %.2f s, two-inference %.2f "
                      "s (%u inferences), single-layer %.2f s (%u "
                      "inferences)\n",
                      result.calibrationSeconds, result.analysisSeconds,
                      result.inferences, result.singleLayerSeconds,
                      result.singleLayerInferences);

  SmallVector<Operation *> layers = getLayers(func);
  if (layers.empty())
    return llvm::createStringError("the model has no layer with weights");
  FailureOr<std::vector<double>> scores = getSensitivityScores(layers, 4);
  FailureOr<std::vector<double>> truth = getSingleLayerScores(layers);
  if (failed(scores) || failed(truth))
    return llvm::createStringError("a layer lacks its sensitivity records");
  result.spearman = numerics::spearmanCorrelation(*scores, *truth);
  for (auto [index, op] : llvm::enumerate(layers)) {
    SweepLayer layer;
    layer.name = op->getName().stripDialect().str();
    if (auto loc = dyn_cast<NameLoc>(op->getLoc()))
      layer.name = loc.getName().str();
    layer.kind = op->getName().stripDialect().str();
    QuantizableWeights weights = *getQuantizableWeights(op, false);
    layer.weights = weights.values.getNumElements();
    layer.macs = getMacCount(op, weights);
    auto record =
        op->getAttrOfType<SensitivityAttr>(SensitivityAttr::kAttrName);
    CandidateAttr high = findCandidate(record, 8),
                  low = findCandidate(record, 4);
    if (!high || !low)
      return llvm::createStringError("layer '" + layer.name +
                                     "' lacks its 8- or 4-bit candidate");
    layer.weightSqnr8 = high.getWeightSqnr().convertToDouble();
    layer.weightSqnr4 = low.getWeightSqnr().convertToDouble();
    layer.activationSqnr8 = high.getActivationSqnr().convertToDouble();
    layer.activationSqnr4 = low.getActivationSqnr().convertToDouble();
    auto drop = op->getAttrOfType<FloatAttr>(kSqnrDropAttrName);
    layer.sqnrDrop = drop ? drop.getValueAsDouble()
                          : std::numeric_limits<double>::quiet_NaN();
    layer.singleLayerSqnr = (*truth)[index];
    if (auto zeros = op->getAttrOfType<FloatAttr>(kInputZeroFractionAttrName))
      layer.zeroFraction = zeros.getValueAsDouble();
    if (auto pairs =
            op->getAttrOfType<FloatAttr>(kInputPairZeroFractionAttrName))
      layer.pairZeroFraction = pairs.getValueAsDouble();
    layer.score = (*scores)[index];
    result.int8Bytes += layer.weights;
    result.int4Bytes += getPackedWeightBytes(layer.weights, 4);
    result.layers.push_back(std::move(layer));
  }

  // Each assignment on a copy; identical assignments are measured once.
  std::map<std::vector<unsigned>, double> measured;
  auto evaluate =
      [&](StringRef method, unsigned seed, double budget,
          const TinyQAssignPrecisionOptions &assignment) -> llvm::Error {
    OwningOpRef<ModuleOp> copy = module.clone();
    if (llvm::Error error = assignPrecisions(*copy, assignment))
      return error;
    SweepPoint point{method.str(), seed, budget, 0, {}, 0};
    // The copy's layers are the original's, in the same order.
    for (auto [op, layer] :
         llvm::zip(getLayers(copy->lookupSymbol<func::FuncOp>(entry)),
                   result.layers)) {
      unsigned bits = op->getAttrOfType<PrecisionAttr>(PrecisionAttr::kAttrName)
                          .getWeightBits();
      point.bits.push_back(bits);
      point.bytes += getPackedWeightBytes(layer.weights, bits);
    }
    auto known = measured.find(point.bits);
    if (known != measured.end()) {
      point.accuracy = known->second;
    } else {
      if (llvm::Error error = quantizeCalibratedModel(*copy, options))
        return error;
      auto accuracy = measure(*copy);
      if (!accuracy)
        return accuracy.takeError();
      point.accuracy = measured[point.bits] = *accuracy;
      ++result.evaluations;
    }
    std::string label = method.str();
    if (seed)
      label += " " + std::to_string(seed);
    log << llvm::format("  %-15s budget %.3f: %lld bytes, accuracy %.4f\n",
                        label.c_str(), budget, (long long)point.bytes,
                        point.accuracy);
    result.points.push_back(std::move(point));
    return llvm::Error::success();
  };

  for (double budget : sweep.budgets) {
    TinyQAssignPrecisionOptions assignment;
    assignment.budget = budget;
    if (llvm::Error error = evaluate("two-inference", 0, budget, assignment))
      return std::move(error);
    assignment.ranking = "single-layer";
    if (llvm::Error error = evaluate("single-layer", 0, budget, assignment))
      return std::move(error);
    assignment.ranking = "random";
    for (unsigned seed = 1; seed <= sweep.randomOrders; ++seed) {
      assignment.seed = seed;
      if (llvm::Error error = evaluate("random", seed, budget, assignment))
        return std::move(error);
    }
  }
  // The uniform baselines: every layer at 4 and at 8 bits.
  for (auto [method, budget] :
       {std::pair<StringRef, double>{"uniform-int4", 0.5},
        std::pair<StringRef, double>{"uniform-int8", 1.0}}) {
    TinyQAssignPrecisionOptions assignment;
    assignment.budget = budget;
    assignment.keepFirstLast = false;
    if (llvm::Error error = evaluate(method, 0, budget, assignment))
      return std::move(error);
  }

  // The choice at the requested budget, left on the module.
  if (llvm::Error error =
          assignPrecisions(module, options.getAssignmentOptions()))
    return std::move(error);
  const CostModel *costModel = lookupCostModel(options.costModel);
  if (!costModel)
    return llvm::createStringError("unknown cost model '" + options.costModel +
                                   "'");
  result.costModel = options.costModel;
  for (auto [layer, op] : llvm::zip(result.layers, layers)) {
    layer.chosenBits =
        op->getAttrOfType<PrecisionAttr>(PrecisionAttr::kAttrName)
            .getWeightBits();
    layer.cycles = estimateLayerCycles(*costModel, op, layer.chosenBits);
    result.chosenCycles += layer.cycles;
    result.chosenBytes += getPackedWeightBytes(layer.weights, layer.chosenBits);
  }
  return result;
}
