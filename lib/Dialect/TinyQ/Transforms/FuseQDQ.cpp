//===- FuseQDQ.cpp - Q/DQ around float layers into integer layers ---------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Dialect/TinyQ/Transforms/QuantChoice.h"
#include "tinyq/Dialect/TinyQ/Utils/Indexing.h"
#include "tinyq/Dialect/TinyQ/Utils/NumericsBridge.h"
#include "tinyq/Dialect/Tosa/Utils/TosaBuilders.h"
#include "tinyq/Numerics/FixedPoint.h"
#include "tinyq/Numerics/QuantParams.h"
#include "tinyq/Numerics/Reference.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Matchers.h"
#include "tinyq/Dialect/TinyQ/Utils/QuantRewrites.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Support/Debug.h"

#include <cmath>

namespace tinyq {
#define GEN_PASS_DEF_TINYQFUSEQDQ
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-fuse-qdq"

using namespace mlir;
using namespace tinyq;

ALWAYS_ENABLED_STATISTIC(NumIntegerLayers,
                         "Integer convolutions and fully connected layers");
ALWAYS_ENABLED_STATISTIC(NumFloatLayers,
                         "Convolutions and matmuls left in float");

/// The SPARQ configuration of \p layer's precision, if it has one: the
/// fused integer layer applies it to its activations.
static SparqAttr getLayerSparq(Operation *layer) {
  auto precision =
      layer->getAttrOfType<PrecisionAttr>(PrecisionAttr::kAttrName);
  return precision ? precision.getSparq() : SparqAttr();
}

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

/// The real values of a constant: a float constant, or the dequantization
/// `(q - z) * s` (in double, so that an int32 bias quantized at the
/// accumulator scale comes back exactly) of an integer constant in Q/DQ
/// form. Per-axis parameters apply along their axis.
std::optional<SmallVector<double>> getRealConstant(Value value) {
  DenseFPElementsAttr floats;
  if (matchPattern(value, m_Constant(&floats)))
    return llvm::to_vector(llvm::map_range(floats.getValues<float>(),
                                           [](float v) { return double(v); }));
  std::optional<Dequantized> dequantized = matchDequantized(value);
  DenseIntElementsAttr storage;
  if (!dequantized || !matchPattern(dequantized->storage, m_Constant(&storage)))
    return std::nullopt;
  ArrayRef<int64_t> shape = storage.getType().getShape();
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  std::optional<int64_t> axis;
  if (auto perTensor =
          dyn_cast<quant::UniformQuantizedType>(dequantized->type)) {
    scales.push_back(perTensor.getScale());
    zeroPoints.push_back(perTensor.getZeroPoint());
  } else if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(
                 dequantized->type)) {
    scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
    zeroPoints.assign(perAxis.getZeroPoints().begin(),
                      perAxis.getZeroPoints().end());
    axis = perAxis.getQuantizedDimension();
  } else {
    return std::nullopt;
  }
  AxisIndexer channelOf(shape, axis);
  SmallVector<double> values;
  for (auto [index, q] : llvm::enumerate(storage.getValues<APInt>())) {
    int64_t channel = channelOf(index);
    values.push_back(double(q.getSExtValue() - zeroPoints[channel]) *
                     scales[channel]);
  }
  return values;
}

/// Replaces \p op's float result with dcast(scast(\p storage)) through the
/// quantized tensor type \p quantizedType: the Q/DQ form of integers.
void replaceWithDequantized(PatternRewriter &rewriter, Operation *op,
                            Value storage, RankedTensorType quantizedType) {
  Value quantized = quant::StorageCastOp::create(rewriter, op->getLoc(),
                                                 quantizedType, storage);
  rewriter.replaceOpWithNewOp<quant::DequantizeCastOp>(
      op, op->getResult(0).getType(), quantized);
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

/// `[clamp ->] qcast -> scast to int8`: the end of a layer in Q/DQ form.
struct QuantizedOutput {
  /// The integers the fused layer replaces.
  quant::StorageCastOp toStorage;
  quant::UniformQuantizedType type;
  /// The float activation bounds (infinite without a clamp).
  double low = -INFINITY, high = INFINITY;
  /// The layer's float result.
  Value layerResult;
};

std::optional<QuantizedOutput>
matchQuantizedOutput(quant::QuantizeCastOp qcast) {
  if (!qcast->hasOneUse())
    return std::nullopt;
  QuantizedOutput output;
  output.toStorage = dyn_cast<quant::StorageCastOp>(*qcast->user_begin());
  output.type = dyn_cast<quant::UniformQuantizedType>(
      getElementTypeOrSelf(qcast.getResult().getType()));
  if (!output.toStorage || !output.type || !isPerTensorInt8(output.type))
    return std::nullopt;
  output.layerResult = qcast.getInput();
  if (auto clamp = output.layerResult.getDefiningOp<tosa::ClampOp>()) {
    auto min = dyn_cast<FloatAttr>(clamp.getMinValAttr());
    auto max = dyn_cast<FloatAttr>(clamp.getMaxValAttr());
    if (!min || !max || !clamp->hasOneUse())
      return std::nullopt;
    output.low = min.getValueAsDouble();
    output.high = max.getValueAsDouble();
    output.layerResult = clamp.getInput();
  }
  if (!output.layerResult.hasOneUse())
    return std::nullopt;
  return output;
}

/// The clamp of \p output's activation on its integer grid, unless empty.
std::optional<std::pair<int32_t, int32_t>>
getIntegerClamp(const QuantizedOutput &output) {
  auto clamp = quantizeClamp(output.low, output.high, output.type);
  if (clamp.first > clamp.second)
    return std::nullopt;
  return clamp;
}

/// The integers of \p input in the quantization \p output: the storage
/// itself when the parameters are equal, else a tinyq.requantize from int8
/// to int8 by `s_in / s_out`, saturating to \p output's range.
Value rescale(OpBuilder &builder, Location loc, const Dequantized &input,
              quant::UniformQuantizedType output) {
  auto inputType = cast<quant::UniformQuantizedType>(input.type);
  if (inputType.getScale() == output.getScale() &&
      inputType.getZeroPoint() == output.getZeroPoint())
    return input.storage;
  numerics::QuantizedMultiplier multiplier =
      numerics::quantizeMultiplier(inputType.getScale() / output.getScale());
  return tinyq::RequantizeOp::create(
      builder, loc, input.storage.getType(), input.storage,
      int32_t(inputType.getZeroPoint()),
      ArrayRef<int32_t>{multiplier.multiplier},
      ArrayRef<int32_t>{multiplier.shift}, int32_t(output.getZeroPoint()),
      int32_t(output.getStorageTypeMin()), int32_t(output.getStorageTypeMax()),
      IntegerAttr());
}

/// Base of the patterns that fuse `FloatOp [-> clamp] -> qcast -> scast`:
/// matches the layer's quantized output and its operation, then calls
/// `Derived::fuse`.
template <typename Derived, typename FloatOp>
struct FuseLayerPattern : OpRewritePattern<quant::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const final {
    std::optional<QuantizedOutput> output = matchQuantizedOutput(qcast);
    if (!output)
      return rewriter.notifyMatchFailure(qcast, "not an int8 layer output");
    auto op = output->layerResult.getDefiningOp<FloatOp>();
    if (!op)
      return rewriter.notifyMatchFailure(qcast, "not the operation fused");
    FailureOr<Value> fused =
        static_cast<const Derived *>(this)->fuse(op, *output, rewriter);
    if (failed(fused))
      return failure();
    // The layer's chosen precision stays visible on the integer op.
    if (Attribute precision = op->getAttr(PrecisionAttr::kAttrName))
      if (Operation *integerOp = fused->getDefiningOp())
        integerOp->setAttr(PrecisionAttr::kAttrName, precision);
    rewriter.replaceOp(output->toStorage, *fused);
    return success();
  }
};

/// The integer bias, requantization and clamp of a fused layer.
struct Requantization {
  SmallVector<int32_t> bias, multipliers, shifts;
  int32_t clampMin, clampMax;
};

/// Bias `quantizeBias(bias, s_in, s_w[c])` and multipliers for
/// `s_in * s_w[c] / s_out`; a one-element bias broadcasts.
std::optional<Requantization>
computeRequantization(double inputScale, ArrayRef<double> weightScales,
                      SmallVector<double> bias, const QuantizedOutput &output) {
  size_t channels = weightScales.size();
  if (bias.size() == 1)
    bias.assign(channels, bias.front());
  if (bias.size() != channels)
    return std::nullopt;
  Requantization result;
  for (size_t c = 0; c < channels; ++c) {
    result.bias.push_back(
        numerics::quantizeBias(bias[c], inputScale, weightScales[c]));
    numerics::QuantizedMultiplier multiplier = numerics::quantizeMultiplier(
        inputScale * weightScales[c] / output.type.getScale());
    result.multipliers.push_back(multiplier.multiplier);
    result.shifts.push_back(multiplier.shift);
  }
  std::optional<std::pair<int32_t, int32_t>> clamp = getIntegerClamp(output);
  if (!clamp)
    return std::nullopt;
  std::tie(result.clampMin, result.clampMax) = *clamp;
  return result;
}

Value createBiasConstant(PatternRewriter &rewriter, Location loc,
                         ArrayRef<int32_t> bias) {
  auto type =
      RankedTensorType::get({int64_t(bias.size())}, rewriter.getI32Type());
  return tosa::ConstOp::create(rewriter, loc, type,
                               DenseElementsAttr::get(type, bias));
}

template <typename FloatConv>
struct FuseConvolution
    : FuseLayerPattern<FuseConvolution<FloatConv>, FloatConv> {
  using FuseLayerPattern<FuseConvolution<FloatConv>,
                         FloatConv>::FuseLayerPattern;

  FailureOr<Value> fuse(FloatConv conv, QuantizedOutput &output,
                        PatternRewriter &rewriter) const {

    std::optional<Dequantized> input = matchDequantized(conv.getInput());
    std::optional<Dequantized> weights = matchDequantized(conv.getWeight());
    std::optional<SmallVector<double>> bias = getRealConstant(conv.getBias());
    DenseIntElementsAttr weightValues;
    if (!input || !weights || !bias || !isPerTensorInt8(input->type) ||
        !matchPattern(weights->storage, m_Constant(&weightValues)))
      return rewriter.notifyMatchFailure(conv, "operands not in Q/DQ form");
    auto inputType = cast<quant::UniformQuantizedType>(input->type);

    auto weightShape =
        cast<RankedTensorType>(weightValues.getType()).getShape();
    constexpr bool isDepthwise =
        std::is_same_v<FloatConv, tosa::DepthwiseConv2DOp>;
    if (isDepthwise && weightShape[3] != 1)
      return rewriter.notifyMatchFailure(conv, "channel multiplier above 1");
    int64_t channels = isDepthwise ? weightShape[2] : weightShape[0];
    int32_t channelAxis = isDepthwise ? 2 : 0;
    std::optional<SmallVector<double>> weightScales =
        getWeightScales(weights->type, channels, channelAxis);
    if (!weightScales)
      return rewriter.notifyMatchFailure(conv, "unsupported weight type");
    std::optional<Requantization> requantization = computeRequantization(
        inputType.getScale(), *weightScales, *bias, output);
    if (!requantization)
      return rewriter.notifyMatchFailure(conv, "unsupported bias or clamp");

    Location loc = conv.getLoc();
    Value biasConst = createBiasConstant(rewriter, loc, requantization->bias);
    Value weightStorage = weights->storage;
    if (isDepthwise) {
      auto type = RankedTensorType::get(
          {weightShape[0], weightShape[1], weightShape[2]},
          weightValues.getElementType());
      weightStorage = tosa::ConstOp::create(rewriter, loc, type,
                                            weightValues.reshape(type));
    }
    auto resultType = cast<RankedTensorType>(output.toStorage.getType());
    auto create = [&](auto tag) -> Value {
      using Fused = typename decltype(tag)::type;
      return Fused::create(
          rewriter, loc, resultType, input->storage, weightStorage, biasConst,
          int32_t(inputType.getZeroPoint()),
          int32_t(output.type.getZeroPoint()), requantization->multipliers,
          requantization->shifts, requantization->clampMin,
          requantization->clampMax, getLayerSparq(conv), conv.getPad(),
          conv.getStride(), conv.getDilation());
    };
    Value fused;
    if constexpr (isDepthwise)
      fused = create(std::common_type<tinyq::DepthwiseConv2DOp>());
    else
      fused = create(std::common_type<tinyq::Conv2DOp>());
    return fused;
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
    replaceWithDequantized(rewriter, op, integerOp->getResult(0),
                           resultType.clone(input->type));
    return success();
  }
};

/// `matmul([1, R, K] dcast, [1, K, N] dcast const) -> reshape [R, N]
/// [-> add bias] [-> clamp] -> qcast` (the import of Gemm) into
/// tinyq.fully_connected on `[R, K]` integers and `[N, K]` weights.
struct FuseFullyConnected : OpRewritePattern<quant::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    std::optional<QuantizedOutput> output = matchQuantizedOutput(qcast);
    if (!output)
      return rewriter.notifyMatchFailure(qcast, "not an int8 layer output");
    Value value = output->layerResult;
    std::optional<SmallVector<double>> bias;
    RankedTensorType biasType;
    if (auto add = value.getDefiningOp<tosa::AddOp>()) {
      for (unsigned index : {0u, 1u})
        if ((bias = getRealConstant(add->getOperand(1 - index)))) {
          biasType =
              cast<RankedTensorType>(add->getOperand(1 - index).getType());
          value = add->getOperand(index);
          break;
        }
      if (!bias)
        return rewriter.notifyMatchFailure(qcast, "addition is not a bias");
    }
    auto reshape = value.getDefiningOp<tosa::ReshapeOp>();
    if (!reshape || !reshape->hasOneUse())
      return rewriter.notifyMatchFailure(qcast, "no reshaped matmul");
    auto matmul = reshape.getInput1().getDefiningOp<tosa::MatMulOp>();
    if (!matmul || !matmul->hasOneUse())
      return rewriter.notifyMatchFailure(qcast, "no matmul");
    std::optional<Dequantized> input = matchDequantized(matmul.getA());
    std::optional<Dequantized> weights = matchDequantized(matmul.getB());
    DenseIntElementsAttr weightValues;
    if (!input || !weights || !isPerTensorInt8(input->type) ||
        !matchPattern(weights->storage, m_Constant(&weightValues)))
      return rewriter.notifyMatchFailure(qcast, "operands not in Q/DQ form");
    ArrayRef<int64_t> inputShape =
        cast<RankedTensorType>(input->storage.getType()).getShape();
    ArrayRef<int64_t> weightShape =
        cast<RankedTensorType>(weightValues.getType()).getShape();
    auto resultType = cast<RankedTensorType>(output->toStorage.getType());
    if (inputShape.size() != 3 || inputShape[0] != 1 || weightShape[0] != 1 ||
        resultType.getShape() !=
            ArrayRef<int64_t>({inputShape[1], weightShape[2]}))
      return rewriter.notifyMatchFailure(qcast, "unsupported shapes");
    int64_t rows = inputShape[1], depth = inputShape[2],
            outputs = weightShape[2];
    std::optional<SmallVector<double>> weightScales =
        getWeightScales(weights->type, outputs, /*channelAxis=*/2);
    if (!weightScales)
      return rewriter.notifyMatchFailure(qcast, "unsupported weight type");
    SmallVector<double> biasValues{0.0};
    if (bias) {
      auto biasShape = biasType.getShape();
      int64_t count = biasType.getNumElements();
      if (count != outputs && count != 1)
        return rewriter.notifyMatchFailure(qcast, "unsupported bias shape");
      if (!biasShape.empty() && biasShape.back() != count)
        return rewriter.notifyMatchFailure(qcast, "bias varies along rows");
      biasValues = *bias;
    }
    auto inputType = cast<quant::UniformQuantizedType>(input->type);
    std::optional<Requantization> requantization = computeRequantization(
        inputType.getScale(), *weightScales, biasValues, *output);
    if (!requantization)
      return rewriter.notifyMatchFailure(qcast, "unsupported bias or clamp");

    Location loc = matmul.getLoc();
    // [1, K, N] -> [N, K].
    SmallVector<APInt> transposed;
    auto storedWeights = llvm::to_vector(weightValues.getValues<APInt>());
    for (int64_t n = 0; n < outputs; ++n)
      for (int64_t k = 0; k < depth; ++k)
        transposed.push_back(storedWeights[k * outputs + n]);
    auto fcWeightsType =
        RankedTensorType::get({outputs, depth}, weightValues.getElementType());
    Value fcWeights = tosa::ConstOp::create(
        rewriter, loc, fcWeightsType,
        DenseElementsAttr::get(fcWeightsType, transposed));
    Value fcInput = createReshape(rewriter, loc, input->storage, {rows, depth});
    Value fused = tinyq::FullyConnectedOp::create(
        rewriter, loc, resultType, fcInput, fcWeights,
        createBiasConstant(rewriter, loc, requantization->bias),
        int32_t(inputType.getZeroPoint()), int32_t(output->type.getZeroPoint()),
        requantization->multipliers, requantization->shifts,
        requantization->clampMin, requantization->clampMax,
        getLayerSparq(matmul));
    if (Attribute precision = matmul->getAttr(PrecisionAttr::kAttrName))
      fused.getDefiningOp()->setAttr(PrecisionAttr::kAttrName, precision);
    rewriter.replaceOp(output->toStorage, fused);
    return success();
  }
};

/// `add(dcast, dcast) [-> clamp] -> qcast` of same-shape int8 tensors into
/// tinyq.add with TFLite's rescaling.
struct FuseAdd : FuseLayerPattern<FuseAdd, tosa::AddOp> {
  using FuseLayerPattern::FuseLayerPattern;

  /// Headroom TFLite gives 8-bit additions.
  static constexpr int32_t kLeftShift = 20;

  FailureOr<Value> fuse(tosa::AddOp add, QuantizedOutput &output,
                        PatternRewriter &rewriter) const {
    std::optional<Dequantized> lhs = matchDequantized(add.getInput1());
    std::optional<Dequantized> rhs = matchDequantized(add.getInput2());
    if (!lhs || !rhs || !isPerTensorInt8(lhs->type) ||
        !isPerTensorInt8(rhs->type))
      return rewriter.notifyMatchFailure(add, "operands not in Q/DQ form");
    auto resultType = cast<RankedTensorType>(output.toStorage.getType());
    if (cast<RankedTensorType>(lhs->storage.getType()).getShape() !=
            resultType.getShape() ||
        cast<RankedTensorType>(rhs->storage.getType()).getShape() !=
            resultType.getShape())
      return rewriter.notifyMatchFailure(add, "broadcasting addition");

    auto lhsType = cast<quant::UniformQuantizedType>(lhs->type);
    auto rhsType = cast<quant::UniformQuantizedType>(rhs->type);
    double twiceMaxScale = 2 * std::max(lhsType.getScale(), rhsType.getScale());
    numerics::QuantizedMultiplier multipliers[] = {
        numerics::quantizeMultiplier(lhsType.getScale() / twiceMaxScale),
        numerics::quantizeMultiplier(rhsType.getScale() / twiceMaxScale),
        numerics::quantizeMultiplier(
            twiceMaxScale /
            (double(int64_t(1) << kLeftShift) * output.type.getScale()))};
    std::optional<std::pair<int32_t, int32_t>> clamp = getIntegerClamp(output);
    if (!clamp)
      return rewriter.notifyMatchFailure(add, "empty clamp range");
    auto [clampMin, clampMax] = *clamp;
    SmallVector<int32_t> multiplierValues, shiftValues;
    for (const numerics::QuantizedMultiplier &m : multipliers) {
      multiplierValues.push_back(m.multiplier);
      shiftValues.push_back(m.shift);
    }
    Value fused = tinyq::AddOp::create(
        rewriter, add.getLoc(), resultType, lhs->storage, rhs->storage,
        int32_t(lhsType.getZeroPoint()), int32_t(rhsType.getZeroPoint()),
        int32_t(output.type.getZeroPoint()), int32_t(kLeftShift),
        multiplierValues, shiftValues, clampMin, clampMax);
    return fused;
  }
};

/// `avg_pool2d(dcast) [-> clamp] -> qcast` of a per-tensor int8 input into
/// tinyq.avg_pool2d, requantizing by `s_in / s_out`.
struct FuseAvgPool : FuseLayerPattern<FuseAvgPool, tosa::AvgPool2dOp> {
  using FuseLayerPattern::FuseLayerPattern;

  FailureOr<Value> fuse(tosa::AvgPool2dOp pool, QuantizedOutput &output,
                        PatternRewriter &rewriter) const {
    std::optional<Dequantized> input = matchDequantized(pool.getInput());
    if (!input || !isPerTensorInt8(input->type))
      return rewriter.notifyMatchFailure(pool, "input not in Q/DQ form");
    auto inputType = cast<quant::UniformQuantizedType>(input->type);
    numerics::QuantizedMultiplier multiplier = numerics::quantizeMultiplier(
        inputType.getScale() / output.type.getScale());
    std::optional<std::pair<int32_t, int32_t>> clamp = getIntegerClamp(output);
    if (!clamp)
      return rewriter.notifyMatchFailure(pool, "empty clamp range");
    auto [clampMin, clampMax] = *clamp;
    Value fused = tinyq::AvgPool2DOp::create(
        rewriter, pool.getLoc(), output.toStorage.getType(), input->storage,
        int32_t(inputType.getZeroPoint()), int32_t(output.type.getZeroPoint()),
        ArrayRef<int32_t>{multiplier.multiplier},
        ArrayRef<int32_t>{multiplier.shift}, clampMin, clampMax,
        pool.getKernel(), pool.getStride(), pool.getPad());
    return fused;
  }
};

/// `concat(dcast, ...) -> qcast` of per-tensor int8 tensors (no clamp) into a
/// concatenation of the integers, each input rescaled to the output's
/// quantization where it differs (TFLite's rule).
struct FuseConcat : FuseLayerPattern<FuseConcat, tosa::ConcatOp> {
  using FuseLayerPattern::FuseLayerPattern;

  FailureOr<Value> fuse(tosa::ConcatOp concat, QuantizedOutput &output,
                        PatternRewriter &rewriter) const {
    if (!std::isinf(output.low) || !std::isinf(output.high))
      return rewriter.notifyMatchFailure(concat, "clamped concatenation");
    SmallVector<Value> inputs;
    for (Value operand : concat.getInput1()) {
      std::optional<Dequantized> input = matchDequantized(operand);
      if (!input || !isPerTensorInt8(input->type))
        return rewriter.notifyMatchFailure(concat, "input not in Q/DQ form");
      inputs.push_back(rescale(rewriter, concat.getLoc(), *input, output.type));
    }
    Value fused = tosa::ConcatOp::create(rewriter, concat.getLoc(),
                                         output.toStorage.getType(), inputs,
                                         concat.getAxisAttr());
    return fused;
  }
};

/// `pad(dcast, constant) -> qcast` of a per-tensor int8 tensor (no clamp)
/// into a padding of the integers (rescaled to the output's quantization
/// where it differs) with the pad value quantized.
struct FusePad : FuseLayerPattern<FusePad, tosa::PadOp> {
  using FuseLayerPattern::FuseLayerPattern;

  FailureOr<Value> fuse(tosa::PadOp pad, QuantizedOutput &output,
                        PatternRewriter &rewriter) const {
    std::optional<Dequantized> input = matchDequantized(pad.getInput1());
    DenseFPElementsAttr padValue;
    if (!input || !isPerTensorInt8(input->type) ||
        !matchPattern(pad.getPadConst(), m_Constant(&padValue)) ||
        !std::isinf(output.low) || !std::isinf(output.high))
      return rewriter.notifyMatchFailure(pad, "not a padding in Q/DQ form");
    numerics::IntegerRange range{int32_t(output.type.getStorageTypeMin()),
                                 int32_t(output.type.getStorageTypeMax())};
    int32_t quantizedPad = numerics::quantize(
        *padValue.getValues<float>().begin(),
        {float(output.type.getScale()), int32_t(output.type.getZeroPoint())},
        range);
    Location loc = pad.getLoc();
    auto storageType = cast<RankedTensorType>(input->storage.getType());
    auto padType = RankedTensorType::get({1}, storageType.getElementType());
    Value padConst = tosa::ConstOp::create(
        rewriter, loc, padType,
        DenseElementsAttr::get(padType,
                               APInt(storageType.getElementTypeBitWidth(),
                                     quantizedPad, /*isSigned=*/true)));
    Value fused =
        tosa::PadOp::create(rewriter, loc, output.toStorage.getType(),
                            rescale(rewriter, loc, *input, output.type),
                            pad.getPadding(), padConst);
    return fused;
  }
};

/// reshape / transpose of an integer constant -> the constant it computes
/// (the pass runs without folding, so the weights that the importers
/// reshape or transpose in Q/DQ form must be folded here).
template <typename DataMovementOp>
struct FoldIntegerConstant : OpRewritePattern<DataMovementOp> {
  using OpRewritePattern<DataMovementOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(DataMovementOp op,
                                PatternRewriter &rewriter) const override {
    DenseIntElementsAttr input;
    if (!matchPattern(op->getOperand(0), m_Constant(&input)))
      return rewriter.notifyMatchFailure(op, "input not an integer constant");
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    DenseElementsAttr result;
    if constexpr (std::is_same_v<DataMovementOp, tosa::TransposeOp>) {
      auto values = llvm::to_vector(input.getValues<APInt>());
      SmallVector<APInt> transposed;
      for (int64_t source : numerics::reference::getTransposeSources(
               toSpan(input.getType().getShape()), toSpan(op.getPerms())))
        transposed.push_back(values[source]);
      result = DenseElementsAttr::get(type, transposed);
    } else {
      result = input.reshape(type);
    }
    rewriter.replaceOpWithNewOp<tosa::ConstOp>(op, type, result);
    return success();
  }
};

/// reshape(dcast(scast(integer constant))) with per-axis parameters ->
/// dcast(scast(reshaped constant)), the quantized axis moved to the
/// result dimension that holds the same channels (same size, same number of
/// elements after it): how TFLite's [1, KH, KW, C] depthwise filters reach
/// TOSA's [KH, KW, C, 1].
struct ReshapePerAxisConstant : OpRewritePattern<tosa::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::ReshapeOp reshape,
                                PatternRewriter &rewriter) const override {
    std::optional<Dequantized> input = matchDequantized(reshape.getInput1());
    DenseIntElementsAttr storage;
    auto perAxis =
        input ? dyn_cast<quant::UniformQuantizedPerAxisType>(input->type)
              : nullptr;
    if (!perAxis || !matchPattern(input->storage, m_Constant(&storage)))
      return rewriter.notifyMatchFailure(reshape, "not a per-axis constant");
    auto resultType = cast<RankedTensorType>(reshape.getType());
    ArrayRef<int64_t> from = storage.getType().getShape(),
                      to = resultType.getShape();
    int32_t axis = perAxis.getQuantizedDimension();
    auto innerSize = [](ArrayRef<int64_t> shape, int64_t dim) {
      int64_t size = 1;
      for (int64_t extent : shape.drop_front(dim + 1))
        size *= extent;
      return size;
    };
    std::optional<int32_t> newAxis;
    for (int64_t dim = 0, e = to.size(); dim < e && !newAxis; ++dim)
      if (to[dim] == from[axis] && innerSize(to, dim) == innerSize(from, axis))
        newAxis = int32_t(dim);
    if (!newAxis)
      return rewriter.notifyMatchFailure(reshape, "the channels do not stay");
    auto quantized = quant::UniformQuantizedPerAxisType::get(
        perAxis.getFlags(), perAxis.getStorageType(),
        perAxis.getExpressedType(), perAxis.getScales(),
        perAxis.getZeroPoints(), *newAxis, perAxis.getStorageTypeMin(),
        perAxis.getStorageTypeMax());
    Location loc = reshape.getLoc();
    auto storageType = resultType.clone(storage.getElementType());
    Value constant = tosa::ConstOp::create(rewriter, loc, storageType,
                                           storage.reshape(storageType));
    replaceWithDequantized(rewriter, reshape, constant,
                           resultType.clone(quantized));
    return success();
  }
};

/// qcast(dcast(scast(x))) -> scast(x) to the same quantized type, or
/// scast(requantize(x)) between per-tensor int8 types: the quantize /
/// dequantize pair between two integer layers disappears.
struct CancelQuantizePair : OpRewritePattern<quant::QuantizeCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::QuantizeCastOp qcast,
                                PatternRewriter &rewriter) const override {
    auto dcast = qcast.getInput().getDefiningOp<quant::DequantizeCastOp>();
    if (!dcast)
      return rewriter.notifyMatchFailure(qcast, "not a requantization");
    if (dcast.getInput().getType() == qcast.getType()) {
      rewriter.replaceOp(qcast, dcast.getInput());
      return success();
    }
    std::optional<Dequantized> input = matchDequantized(dcast);
    auto output = dyn_cast<quant::UniformQuantizedType>(
        getElementTypeOrSelf(qcast.getType()));
    if (!input || !isPerTensorInt8(input->type) || !output ||
        !isPerTensorInt8(output))
      return rewriter.notifyMatchFailure(qcast, "not between int8 tensors");
    Value rescaled = rescale(rewriter, qcast.getLoc(), *input, output);
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(qcast, qcast.getType(),
                                                      rescaled);
    return success();
  }
};

/// scast(scast(x)) of integers x through a quantized type back to x's
/// type -> x. (The opposite round trip is the form the patterns match.)
struct FoldStorageCastPair : OpRewritePattern<quant::StorageCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::StorageCastOp cast,
                                PatternRewriter &rewriter) const override {
    auto inner = cast.getInput().getDefiningOp<quant::StorageCastOp>();
    if (!inner || inner.getInput().getType() != cast.getType() ||
        !isa<IntegerType>(getElementTypeOrSelf(cast.getType())))
      return rewriter.notifyMatchFailure(cast, "not a round trip");
    rewriter.replaceOp(cast, inner.getInput());
    return success();
  }
};

/// Gives every quantized activation its integer storage, as tinyq-quantize
/// does: a quantized value (a function argument, or a result of anything
/// but an scast from integers) with users other than one scast to integers
/// becomes scast(scast(v)), so that its users read dcast(scast(int)) and its
/// producer, if a qcast, feeds exactly one scast.
void exposeIntegerStorage(func::FuncOp func) {
  SmallVector<Value> values(func.getArguments());
  func.walk([&](Operation *op) {
    if (!isa<quant::StorageCastOp>(op))
      llvm::append_range(values, op->getResults());
  });
  for (Value value : values) {
    auto type = dyn_cast<RankedTensorType>(value.getType());
    auto quantized =
        type ? dyn_cast<quant::QuantizedType>(type.getElementType()) : nullptr;
    if (!quantized || value.use_empty() ||
        (value.hasOneUse() && isa<quant::StorageCastOp>(*value.user_begin())))
      continue;
    OpBuilder builder(func.getContext());
    if (Operation *def = value.getDefiningOp())
      builder.setInsertionPointAfter(def);
    else
      builder.setInsertionPointToStart(&func.getBody().front());
    Location loc = value.getLoc();
    Value storage = quant::StorageCastOp::create(
        builder, loc, type.clone(quantized.getStorageType()), value);
    Value back = quant::StorageCastOp::create(builder, loc, type, storage);
    value.replaceAllUsesExcept(back, storage.getDefiningOp());
  }
}

struct FuseQDQPass : tinyq::impl::TinyQFuseQDQBase<FuseQDQPass> {
  using Base::Base;

  void runOnOperation() override {
    exposeIntegerStorage(getOperation());
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldIntegerConstant<tosa::ReshapeOp>,
                 FoldIntegerConstant<tosa::TransposeOp>, ReshapePerAxisConstant,
                 CancelQuantizePair, FoldStorageCastPair,
                 DequantizeAfter<tosa::ReshapeOp>,
                 DequantizeAfter<tosa::TransposeOp>,
                 DequantizeAfter<tosa::MaxPool2dOp>>(&getContext());
    if (fuseLayers)
      patterns.add<FuseConvolution<tosa::Conv2DOp>,
                   FuseConvolution<tosa::DepthwiseConv2DOp>, FuseFullyConnected,
                   FuseAdd, FuseAvgPool, FuseConcat, FusePad>(&getContext());
    // Folding would cancel the Q/DQ pairs this pass fuses.
    if (failed(
            applyPatternsWithoutFolding(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // A float layer left here runs in float; in an int8 model, that is a
    // layer no pattern above matched.
    getOperation().walk([](Operation *op) {
      if (isa<IntegerLayerOpInterface>(op)) {
        ++NumIntegerLayers;
      } else if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::MatMulOp>(
                     op)) {
        ++NumFloatLayers;
        LLVM_DEBUG(llvm::dbgs() << "[" DEBUG_TYPE "] " << op->getName() << " "
                                << op->getLoc() << ": stays float\n");
      }
    });
  }
};
} // namespace
