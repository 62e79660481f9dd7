//===- LayerCost.cpp - Estimated cycles of a float layer ------------------===//

#include "tinyq/Dialect/TinyQ/Transforms/LayerCost.h"
#include "tinyq/Dialect/TinyQ/Transforms/QuantChoice.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace tinyq;

KernelKind tinyq::getKernelKind(Operation *op) {
  if (isa<tosa::DepthwiseConv2DOp>(op))
    return KernelKind::Depthwise;
  if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
    auto weights = cast<ShapedType>(conv.getWeight().getType());
    return weights.getDimSize(1) == 1 && weights.getDimSize(2) == 1
               ? KernelKind::Pointwise
               : KernelKind::Convolution;
  }
  return KernelKind::FullyConnected;
}

double tinyq::estimateLayerCycles(const CostModel &model, Operation *op,
                                  unsigned weightBits, bool sparq) {
  std::optional<QuantizableWeights> weights =
      getQuantizableWeights(op, /*perTensor=*/false);
  if (!weights)
    return 0;
  return model.estimateCycles(getKernelKind(op), getMacCount(op, *weights),
                              weightBits, sparq);
}
