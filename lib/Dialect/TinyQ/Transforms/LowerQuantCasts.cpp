//===- LowerQuantCasts.cpp - Exact semantics for quant casts --------------===//

#include "QuantArithmetic.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "tinyq/Dialect/TinyQ/Utils/QuantRewrites.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQLOWERQUANTCASTS
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

using namespace mlir;
using namespace tinyq;

/// The uniform quantized element type of a ranked tensor, or null.
static quant::QuantizedType getUniformElementType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return nullptr;
  Type element = tensor.getElementType();
  if (!isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(
          element))
    return nullptr;
  return cast<quant::QuantizedType>(element);
}

namespace {
// scast(qcast(x)) -> quantize(x)
struct LowerQuantizePattern : OpRewritePattern<quant::StorageCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(quant::StorageCastOp op,
                                PatternRewriter &rewriter) const override {
    auto qcast = op.getInput().getDefiningOp<quant::QuantizeCastOp>();
    quant::QuantizedType type = getUniformElementType(op.getInput().getType());
    if (!qcast || !type || !isa<RankedTensorType>(op.getType()))
      return rewriter.notifyMatchFailure(op, "not a storage cast of a qcast");
    rewriter.replaceOp(op,
                       buildQuantStep(rewriter, op.getLoc(), qcast.getInput(),
                                      type, QuantStep::Quantize));
    return success();
  }
};

// dcast(scast(q)) -> dequantize(q)
struct LowerDequantizePattern : OpRewritePattern<quant::DequantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(quant::DequantizeCastOp op,
                                PatternRewriter &rewriter) const override {
    auto scast = op.getInput().getDefiningOp<quant::StorageCastOp>();
    quant::QuantizedType type = getUniformElementType(op.getInput().getType());
    if (!scast || !type || !isa<RankedTensorType>(scast.getInput().getType()))
      return rewriter.notifyMatchFailure(op, "not a dcast of a storage cast");
    rewriter.replaceOp(op,
                       buildQuantStep(rewriter, op.getLoc(), scast.getInput(),
                                      type, QuantStep::Dequantize));
    return success();
  }
};

struct LowerQuantCastsPass
    : tinyq::impl::TinyQLowerQuantCastsBase<LowerQuantCastsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateLowerQuantCastsPatterns(patterns);
    if (failed(
            applyPatternsWithoutFolding(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void tinyq::populateLowerQuantCastsPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerQuantizePattern, LowerDequantizePattern>(
      patterns.getContext());
}
