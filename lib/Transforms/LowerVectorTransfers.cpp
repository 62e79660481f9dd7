//===- LowerVectorTransfers.cpp - 1-D transfers as loads and stores -------===//

#include "tinyq/Transforms/Passes.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQLOWERVECTORTRANSFERS
#include "tinyq/Transforms/Passes.h.inc"
} // namespace tinyq

using namespace mlir;

namespace {
struct LowerVectorTransfersPass
    : tinyq::impl::TinyQLowerVectorTransfersBase<LowerVectorTransfersPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // Out-of-bounds transfers take the mask of their lanes in bounds (as
    // 32-bit lane indices: AVX-512 compares 16 of them at once), then all
    // become loads and stores, masked or not.
    vector::populateVectorMaskMaterializationPatterns(
        patterns, /*force32BitVectorIndices=*/true);
    vector::populateVectorTransferLoweringPatterns(patterns,
                                                   /*maxTransferRank=*/1);
    vector::populateVectorMaskOpLoweringPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
