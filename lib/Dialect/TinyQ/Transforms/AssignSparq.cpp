//===- AssignSparq.cpp - SPARQ activations on the layers ------------------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Dialect/TinyQ/Transforms/QuantChoice.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQASSIGNSPARQ
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

using namespace mlir;
using namespace tinyq;

namespace {
struct AssignSparqPass : tinyq::impl::TinyQAssignSparqBase<AssignSparqPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    std::string error;
    SparqAttr sparq = parseSparqSpec(context, spec, error);
    if (!sparq) {
      getOperation().emitError("bad SPARQ spec '") << spec << "': " << error;
      return signalPassFailure();
    }
    SmallVector<Operation *> layers;
    getOperation().walk([&](Operation *op) {
      if (getQuantizableWeights(op, /*perTensor=*/false))
        layers.push_back(op);
    });
    for (auto [index, layer] : llvm::enumerate(layers)) {
      if (keepFirstLast && (index == 0 || index + 1 == layers.size()))
        continue;
      FailureOr<bool> eligible = canTakeSparq(layer);
      if (failed(eligible))
        return signalPassFailure();
      if (!*eligible)
        continue;
      auto precision =
          layer->getAttrOfType<PrecisionAttr>(PrecisionAttr::kAttrName);
      layer->setAttr(
          PrecisionAttr::kAttrName,
          PrecisionAttr::get(
              context, precision ? precision.getWeightBits() : weightBits, 8,
              precision ? precision.getGranularity() : Granularity::PerChannel,
              sparq));
    }
  }
};
} // namespace
