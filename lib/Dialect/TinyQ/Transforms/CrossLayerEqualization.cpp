//===- CrossLayerEqualization.cpp - Equalize consecutive layers' weights --===//

#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Dialect/TinyQ/Utils/Indexing.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Support/Debug.h"

#include <cmath>

namespace tinyq {
#define GEN_PASS_DEF_TINYQCROSSLAYEREQUALIZATION
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-cross-layer-equalization"

using namespace mlir;

ALWAYS_ENABLED_STATISTIC(NumEqualizedPairs,
                         "Layer pairs equalized (counted per iteration)");

namespace {
/// A float constant tensor operand, read and rewritten in place.
struct ConstantOperand {
  OpOperand *operand;
  SmallVector<float> values;
  RankedTensorType type;

  static std::optional<ConstantOperand> get(OpOperand &operand) {
    DenseFPElementsAttr attr;
    if (!matchPattern(operand.get(), m_Constant(&attr)) ||
        !attr.getElementType().isF32())
      return std::nullopt;
    return ConstantOperand{&operand,
                           SmallVector<float>(attr.getValues<float>()),
                           cast<RankedTensorType>(attr.getType())};
  }

  /// The largest magnitude per index of \p axis.
  SmallVector<float> getRanges(unsigned axis) const {
    SmallVector<float> ranges(type.getDimSize(axis), 0.0f);
    tinyq::AxisIndexer indexAlong(type.getShape(), axis);
    for (auto [index, value] : llvm::enumerate(values)) {
      float &range = ranges[indexAlong(index)];
      range = std::max(range, std::fabs(value));
    }
    return ranges;
  }

  /// Multiplies the slices along \p axis by \p factors (or divides).
  void scale(unsigned axis, ArrayRef<float> factors, bool divide) {
    tinyq::AxisIndexer indexAlong(type.getShape(), axis);
    for (auto [index, value] : llvm::enumerate(values)) {
      float factor = factors[indexAlong(index)];
      value = divide ? value / factor : value * factor;
    }
  }

  void write(OpBuilder &builder) {
    auto attr = DenseElementsAttr::get(type, ArrayRef<float>(values));
    Operation *user = operand->getOwner();
    builder.setInsertionPoint(user);
    Value old = operand->get();
    operand->set(tosa::ConstOp::create(builder, user->getLoc(), type, attr));
    if (Operation *def = old.getDefiningOp(); def && def->use_empty())
      def->erase();
  }
};

/// Whether \p op is a ReLU: a float clamp from 0 to +inf.
bool isRelu(Operation *op) {
  auto clamp = dyn_cast<tosa::ClampOp>(op);
  if (!clamp)
    return false;
  auto min = dyn_cast<FloatAttr>(clamp.getMinValAttr());
  auto max = dyn_cast<FloatAttr>(clamp.getMaxValAttr());
  return min && max && min.getValue().isZero() && max.getValue().isInfinity() &&
         !max.getValue().isNegative();
}

/// Equalizes the pair starting at \p first, if it is one.
void equalizePair(Operation *first, OpBuilder &builder) {
  // A's output channel axis: O of OHWI, or C of [KH, KW, C, 1].
  unsigned firstAxis;
  OpOperand *firstWeights, *firstBias;
  if (auto conv = dyn_cast<tosa::Conv2DOp>(first)) {
    firstAxis = 0;
    firstWeights = &conv.getWeightMutable();
    firstBias = &conv.getBiasMutable();
  } else if (auto depthwise = dyn_cast<tosa::DepthwiseConv2DOp>(first)) {
    auto type = cast<RankedTensorType>(depthwise.getWeight().getType());
    if (type.getRank() != 4 || type.getDimSize(3) != 1)
      return;
    firstAxis = 2;
    firstWeights = &depthwise.getWeightMutable();
    firstBias = &depthwise.getBiasMutable();
  } else {
    return;
  }
  Operation *relu = tinyq::getSingleUser(first->getResult(0));
  if (!relu || !isRelu(relu))
    return;
  auto second = dyn_cast_or_null<tosa::Conv2DOp>(
      tinyq::getSingleUser(relu->getResult(0)));
  if (!second)
    return;
  std::optional<ConstantOperand> weightsA = ConstantOperand::get(*firstWeights);
  std::optional<ConstantOperand> biasA = ConstantOperand::get(*firstBias);
  std::optional<ConstantOperand> weightsB =
      ConstantOperand::get(second.getWeightMutable());
  if (!weightsA || !biasA || !weightsB)
    return;
  // B's input channel axis: I of OHWI.
  unsigned secondAxis = 3;
  SmallVector<float> rangesA = weightsA->getRanges(firstAxis);
  SmallVector<float> rangesB = weightsB->getRanges(secondAxis);
  if (rangesA.size() != rangesB.size() ||
      biasA->type.getNumElements() != int64_t(rangesA.size()))
    return;
  SmallVector<float> factors;
  for (auto [r1, r2] : llvm::zip(rangesA, rangesB))
    factors.push_back(r1 > 0 && r2 > 0 ? std::sqrt(r1 / r2) : 1.0f);
  ++NumEqualizedPairs;
  LLVM_DEBUG({
    auto [least, most] = std::minmax_element(factors.begin(), factors.end());
    llvm::dbgs() << "[" DEBUG_TYPE "] " << first->getName() << " "
                 << first->getLoc() << " -> " << second->getLoc() << ": "
                 << factors.size() << " channels scaled by " << *least << " to "
                 << *most << "\n";
  });
  weightsA->scale(firstAxis, factors, /*divide=*/true);
  biasA->scale(0, factors, /*divide=*/true);
  weightsB->scale(secondAxis, factors, /*divide=*/false);
  weightsA->write(builder);
  biasA->write(builder);
  weightsB->write(builder);
}

struct CrossLayerEqualizationPass
    : tinyq::impl::TinyQCrossLayerEqualizationBase<CrossLayerEqualizationPass> {
  using Base::Base;

  void runOnOperation() override {
    OpBuilder builder(&getContext());
    for (unsigned iteration = 0; iteration < iterations; ++iteration)
      getOperation().walk([&](Operation *op) { equalizePair(op, builder); });
  }
};
} // namespace
