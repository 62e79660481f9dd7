//===- LowerCortexM.cpp - Integer layers to Cortex-M kernels --------------===//
//
// The Cortex-M back end's lowering pass: on a target with the DSP extension
// (Cortex-M4, M7, M33) the integer layers become kernels of `sxtb16`,
// `smlad` and kin; with Helium too (M55, M85), of its vector dot products.
// The kernels themselves are in DenseKernels.cpp, SparseKernels.cpp and
// DepthwiseKernels.cpp.
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"
#include "tinyq/Target/CortexM/Passes.h"
#include "tinyq/Target/CortexM/Transforms.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Support/Debug.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQLOWERCORTEXM
#include "tinyq/Target/CortexM/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-lower-cortex-m"

using namespace mlir;
using namespace tinyq;
using namespace tinyq::cortexm;

// Counted in every build (LLVM's own statistics need one with assertions),
// printed by --tinyq-stats.
ALWAYS_ENABLED_STATISTIC(NumPortableLayers,
                         "Integer layers left to tinyq-lower-integer-ops");

llvm::raw_ostream &tinyq::cortexm::debugLayer(Operation *op) {
  return llvm::dbgs() << "[" DEBUG_TYPE "] " << op->getName() << " "
                      << op->getLoc() << ": ";
}

namespace {
struct LowerCortexMPass : tinyq::impl::TinyQLowerCortexMBase<LowerCortexMPass> {
  using Base::Base;

  void runOnOperation() override {
    // Other targets (and none) keep the layers for the portable lowering.
    TargetAttr target = TargetAttr::lookup(getOperation());
    if (!hasDspExtension(target))
      return;
    RewritePatternSet patterns(&getContext());
    populateLowerCortexMPatterns(patterns, unpackedWeightsLimit,
                                 hasHelium(target), skipZeroActivations,
                                 twoOfFourWeights);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    getOperation().walk([]([[maybe_unused]] IntegerLayerOpInterface layer) {
      ++NumPortableLayers;
      LLVM_DEBUG(debugLayer(layer) << "left to tinyq-lower-integer-ops\n");
    });
  }
};
} // namespace

void tinyq::populateLowerCortexMPatterns(RewritePatternSet &patterns,
                                         int64_t unpackedWeightsLimit, bool mve,
                                         bool skipZeroActivations,
                                         bool twoOfFourWeights) {
  populateDensePatterns(patterns, ArmKernelOptions{unpackedWeightsLimit, mve,
                                                   skipZeroActivations,
                                                   twoOfFourWeights});
  populateDepthwisePatterns(patterns, mve);
}
