//===- SignlessIntegers.cpp - Unsigned tensors to signless ----------------===//

#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQSIGNLESSINTEGERS
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

using namespace mlir;

/// \p type with unsigned integer elements made signless.
static Type toSignless(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  auto element = tensor ? dyn_cast<IntegerType>(tensor.getElementType())
                        : dyn_cast<IntegerType>(type);
  if (!element || !element.isUnsigned())
    return type;
  auto signless = IntegerType::get(type.getContext(), element.getWidth());
  return tensor ? Type(tensor.clone(signless)) : Type(signless);
}

namespace {
struct SignlessIntegersPass
    : tinyq::impl::TinyQSignlessIntegersBase<SignlessIntegersPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    for (Block &block : func.getBody())
      for (BlockArgument arg : block.getArguments())
        arg.setType(toSignless(arg.getType()));
    // Retyping walks ops in order; bitcasts between types that became equal
    // disappear, constants are rebuilt with the same bits.
    func.walk([&](Operation *op) {
      if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
        Type type = toSignless(constant.getType());
        auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
        if (type != constant.getType() && dense) {
          OpBuilder builder(constant);
          auto replacement = arith::ConstantOp::create(
              builder, constant.getLoc(),
              dense.bitcast(cast<ShapedType>(type).getElementType()));
          constant.replaceAllUsesWith(replacement.getResult());
          constant.erase();
        }
        return;
      }
      for (OpResult result : op->getResults())
        result.setType(toSignless(result.getType()));
      if (auto bitcast = dyn_cast<tensor::BitcastOp>(op))
        if (bitcast.getSource().getType() == bitcast.getType()) {
          bitcast.replaceAllUsesWith(bitcast.getSource());
          bitcast.erase();
        }
    });
    SmallVector<Type> inputs, results;
    for (Type type : func.getArgumentTypes())
      inputs.push_back(toSignless(type));
    for (Type type : func.getResultTypes())
      results.push_back(toSignless(type));
    func.setType(FunctionType::get(&getContext(), inputs, results));
  }
};
} // namespace
