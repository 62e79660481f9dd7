//===- StripObserve.cpp - Remove calibration points -----------------------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQSTRIPOBSERVE
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

using namespace mlir;
using namespace tinyq;

namespace {
// observe(x) -> x
struct StripObservePattern : OpRewritePattern<ObserveOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ObserveOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, op.getInput());
    return success();
  }
};

struct StripObservePass : tinyq::impl::TinyQStripObserveBase<StripObservePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateStripObservePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void tinyq::populateStripObservePatterns(RewritePatternSet &patterns) {
  patterns.add<StripObservePattern>(patterns.getContext());
}
