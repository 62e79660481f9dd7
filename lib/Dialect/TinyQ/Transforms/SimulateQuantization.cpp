//===- SimulateQuantization.cpp - Quantized model simulated in float ------===//

#include "QuantChoice.h"

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQSIMULATEQUANTIZATION
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-simulate-quantization"

using namespace mlir;
using namespace tinyq;

namespace {
struct SimulateQuantizationPass
    : tinyq::impl::TinyQSimulateQuantizationBase<SimulateQuantizationPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (weightBits < 2 || weightBits > 8 || activationBits < 2 ||
        activationBits > 16) {
      func.emitError("weight bits must be in [2, 8] and activation bits in "
                     "[2, 16]");
      return signalPassFailure();
    }
    MLIRContext *context = &getContext();
    OpBuilder builder(context);
    WalkResult result = func.walk([&](ObserveOp op) {
      RangeAttr range = op.getRangeAttr();
      if (!range) {
        op.emitError("calibration point without a range: calibrate first");
        return WalkResult::interrupt();
      }
      builder.setInsertionPoint(op);
      auto fakeQuant = FakeQuantOp::create(
          builder, op.getLoc(), op.getInput(),
          TypeAttr::get(getActivationType(context, range, activationBits)));
      op.replaceAllUsesWith(fakeQuant.getResult());
      op.erase();
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();

    func.walk([&](Operation *op) {
      std::optional<QuantizableWeights> weights =
          getQuantizableWeights(op, perTensor);
      if (!weights)
        return;
      builder.setInsertionPoint(op);
      auto fakeQuant = FakeQuantOp::create(
          builder, op->getLoc(), weights->operand->get(),
          TypeAttr::get(getWeightType(*weights, weightBits)));
      weights->operand->set(fakeQuant.getResult());
    });
  }
};
} // namespace
