//===- SetTarget.cpp - Attach a #tinyq.target to a module -----------------===//

#include "tinyq/Target/Passes.h"
#include "tinyq/Target/Target.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQSETTARGET
#include "tinyq/Target/Passes.h.inc"
} // namespace tinyq

using namespace mlir;
using namespace tinyq;

namespace {
struct SetTargetPass : tinyq::impl::TinyQSetTargetBase<SetTargetPass> {
  using Base::Base;

  void runOnOperation() override {
    llvm::Expected<TargetAttr> resolved =
        resolveTarget(&getContext(), target, cpu, floatAbi, features);
    if (!resolved) {
      getOperation().emitError(llvm::toString(resolved.takeError()));
      return signalPassFailure();
    }
    attachTarget(getOperation(), *resolved);
  }
};
} // namespace
