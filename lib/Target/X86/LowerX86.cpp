//===- LowerX86.cpp - Integer layers to x86-64 kernels --------------------===//
//
// The pass of the x86-64 back end; its kernels are in DenseKernels.cpp.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.h"
#include "tinyq/Target/X86/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQLOWERX86
#include "tinyq/Target/X86/Passes.h.inc"
} // namespace tinyq

using namespace mlir;
using namespace tinyq;

namespace {
struct LowerX86Pass : tinyq::impl::TinyQLowerX86Base<LowerX86Pass> {
  void runOnOperation() override {
    // Other targets (and x86-64 CPUs without VNNI, for now) keep the
    // layers for the portable lowering.
    TargetAttr target = TargetAttr::lookup(getOperation());
    if (!target)
      return;
    int64_t lanes = target.hasFeature("+avx512vnni") ? 16
                    : target.hasFeature("+avxvnni")  ? 8
                                                     : 0;
    if (lanes == 0)
      return;
    RewritePatternSet patterns(&getContext());
    populateLowerX86Patterns(patterns, lanes);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
