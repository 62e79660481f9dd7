//===- SimulateQuantization.cpp - Quantized model simulated in float ------===//

#include "tinyq/Dialect/TinyQ/Transforms/QuantChoice.h"

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQSIMULATEQUANTIZATION
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

using namespace mlir;
using namespace tinyq;

namespace {
struct SimulateQuantizationPass
    : tinyq::impl::TinyQSimulateQuantizationBase<SimulateQuantizationPass> {
  using Base::Base;

  void runOnOperation() override {
    auto fakeQuantize = [](OpBuilder &builder, Location loc, Value value,
                           quant::QuantizedType type) -> Value {
      return FakeQuantOp::create(builder, loc, value, TypeAttr::get(type));
    };
    if (failed(rewriteForQuantization(
            getOperation(), weightBits, activationBits, perTensor, fakeQuantize,
            [&](OpBuilder &builder, Location loc,
                const QuantizableWeights &weights, quant::QuantizedType type) {
              return fakeQuantize(builder, loc, weights.operand->get(), type);
            })))
      signalPassFailure();
  }
};
} // namespace
