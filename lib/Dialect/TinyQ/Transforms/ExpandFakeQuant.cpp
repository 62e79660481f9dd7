//===- ExpandFakeQuant.cpp - Simulated quantization as float math ---------===//
//
// Expands tinyq.fake_quant into elementwise float32 arithmetic that computes
// exactly what numerics::fakeQuantize computes.
//
//===----------------------------------------------------------------------===//

#include "QuantArithmetic.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQEXPANDFAKEQUANT
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

using namespace mlir;
using namespace tinyq;

namespace {
// fake_quant(x, s, z, [qmin, qmax])
//   -> (select(isnan(x / s), z, clamp(roundeven(x / s) + z)) - z) * s
struct ExpandFakeQuantPattern : OpRewritePattern<FakeQuantOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(FakeQuantOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, buildQuantStep(rewriter, op.getLoc(), op.getInput(),
                           cast<quant::QuantizedType>(op.getQuantType()),
                           QuantStep::QuantizeDequantize));
    return success();
  }
};

struct ExpandFakeQuantPass
    : tinyq::impl::TinyQExpandFakeQuantBase<ExpandFakeQuantPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateExpandFakeQuantPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void tinyq::populateExpandFakeQuantPatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandFakeQuantPattern>(patterns.getContext());
}
