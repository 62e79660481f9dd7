//===- AssignPrecision.cpp - Weight widths under a size budget ------------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Dialect/TinyQ/Transforms/QuantChoice.h"
#include "tinyq/Numerics/Metrics.h"

#include "llvm/Support/MathExtras.h"

#include <numeric>
#include <random>

namespace tinyq {
#define GEN_PASS_DEF_TINYQASSIGNPRECISION
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-assign-precision"

using namespace mlir;
using namespace tinyq;

namespace {
struct Layer {
  Operation *op;
  int64_t weights;
  unsigned bits;
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
        layers.push_back(
            {op, weights->values.getNumElements(), unsigned(lowBits)});
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

    auto bytesAt = [](const Layer &layer, unsigned bits) {
      return int64_t(llvm::divideCeil(layer.weights * bits, 8));
    };
    int64_t highTotal = 0, total = 0;
    for (const Layer &layer : layers) {
      highTotal += bytesAt(layer, highBits);
      total += bytesAt(layer, lowBits);
    }
    int64_t limit = budgetBytes > 0
                        ? int64_t(budgetBytes)
                        : int64_t(std::floor(budget * double(highTotal)));
    auto raise = [&](Layer &layer) {
      total += bytesAt(layer, highBits) - bytesAt(layer, lowBits);
      layer.bits = highBits;
    };
    auto fits = [&](const Layer &layer) {
      return layer.bits == lowBits &&
             total + bytesAt(layer, highBits) - bytesAt(layer, lowBits) <=
                 limit;
    };
    if (keepFirstLast)
      for (Layer *layer : {&layers.front(), &layers.back()})
        if (fits(*layer))
          raise(*layer);

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
    for (size_t index : order)
      if (fits(layers[index]))
        raise(layers[index]);

    MLIRContext *context = &getContext();
    for (const Layer &layer : layers)
      layer.op->setAttr(kPrecisionAttrName,
                        PrecisionAttr::get(context, layer.bits, 8,
                                           Granularity::PerChannel,
                                           SparqAttr()));
  }
};
} // namespace
