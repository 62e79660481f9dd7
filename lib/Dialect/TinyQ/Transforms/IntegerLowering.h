//===- IntegerLowering.h - Shared pieces of integer layer lowerings -*- C++
//-*-===//
//
// What the portable lowering (tinyq-lower-integer-ops) and the target
// kernels (tinyq-lower-arm-dsp) both need from an integer layer.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_LIB_DIALECT_TINYQ_TRANSFORMS_INTEGERLOWERING_H
#define TINYQ_LIB_DIALECT_TINYQ_TRANSFORMS_INTEGERLOWERING_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace tinyq {

/// The bias of integer layer \p op with its input zero point folded in:
/// `bias[c] - z_in * sum of the weights of channel c`, where
/// \p channelOf maps a weight's flat index to its output channel. Fails
/// unless weights and bias are constants and the result fits in int32.
template <typename LayerOp>
mlir::FailureOr<llvm::SmallVector<int32_t>>
foldInputZeroPoint(LayerOp op, int64_t channels,
                   llvm::function_ref<int64_t(int64_t)> channelOf) {
  using namespace mlir;
  DenseIntElementsAttr weights, bias;
  if (!matchPattern(op.getWeights(), m_Constant(&weights)) ||
      !matchPattern(op.getBias(), m_Constant(&bias)))
    return failure();
  SmallVector<int64_t> sums(channels, 0);
  for (auto [index, weight] : llvm::enumerate(weights.getValues<APInt>()))
    sums[channelOf(int64_t(index))] += weight.getSExtValue();
  int64_t inputZeroPoint = int32_t(op.getInputZeroPoint());
  SmallVector<int32_t> folded;
  for (auto [channel, value] : llvm::enumerate(bias.getValues<APInt>())) {
    int64_t result = value.getSExtValue() - inputZeroPoint * sums[channel];
    if (result < INT32_MIN || result > INT32_MAX)
      return failure();
    folded.push_back(int32_t(result));
  }
  return folded;
}

} // namespace tinyq

#endif // TINYQ_LIB_DIALECT_TINYQ_TRANSFORMS_INTEGERLOWERING_H
