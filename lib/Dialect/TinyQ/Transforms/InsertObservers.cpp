//===- InsertObservers.cpp - Calibration points on float tensors ----------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Dialect/TinyQ/Utils/Indexing.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQINSERTOBSERVERS
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

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

/// Whether an integer kernel never materializes \p value: a layer result
/// that goes straight into its activation or (through reshapes) into its
/// bias addition is fused with it; scale-preserving ops (reshape,
/// transpose, max pooling) share their input's quantization.
static bool isFusedOrScalePreserving(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def)
    return false;
  if (isa<tosa::ReshapeOp, tosa::TransposeOp, tosa::MaxPool2dOp>(def))
    return true;
  if (!isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::MatMulOp,
           tosa::AddOp>(def))
    return false;
  Operation *user = getSingleUser(value);
  while (user && isa<tosa::ReshapeOp>(user) && isa<tosa::MatMulOp>(def))
    user = getSingleUser(user->getResult(0));
  if (!user)
    return false;
  if (isa<tosa::ClampOp>(user))
    return true;
  // A matmul's bias: an addition of a constant.
  return isa<tosa::MatMulOp>(def) && isa<tosa::AddOp>(user) &&
         llvm::any_of(user->getOperands(), [](Value operand) {
           return matchPattern(operand, m_Constant());
         });
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
        if (!isFusedOrScalePreserving(result))
          observe(result, op->getLoc());
    });
  }
};
} // namespace
