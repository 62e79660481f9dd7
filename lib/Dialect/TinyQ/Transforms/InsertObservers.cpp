//===- InsertObservers.cpp - Calibration points on float tensors ----------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQINSERTOBSERVERS
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-insert-observers"

using namespace mlir;
using namespace tinyq;

/// Whether \p value is a float tensor that is not yet observed.
static bool needsObserver(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !isa<FloatType>(type.getElementType()))
    return false;
  return llvm::none_of(value.getUsers(),
                       [](Operation *user) { return isa<ObserveOp>(user); });
}

namespace {
struct InsertObserversPass
    : tinyq::impl::TinyQInsertObserversBase<InsertObserversPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    int64_t nextId = 0;
    func.walk([&](ObserveOp op) {
      nextId = std::max<int64_t>(nextId, int64_t(op.getId()) + 1);
    });
    OpBuilder builder(&getContext());
    // Observe `value` right after its definition; its other users read the
    // observed value.
    auto observe = [&](Value value, Location loc) {
      if (!needsObserver(value))
        return;
      auto observer =
          ObserveOp::create(builder, loc, value.getType(), value,
                            builder.getI64IntegerAttr(nextId++), RangeAttr());
      value.replaceAllUsesExcept(observer.getResult(), observer);
    };
    Block &entry = func.getBody().front();
    builder.setInsertionPointToStart(&entry);
    for (BlockArgument arg : entry.getArguments())
      observe(arg, func.getLoc());
    func.walk([&](Operation *op) {
      if (op->getDialect() == nullptr ||
          op->getDialect()->getNamespace() != "tosa" ||
          op->hasTrait<OpTrait::ConstantLike>())
        return;
      builder.setInsertionPointAfter(op);
      for (Value result : op->getResults())
        observe(result, op->getLoc());
    });
  }
};
} // namespace
