//===- LowerIntegerOps.cpp - TinyQ integer ops to portable code -----------===//
//
// The pass of the portable lowering; its pattern families are in
// Requantization.cpp, Layers.cpp and Sparq.cpp.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"
#include "tinyq/Conversion/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Support/Debug.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQLOWERINTEGEROPS
#include "tinyq/Conversion/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-lower-integer-ops"

using namespace mlir;
using namespace tinyq;

ALWAYS_ENABLED_STATISTIC(NumLayers, "Integer layers in portable loops");
ALWAYS_ENABLED_STATISTIC(NumSparqLayers, "Of those, with SPARQ activations");

namespace {
struct LowerIntegerOpsPass
    : tinyq::impl::TinyQLowerIntegerOpsBase<LowerIntegerOpsPass> {
  void runOnOperation() override {
    // SPARQ this pass cannot lower is an error, never a silent plain layer.
    bool unsupported = false;
    getOperation()->walk([&](Operation *op) {
      auto layer = dyn_cast<IntegerLayerOpInterface>(op);
      if (!layer)
        return;
      std::string problem = getSparqExtractionProblem(layer);
      if (!problem.empty()) {
        op->emitError(problem);
        unsupported = true;
        return;
      }
      ++NumLayers;
      if (layer.getSparqAttr())
        ++NumSparqLayers;
      LLVM_DEBUG(llvm::dbgs()
                 << "[" DEBUG_TYPE "] " << op->getName() << " " << op->getLoc()
                 << ": portable loops"
                 << (layer.getSparqAttr() ? ", SPARQ" : "") << "\n");
    });
    if (unsupported)
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    populateLowerIntegerOpsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void tinyq::populateLowerIntegerOpsPatterns(RewritePatternSet &patterns) {
  populateRequantizationPatterns(patterns);
  populateLayerPatterns(patterns);
  populateSparqPatterns(patterns);
}
