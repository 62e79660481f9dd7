//===- MemRefCopyToLinalg.cpp - Copies without runtime calls --------------===//

#include "tinyq/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQMEMREFCOPYTOLINALG
#include "tinyq/Transforms/Passes.h.inc"
} // namespace tinyq

using namespace mlir;

namespace {
// memref.copy %src, %dst -> linalg.copy ins(%src) outs(%dst)
struct CopyToLinalgPattern : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    auto source = dyn_cast<MemRefType>(op.getSource().getType());
    auto target = dyn_cast<MemRefType>(op.getTarget().getType());
    if (!source || !target)
      return rewriter.notifyMatchFailure(op, "unranked copies stay");
    if (op.getSource() == op.getTarget())
      return rewriter.notifyMatchFailure(op, "memref.copy's own folding "
                                             "drops copies onto themselves");
    // Contiguous copies lower to llvm.memcpy, which LLVM expands or calls
    // the C library's memcpy for (the header lists it): word or vector
    // copies rather than element loops.
    if (source.getLayout().isIdentity() && target.getLayout().isIdentity())
      return rewriter.notifyMatchFailure(op, "contiguous copies stay");
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                op.getTarget());
    return success();
  }
};

struct MemRefCopyToLinalgPass
    : tinyq::impl::TinyQMemRefCopyToLinalgBase<MemRefCopyToLinalgPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    tinyq::populateMemRefCopyToLinalgPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void tinyq::populateMemRefCopyToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<CopyToLinalgPattern>(patterns.getContext());
  // Among them the one that drops a copy of a buffer onto itself, which
  // bufferization leaves where a row is written in place.
  memref::CopyOp::getCanonicalizationPatterns(patterns, patterns.getContext());
}
