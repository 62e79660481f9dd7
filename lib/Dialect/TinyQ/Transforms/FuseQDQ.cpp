//===- FuseQDQ.cpp - Q/DQ around float layers into integer layers ---------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Numerics/FixedPoint.h"
#include "tinyq/Numerics/QuantParams.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <limits>

namespace tinyq {
#define GEN_PASS_DEF_TINYQFUSEQDQ
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-fuse-qdq"

using namespace mlir;
using namespace tinyq;

namespace {
/// A value that is `dcast(scast(storage))`: its integer storage and type.
struct Dequantized {
  Value storage;
  quant::QuantizedType type;
};

std::optional<Dequantized> matchDequantized(Value value) {
  auto dcast = value.getDefiningOp<quant::DequantizeCastOp>();
  if (!dcast)
    return std::nullopt;
  auto scast = dcast.getInput().getDefiningOp<quant::StorageCastOp>();
  if (!scast)
    return std::nullopt;
  auto type = dyn_cast<quant::QuantizedType>(
      getElementTypeOrSelf(scast.getResult().getType()));
  if (!type || !isa<IntegerType>(getElementTypeOrSelf(scast.getInput())))
    return std::nullopt;
  return Dequantized{scast.getInput(), type};
}

/// Whether \p type is a per-tensor signed 8-bit type over f32.
bool isPerTensorInt8(quant::QuantizedType type) {
  return isa<quant::UniformQuantizedType>(type) &&
         type.getStorageTypeIntegralWidth() == 8 && type.isSigned();
}

/// The weight scales per output channel (\p channels of them).
std::optional<SmallVector<double>> getWeightScales(quant::QuantizedType type,
                                                   int64_t channels,
                                                   int32_t channelAxis) {
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    if (perTensor.getZeroPoint() != 0)
      return std::nullopt;
    return SmallVector<double>(channels, perTensor.getScale());
  }
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  if (!perAxis || perAxis.getQuantizedDimension() != channelAxis ||
      int64_t(perAxis.getScales().size()) != channels ||
      llvm::any_of(perAxis.getZeroPoints(), [](int64_t z) { return z != 0; }))
    return std::nullopt;
  return SmallVector<double>(perAxis.getScales());
}

/// The clamp bounds of a float activation [low, high] on the output grid.
std::pair<int32_t, int32_t> quantizeClamp(double low, double high,
                                          quant::UniformQuantizedType output) {
  numerics::IntegerRange range{int32_t(output.getStorageTypeMin()),
                               int32_t(output.getStorageTypeMax())};
  numerics::QuantParams params{float(output.getScale()),
                               int32_t(output.getZeroPoint())};
  int32_t clampMin = std::isinf(low)
                         ? range.min
                         : numerics::quantize(float(low), params, range);
  int32_t clampMax = std::isinf(high)
                         ? range.max
                         : numerics::quantize(float(high), params, range);
  return {clampMin, clampMax};
}

template <typename FloatConv>
struct FuseConvolution : OpRewritePattern<quant::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    // qcast -> scast to integers.
    if (!qcast->hasOneUse())
      return rewriter.notifyMatchFailure(qcast, "quantized value reused");
    auto toStorage = dyn_cast<quant::StorageCastOp>(*qcast->user_begin());
    auto outputType = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(qcast.getResult().getType()));
    if (!toStorage || !outputType || !isPerTensorInt8(outputType))
      return rewriter.notifyMatchFailure(qcast, "not an int8 output");

    // [clamp ->] layer.
    Value value = qcast.getInput();
    double low = -INFINITY, high = INFINITY;
    if (auto clamp = value.getDefiningOp<tosa::ClampOp>()) {
      auto min = dyn_cast<FloatAttr>(clamp.getMinValAttr());
      auto max = dyn_cast<FloatAttr>(clamp.getMaxValAttr());
      if (!min || !max || !clamp->hasOneUse())
        return rewriter.notifyMatchFailure(qcast, "unsupported clamp");
      low = min.getValueAsDouble();
      high = max.getValueAsDouble();
      value = clamp.getInput();
    }
    auto conv = value.getDefiningOp<FloatConv>();
    if (!conv || !conv->hasOneUse())
      return rewriter.notifyMatchFailure(qcast, "no single-use layer");

    std::optional<Dequantized> input = matchDequantized(conv.getInput());
    std::optional<Dequantized> weights = matchDequantized(conv.getWeight());
    DenseFPElementsAttr bias;
    DenseIntElementsAttr weightValues;
    if (!input || !weights || !isPerTensorInt8(input->type) ||
        !matchPattern(weights->storage, m_Constant(&weightValues)) ||
        !matchPattern(conv.getBias(), m_Constant(&bias)))
      return rewriter.notifyMatchFailure(qcast, "operands not in Q/DQ form");
    auto inputType = cast<quant::UniformQuantizedType>(input->type);

    auto weightShape =
        cast<RankedTensorType>(weightValues.getType()).getShape();
    constexpr bool isDepthwise =
        std::is_same_v<FloatConv, tosa::DepthwiseConv2DOp>;
    if (isDepthwise && weightShape[3] != 1)
      return rewriter.notifyMatchFailure(qcast, "channel multiplier above 1");
    int64_t channels = isDepthwise ? weightShape[2] : weightShape[0];
    int32_t channelAxis = isDepthwise ? 2 : 0;
    std::optional<SmallVector<double>> weightScales =
        getWeightScales(weights->type, channels, channelAxis);
    if (!weightScales)
      return rewriter.notifyMatchFailure(qcast, "unsupported weight type");
    SmallVector<float> biasValues(bias.getValues<float>());
    if (biasValues.size() == 1)
      biasValues.assign(channels, biasValues.front());
    if (int64_t(biasValues.size()) != channels)
      return rewriter.notifyMatchFailure(qcast, "unsupported bias shape");

    // Integer bias and requantization, per output channel.
    SmallVector<int32_t> biasInt, multipliers, shifts;
    double inputScale = inputType.getScale();
    for (int64_t c = 0; c < channels; ++c) {
      double accumulatorScale = inputScale * (*weightScales)[c];
      double rounded = std::nearbyint(double(biasValues[c]) / accumulatorScale);
      rounded = std::clamp(rounded, double(std::numeric_limits<int32_t>::min()),
                           double(std::numeric_limits<int32_t>::max()));
      biasInt.push_back(int32_t(rounded));
      numerics::QuantizedMultiplier multiplier = numerics::quantizeMultiplier(
          accumulatorScale / outputType.getScale());
      multipliers.push_back(multiplier.multiplier);
      shifts.push_back(multiplier.shift);
    }
    std::pair<int32_t, int32_t> clamp = quantizeClamp(low, high, outputType);
    int32_t clampMin = clamp.first, clampMax = clamp.second;
    if (clampMin > clampMax)
      return rewriter.notifyMatchFailure(qcast, "empty clamp range");

    Location loc = conv.getLoc();
    auto biasType = RankedTensorType::get({channels}, rewriter.getI32Type());
    Value biasConst = tosa::ConstOp::create(
        rewriter, loc, biasType,
        DenseElementsAttr::get(biasType, ArrayRef<int32_t>(biasInt)));
    Value weightStorage = weights->storage;
    if (isDepthwise) {
      auto type = RankedTensorType::get(
          {weightShape[0], weightShape[1], weightShape[2]},
          weightValues.getElementType());
      weightStorage = tosa::ConstOp::create(rewriter, loc, type,
                                            weightValues.reshape(type));
    }
    auto resultType = cast<RankedTensorType>(toStorage.getType());
    auto create = [&](auto tag) -> Value {
      using Fused = typename decltype(tag)::type;
      return Fused::create(rewriter, loc, resultType, input->storage,
                           weightStorage, biasConst,
                           uint32_t(inputType.getZeroPoint()),
                           uint32_t(outputType.getZeroPoint()), multipliers,
                           shifts, uint32_t(clampMin), uint32_t(clampMax),
                           conv.getPad(), conv.getStride(), conv.getDilation());
    };
    Value fused;
    if constexpr (isDepthwise)
      fused = create(std::common_type<tinyq::DepthwiseConv2DOp>());
    else
      fused = create(std::common_type<tinyq::Conv2DOp>());
    rewriter.replaceOp(toStorage, fused);
    return success();
  }
};

/// op(dcast(scast(x))) -> dcast(scast(op(x))) for an op that commutes with
/// a per-tensor affine map of positive scale.
template <typename ScalePreservingOp>
struct DequantizeAfter : OpRewritePattern<ScalePreservingOp> {
  using OpRewritePattern<ScalePreservingOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ScalePreservingOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<Dequantized> input = matchDequantized(op->getOperand(0));
    if (!input || !isa<quant::UniformQuantizedType>(input->type))
      return rewriter.notifyMatchFailure(op,
                                         "input not dequantized per tensor");
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    Operation *integerOp = rewriter.clone(*op);
    integerOp->setOperand(0, input->storage);
    integerOp->getResult(0).setType(
        resultType.clone(getElementTypeOrSelf(input->storage)));
    Location loc = op.getLoc();
    Value quantized = quant::StorageCastOp::create(
        rewriter, loc, resultType.clone(input->type), integerOp->getResult(0));
    rewriter.replaceOpWithNewOp<quant::DequantizeCastOp>(op, resultType,
                                                         quantized);
    return success();
  }
};

struct FuseQDQPass : tinyq::impl::TinyQFuseQDQBase<FuseQDQPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DequantizeAfter<tosa::ReshapeOp>,
                 DequantizeAfter<tosa::TransposeOp>,
                 DequantizeAfter<tosa::MaxPool2dOp>>(&getContext());
    if (fuseLayers)
      patterns.add<FuseConvolution<tosa::Conv2DOp>,
                   FuseConvolution<tosa::DepthwiseConv2DOp>>(&getContext());
    // Folding would cancel the Q/DQ pairs this pass fuses.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};
} // namespace
