//===- SimulateQuantization.cpp - Quantized model simulated in float ------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Numerics/QuantParams.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQSIMULATEQUANTIZATION
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-simulate-quantization"

using namespace mlir;
using namespace tinyq;

/// A signed `bits`-bit quantized type over f32 with storage range \p range.
static quant::QuantizedType getActivationType(MLIRContext *context,
                                              unsigned bits,
                                              numerics::QuantParams params,
                                              numerics::IntegerRange range) {
  return quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed, IntegerType::get(context, bits),
      Float32Type::get(context), params.scale, params.zeroPoint, range.min,
      range.max);
}

/// Symmetric narrow-range weight quantization of \p weights, per index of
/// \p axis unless \p axis is empty.
static quant::QuantizedType getWeightType(DenseFPElementsAttr weights,
                                          unsigned bits,
                                          std::optional<unsigned> axis) {
  MLIRContext *context = weights.getContext();
  numerics::IntegerRange range = numerics::signedRange(bits, /*narrow=*/true);
  SmallVector<float> values(weights.getValues<float>());
  auto type = cast<RankedTensorType>(weights.getType());
  auto storage = IntegerType::get(context, bits);
  auto f32 = Float32Type::get(context);
  unsigned flags = quant::QuantizationFlags::Signed;
  if (!axis) {
    float absMax = 0;
    for (float value : values)
      absMax = std::max(absMax, std::fabs(value));
    numerics::QuantParams params =
        numerics::chooseSymmetricParams(absMax, range);
    return quant::UniformQuantizedType::get(flags, storage, f32, params.scale,
                                            0, range.min, range.max);
  }
  SmallVector<numerics::QuantParams> params(type.getDimSize(*axis));
  numerics::chooseSymmetricPerChannelParams(
      {values.data(), values.size()},
      {type.getShape().data(), type.getShape().size()}, *axis, range,
      {params.data(), params.size()});
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints(params.size(), 0);
  for (const numerics::QuantParams &param : params)
    scales.push_back(param.scale);
  return quant::UniformQuantizedPerAxisType::get(flags, storage, f32, scales,
                                                 zeroPoints, int32_t(*axis),
                                                 range.min, range.max);
}

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
    numerics::IntegerRange activationRange =
        numerics::signedRange(activationBits);

    WalkResult result = func.walk([&](ObserveOp op) {
      RangeAttr range = op.getRangeAttr();
      if (!range) {
        op.emitError("calibration point without a range: calibrate first");
        return WalkResult::interrupt();
      }
      numerics::QuantParams params = numerics::chooseAsymmetricParams(
          float(range.getMin().convertToDouble()),
          float(range.getMax().convertToDouble()), activationRange);
      builder.setInsertionPoint(op);
      auto fakeQuant = FakeQuantOp::create(
          builder, op.getLoc(), op.getInput(),
          TypeAttr::get(getActivationType(context, activationBits, params,
                                          activationRange)));
      op.replaceAllUsesWith(fakeQuant.getResult());
      op.erase();
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();

    func.walk([&](Operation *op) {
      std::optional<unsigned> axis;
      Value weights;
      if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
        weights = conv.getWeight();
        axis = 0;
      } else if (auto depthwise = dyn_cast<tosa::DepthwiseConv2DOp>(op)) {
        weights = depthwise.getWeight();
        auto type = cast<RankedTensorType>(weights.getType());
        if (type.getRank() == 4 && type.getDimSize(3) == 1)
          axis = 2;
      } else if (auto matmul = dyn_cast<tosa::MatMulOp>(op)) {
        weights = matmul.getB();
        axis = 2;
      } else {
        return;
      }
      DenseFPElementsAttr values;
      if (!matchPattern(weights, m_Constant(&values)) ||
          !values.getElementType().isF32())
        return;
      if (perTensor)
        axis = std::nullopt;
      builder.setInsertionPoint(op);
      auto fakeQuant = FakeQuantOp::create(
          builder, op->getLoc(), weights,
          TypeAttr::get(getWeightType(values, weightBits, axis)));
      op->replaceUsesOfWith(weights, fakeQuant.getResult());
    });
  }
};
} // namespace
