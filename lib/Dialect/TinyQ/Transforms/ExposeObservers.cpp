//===- ExposeObservers.cpp - Observed tensors as function results ---------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"

#include "mlir/IR/SymbolTable.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQEXPOSEOBSERVERS
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

using namespace mlir;
using namespace tinyq;

namespace {
struct ExposeObserversPass
    : tinyq::impl::TinyQExposeObserversBase<ExposeObserversPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    // New results would break call sites; calibration runs entry points.
    if (Operation *module = func->getParentOp())
      if (SymbolTable::symbolKnownUseEmpty(func, module) == false) {
        func.emitWarning() << "not exposing observers of a called function";
        return;
      }
    SmallVector<ObserveOp> observers;
    func.walk([&](ObserveOp op) { observers.push_back(op); });
    if (observers.empty())
      return;
    // Id order; program order among equal ids.
    SmallVector<std::pair<int64_t, unsigned>> order;
    for (auto [position, op] : llvm::enumerate(observers))
      order.emplace_back(int64_t(op.getId()), position);
    llvm::sort(order);
    SmallVector<Value> observed;
    SmallVector<int64_t> ids;
    for (auto [id, position] : order) {
      ObserveOp op = observers[position];
      observed.push_back(op.getInput());
      ids.push_back(int64_t(op.getId()));
      op.replaceAllUsesWith(op.getInput());
      op.erase();
    }
    unsigned firstNew = func.getNumResults();
    func.walk([&](func::ReturnOp ret) {
      SmallVector<Value> operands(ret.getOperands());
      llvm::append_range(operands, observed);
      ret->setOperands(operands);
    });
    SmallVector<Type> results(func.getResultTypes());
    for (Value value : observed)
      results.push_back(value.getType());
    func.setType(
        FunctionType::get(&getContext(), func.getArgumentTypes(), results));
    Builder builder(&getContext());
    for (auto [index, id] : llvm::enumerate(ids))
      func.setResultAttr(firstNew + index, "tinyq.observe_id",
                         builder.getI64IntegerAttr(id));
  }
};
} // namespace
