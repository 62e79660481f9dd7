//===- CopyAliasedResults.cpp - Distinct values for function results ------===//

#include "tinyq/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQCOPYALIASEDRESULTS
#include "tinyq/Transforms/Passes.h.inc"
} // namespace tinyq

using namespace mlir;

namespace {
struct CopyAliasedResultsPass
    : tinyq::impl::TinyQCopyAliasedResultsBase<CopyAliasedResultsPass> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp returnOp) {
      OpBuilder builder(returnOp);
      llvm::SmallPtrSet<Value, 8> returned;
      for (OpOperand &operand : returnOp->getOpOperands()) {
        Value value = operand.get();
        auto type = dyn_cast<RankedTensorType>(value.getType());
        bool aliased =
            isa<BlockArgument>(value) || !returned.insert(value).second;
        if (!type || !type.hasStaticShape() || !aliased)
          continue;
        Location loc = returnOp.getLoc();
        Value init = tensor::EmptyOp::create(builder, loc, type.getShape(),
                                             type.getElementType());
        operand.set(
            linalg::CopyOp::create(builder, loc, value, init).getResult(0));
      }
    });
  }
};
} // namespace
