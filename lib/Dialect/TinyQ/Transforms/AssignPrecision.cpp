//===- AssignPrecision.cpp - Weight widths under a size budget ------------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/LayerCost.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Dialect/TinyQ/Transforms/QuantChoice.h"
#include "tinyq/Numerics/Metrics.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Support/Debug.h"

#include <numeric>
#include <random>

namespace tinyq {
#define GEN_PASS_DEF_TINYQASSIGNPRECISION
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-assign-precision"

using namespace mlir;
using namespace tinyq;

ALWAYS_ENABLED_STATISTIC(NumHighLayers, "Layers given high-bits weights");
ALWAYS_ENABLED_STATISTIC(NumLowLayers, "Layers given low-bits weights");
ALWAYS_ENABLED_STATISTIC(NumSparqLayers,
                         "Layers given the SPARQ activation candidate");

/// The activation width \p layer keeps: that of its sensitivity
/// candidates (the analysis ran at it), else of a precision it already has,
/// else 8.
static unsigned getActivationBits(Operation *layer) {
  if (auto record =
          layer->getAttrOfType<SensitivityAttr>(SensitivityAttr::kAttrName))
    if (!record.getCandidates().empty())
      return record.getCandidates().front().getPrecision().getActivationBits();
  if (auto precision =
          layer->getAttrOfType<PrecisionAttr>(PrecisionAttr::kAttrName))
    return precision.getActivationBits();
  return 8;
}

namespace {
struct Layer {
  Operation *op;
  int64_t weights, macs;
  KernelKind kind;
  unsigned bits;
  bool sparq = false;
};

struct AssignPrecisionPass
    : tinyq::impl::TinyQAssignPrecisionBase<AssignPrecisionPass> {
  using Base::Base;

  void runOnOperation() override {
    if (lowBits < 2 || highBits > 8 || lowBits >= highBits) {
      getOperation().emitError("expects 2 <= low-bits < high-bits <= 8");
      return signalPassFailure();
    }
    if (ranking != "sensitivity" && ranking != "single-layer" &&
        ranking != "random") {
      getOperation().emitError("unknown ranking '")
          << ranking << "' (expected sensitivity, single-layer or random)";
      return signalPassFailure();
    }
    SmallVector<Layer> layers;
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (std::optional<QuantizableWeights> weights =
              getQuantizableWeights(op, /*perTensor=*/false)) {
        layers.push_back({op, weights->values.getNumElements(),
                          getMacCount(op, *weights), getKernelKind(op),
                          unsigned(lowBits)});
        ops.push_back(op);
      }
    });
    FailureOr<std::vector<double>> scores =
        ranking == "single-layer" ? getSingleLayerScores(ops)
                                  : getSensitivityScores(ops, lowBits);
    if (failed(scores))
      return signalPassFailure();
    if (layers.empty())
      return;

    // Without a cost model named, the target's; cortex-m4 without one.
    std::string modelName = costModel;
    if (modelName.empty()) {
      TargetAttr target = TargetAttr::lookup(getOperation());
      modelName = target && lookupCostModel(target.getCpu())
                      ? target.getCpu().str()
                      : "cortex-m4";
    }
    const CostModel *model = lookupCostModel(modelName);
    bool cycles = objective == "cycles";
    if (!cycles && objective != "size") {
      getOperation().emitError("unknown objective '")
          << objective << "' (expected size or cycles)";
      return signalPassFailure();
    }
    if (cycles && (!model || !(budgetCycles > 0))) {
      getOperation().emitError("objective=cycles needs budget-cycles > 0 and "
                               "a cost-model among ")
          << getCostModelNames();
      return signalPassFailure();
    }
    // What a layer costs at a width: packed weight bytes, or estimated
    // cycles.
    auto costAt = [&](const Layer &layer, unsigned bits) {
      return cycles ? model->estimateCycles(layer.kind, layer.macs, bits)
                    : double(getPackedWeightBytes(layer.weights, bits));
    };
    double highTotal = 0, total = 0;
    for (const Layer &layer : layers) {
      highTotal += costAt(layer, highBits);
      total += costAt(layer, lowBits);
    }
    double limit = cycles            ? double(budgetCycles)
                   : budgetBytes > 0 ? double(budgetBytes)
                                     : std::floor(budget * highTotal);
    LLVM_DEBUG(llvm::dbgs()
               << "[" DEBUG_TYPE "] " << layers.size() << " layers; "
               << objective << " at " << lowBits << " bits " << total << ", at "
               << highBits << " bits " << highTotal << ", limit " << limit
               << " (" << modelName << ")\n");
    auto raise = [&](Layer &layer, [[maybe_unused]] StringRef why) {
      total += costAt(layer, highBits) - costAt(layer, lowBits);
      layer.bits = highBits;
      LLVM_DEBUG(llvm::dbgs()
                 << "[" DEBUG_TYPE "] " << layer.op->getName() << " "
                 << layer.op->getLoc() << ": " << highBits << " bits, " << why
                 << "; total " << total << "\n");
    };
    auto fits = [&](const Layer &layer) {
      return layer.bits == lowBits &&
             total + costAt(layer, highBits) - costAt(layer, lowBits) <= limit;
    };
    // A layer that costs no more at the high width is raised whatever the
    // budget (with the cycles objective, int8 kernels may be the faster).
    for (Layer &layer : layers)
      if (costAt(layer, highBits) <= costAt(layer, lowBits))
        raise(layer, "costs no more than at low-bits");
    // A fraction at or above low-bits / high-bits is met by the all-low
    // model even where rounding up to whole bytes exceeds it.
    bool lowestMeets = !cycles && budgetBytes <= 0 &&
                       budget * double(highBits) >= double(lowBits);
    if (total > limit && !lowestMeets) {
      getOperation().emitError("the budget of ")
          << int64_t(limit) << (cycles ? " cycles" : " bytes")
          << " is below the least the layers can cost ("
          << int64_t(std::ceil(total)) << ")";
      return signalPassFailure();
    }
    if (keepFirstLast)
      for (Layer *layer : {&layers.front(), &layers.back()})
        if (fits(*layer))
          raise(*layer, "first or last layer (keep-first-last)");

    SmallVector<size_t> order(layers.size());
    std::iota(order.begin(), order.end(), 0);
    llvm::sort(order, [&](size_t a, size_t b) {
      return std::make_pair((*scores)[a], a) < std::make_pair((*scores)[b], b);
    });
    if (ranking == "random") {
      // Fisher-Yates with std::mt19937's fully specified output, so that a
      // seed means the same order everywhere.
      std::mt19937 engine(seed);
      for (size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[engine() % i]);
    }
    for (auto [rank, index] : llvm::enumerate(order)) {
      if (!fits(layers[index]))
        continue;
      LLVM_DEBUG(llvm::dbgs()
                 << "[" DEBUG_TYPE "] rank " << rank << " by " << ranking
                 << ", score " << (*scores)[index] << ":\n");
      raise(layers[index], "fits the budget in ranking order");
    }

    MLIRContext *context = &getContext();
    SparqAttr sparqCandidate;
    if (!sparq.empty()) {
      std::string error;
      sparqCandidate = parseSparqSpec(context, sparq, error);
      if (!sparqCandidate) {
        getOperation().emitError("bad SPARQ spec '") << sparq << "': " << error;
        return signalPassFailure();
      }
      if (failed(assignSparq(layers, cycles ? &*model : nullptr,
                             cycles ? limit - total : 0)))
        return signalPassFailure();
    }
    for (const Layer &layer : layers) {
      ++(layer.bits == unsigned(highBits) ? NumHighLayers : NumLowLayers);
      if (layer.sparq)
        ++NumSparqLayers;
      layer.op->setAttr(
          PrecisionAttr::kAttrName,
          PrecisionAttr::get(context, layer.bits,
                             layer.sparq ? 8 : getActivationBits(layer.op),
                             Granularity::PerChannel,
                             layer.sparq ? sparqCandidate : SparqAttr()));
    }
  }

  /// Marks the layers that take the SPARQ candidate: all that can, but
  /// those raised to 8-bit activations (least SPARQ SQNR first) within
  /// sparq-budget of their MACs; with a \p model, also those raised until
  /// SPARQ's extra cycles fit \p spareCycles.
  LogicalResult assignSparq(MutableArrayRef<Layer> layers,
                            const CostModel *model, double spareCycles) {
    if (!(sparqBudget >= 0 && sparqBudget <= 1))
      return getOperation().emitError("sparq-budget must be in [0, 1], not ")
             << sparqBudget;
    struct Candidate {
      Layer *layer;
      double sqnr;
    };
    SmallVector<Candidate> candidates;
    int64_t totalMacs = 0;
    for (auto [index, layer] : llvm::enumerate(layers)) {
      if (sparqKeepFirstLast && (index == 0 || index + 1 == layers.size()))
        continue;
      FailureOr<bool> eligible = canTakeSparq(layer.op);
      if (failed(eligible))
        return failure();
      if (!*eligible)
        continue;
      auto sqnr = layer.op->getAttrOfType<FloatAttr>(kInputSparqSqnrAttrName);
      if (!sqnr)
        return layer.op->emitError("no ")
               << kInputSparqSqnrAttrName
               << ": run the sensitivity analysis with the SPARQ candidate";
      candidates.push_back({&layer, sqnr.getValueAsDouble()});
      totalMacs += layer.macs;
      layer.sparq = true;
    }
    llvm::stable_sort(candidates, [](const Candidate &a, const Candidate &b) {
      return a.sqnr < b.sqnr;
    });
    double plainLimit = sparqBudget * double(totalMacs);
    int64_t plainMacs = 0;
    for (Candidate &candidate : candidates)
      if (double(plainMacs + candidate.layer->macs) <= plainLimit) {
        candidate.layer->sparq = false;
        plainMacs += candidate.layer->macs;
      }
    if (!model)
      return success();
    auto extraCycles = [&](const Layer &layer) {
      return model->estimateCycles(layer.kind, layer.macs, layer.bits,
                                   /*sparq=*/true) -
             model->estimateCycles(layer.kind, layer.macs, layer.bits);
    };
    double extra = 0;
    for (const Candidate &candidate : candidates)
      if (candidate.layer->sparq)
        extra += extraCycles(*candidate.layer);
    for (Candidate &candidate : candidates) {
      if (extra <= spareCycles)
        break;
      if (candidate.layer->sparq) {
        candidate.layer->sparq = false;
        extra -= extraCycles(*candidate.layer);
      }
    }
    return success();
  }
};
} // namespace
