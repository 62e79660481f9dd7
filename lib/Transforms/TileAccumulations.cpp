//===- TileAccumulations.cpp - One row of accumulators at a time ----------===//

#include "tinyq/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Support/Debug.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQTILEACCUMULATIONS
#include "tinyq/Transforms/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-tile-accumulations"

using namespace mlir;

ALWAYS_ENABLED_STATISTIC(NumTiledAccumulations,
                         "Accumulations computed one row at a time");
ALWAYS_ENABLED_STATISTIC(NumWholeAccumulations,
                         "Accumulations tiling could not take (kept whole)");

namespace {
/// The int32 accumulation that elementwise \p consumer reads whole (an
/// identity-indexed operand) and alone: a linalg op with a reduction loop.
linalg::LinalgOp getAccumulation(linalg::LinalgOp consumer) {
  if (consumer.getNumReductionLoops() != 0 || consumer->getNumResults() != 1 ||
      !consumer.hasPureTensorSemantics())
    return {};
  for (OpOperand *operand : consumer.getDpsInputOperands()) {
    auto producer = operand->get().getDefiningOp<linalg::LinalgOp>();
    if (!producer || producer.getNumReductionLoops() == 0 ||
        !operand->get().hasOneUse() ||
        !getElementTypeOrSelf(operand->get().getType()).isInteger(32) ||
        !consumer.getMatchingIndexingMap(operand).isIdentity())
      continue;
    return producer;
  }
  return {};
}

/// Tile sizes of \p consumer's loops that cover one output row: 1 for every
/// loop but the last two (the last one for a matrix), 0 (whole) for those.
/// Empty when that is the whole result already.
SmallVector<OpFoldResult> getRowTileSizes(OpBuilder &builder,
                                          linalg::LinalgOp consumer) {
  SmallVector<int64_t> ranges = consumer.getStaticLoopRanges();
  int64_t whole = ranges.size() == 2 ? 1 : 2;
  if (ranges.size() < 2 || ShapedType::isDynamicShape(ranges))
    return {};
  SmallVector<OpFoldResult> sizes;
  int64_t tiles = 1;
  for (auto [loop, range] : llvm::enumerate(ranges)) {
    bool tiled = int64_t(loop) + whole < int64_t(ranges.size());
    sizes.push_back(builder.getIndexAttr(tiled ? 1 : 0));
    if (tiled)
      tiles *= range;
  }
  if (tiles == 1)
    return {};
  return sizes;
}

struct TileAccumulationsPass
    : tinyq::impl::TinyQTileAccumulationsBase<TileAccumulationsPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> consumers;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (getAccumulation(op) && isa<TilingInterface>(op.getOperation()))
        consumers.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp consumer : consumers) {
      rewriter.setInsertionPoint(consumer);
      SmallVector<OpFoldResult> sizes = getRowTileSizes(rewriter, consumer);
      if (sizes.empty())
        continue;
      linalg::LinalgOp accumulation = getAccumulation(consumer);
      scf::SCFTileAndFuseOptions options;
      options.tilingOptions.setTileSizes(sizes);
      // The accumulation and the ops that initialize its accumulators
      // (the bias) move into the loop; its input, such as a padded copy
      // of the activations, stays whole.
      SmallPtrSet<Operation *, 2> fused = {accumulation};
      for (Value init : accumulation.getDpsInits())
        if (auto initializer = init.getDefiningOp<linalg::LinalgOp>())
          fused.insert(initializer);
      options.setFusionControlFn(
          [&](tensor::ExtractSliceOp, OpResult producer, bool)
              -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
            if (fused.contains(producer.getOwner()))
              return scf::SCFTileAndFuseOptions::ControlFnResult{};
            return std::nullopt;
          });
      FailureOr<scf::SCFTileAndFuseResult> tiled =
          scf::tileConsumerAndFuseProducersUsingSCF(
              rewriter, cast<TilingInterface>(consumer.getOperation()),
              options);
      // Tiling only saves memory: an op it cannot take stays whole.
      if (failed(tiled)) {
        ++NumWholeAccumulations;
        LLVM_DEBUG(llvm::dbgs()
                   << "[" DEBUG_TYPE "] " << consumer->getName() << " "
                   << consumer->getLoc() << ": tiling failed, kept whole\n");
        continue;
      }
      ++NumTiledAccumulations;
      for (OpResult result : consumer->getResults())
        rewriter.replaceAllUsesWith(result, tiled->replacements.lookup(result));
      rewriter.eraseOp(consumer);
    }
    // Slices of empty tensors become small empty tensors (a row's
    // accumulators, not a slice of the whole), and the untiled producers
    // go.
    RewritePatternSet patterns(&getContext());
    tensor::populateFoldTensorEmptyPatterns(patterns);
    tensor::ExtractSliceOp::getCanonicalizationPatterns(patterns,
                                                        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
