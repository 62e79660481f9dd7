//===- QuantChoice.cpp - Quantized types for activations and weights ------===//

#include "tinyq/Dialect/TinyQ/Transforms/QuantChoice.h"
#include "tinyq/Numerics/Metrics.h"
#include "tinyq/Numerics/Sparq.h"

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Utils/Indexing.h"
#include "tinyq/Numerics/QuantParams.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace tinyq;

std::optional<QuantizableWeights> tinyq::getQuantizableWeights(Operation *op,
                                                               bool perTensor) {
  OpOperand *operand = nullptr;
  std::optional<unsigned> axis;
  if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
    operand = &conv.getWeightMutable();
    axis = 0;
  } else if (auto depthwise = dyn_cast<tosa::DepthwiseConv2DOp>(op)) {
    operand = &depthwise.getWeightMutable();
    auto type = cast<RankedTensorType>(operand->get().getType());
    if (type.getRank() == 4 && type.getDimSize(3) == 1)
      axis = 2;
  } else if (auto matmul = dyn_cast<tosa::MatMulOp>(op)) {
    operand = &matmul.getBMutable();
    axis = 2;
  } else {
    return std::nullopt;
  }
  DenseFPElementsAttr values;
  if (!matchPattern(operand->get(), m_Constant(&values)) ||
      !values.getElementType().isF32())
    return std::nullopt;
  if (perTensor)
    axis = std::nullopt;
  return QuantizableWeights{operand, values, axis};
}

ObserveOp tinyq::findInputObserver(Operation *layer) {
  Value value = layer->getOperand(0);
  while (Operation *def = value.getDefiningOp()) {
    if (auto observe = dyn_cast<ObserveOp>(def))
      return observe;
    if (!isa<tosa::ReshapeOp, tosa::TransposeOp, tosa::MaxPool2dOp>(def))
      return {};
    value = def->getOperand(0);
  }
  return {};
}

SparqAttr tinyq::parseSparqSpec(MLIRContext *context, StringRef spec,
                                std::string &error) {
  SmallVector<StringRef> parts;
  spec.split(parts, ',');
  unsigned bits = 0;
  if (parts.size() < 3 || parts.size() > 4 || parts[0].getAsInteger(10, bits)) {
    error = "expected <n>,<opts>,<rounding>[,pairs], e.g. 4,5opt,nearest_even,"
            "pairs";
    return {};
  }
  SmallVector<int64_t> shifts;
  StringRef options = parts[1];
  if (options == "5opt" || options == "3opt" || options == "2opt") {
    if (bits != 4) {
      error = "'" + options.str() + "' names a set for n = 4";
      return {};
    }
    shifts = options == "5opt"   ? SmallVector<int64_t>{0, 1, 2, 3, 4}
             : options == "3opt" ? SmallVector<int64_t>{0, 2, 4}
                                 : SmallVector<int64_t>{0, 4};
  } else if (options == "all") {
    for (int64_t shift = 0; shift + int64_t(bits) <= 8; ++shift)
      shifts.push_back(shift);
  } else {
    SmallVector<StringRef> explicitShifts;
    options.split(explicitShifts, '/');
    for (StringRef text : explicitShifts) {
      int64_t shift;
      if (text.getAsInteger(10, shift)) {
        error = "shifts '" + options.str() +
                "' are neither 5opt, 3opt, 2opt, all nor like 0/2/4";
        return {};
      }
      shifts.push_back(shift);
    }
  }
  if (std::string problem =
          numerics::verifySparqShifts(bits, {shifts.data(), shifts.size()});
      !problem.empty()) {
    error = problem;
    return {};
  }
  std::optional<SparqRounding> rounding = symbolizeSparqRounding(parts[2]);
  if (!rounding) {
    error = "rounding '" + parts[2].str() +
            "' is neither truncate nor nearest_even";
    return {};
  }
  if (parts.size() == 4 && parts[3] != "pairs") {
    error = "expected 'pairs', not '" + parts[3].str() + "'";
    return {};
  }
  return SparqAttr::get(context, bits, shifts, *rounding, parts.size() == 4);
}

FailureOr<bool> tinyq::canTakeSparq(Operation *layer) {
  ObserveOp input = findInputObserver(layer);
  RangeAttr range = input ? input.getRangeAttr() : RangeAttr();
  if (!range)
    return layer->emitError("SPARQ needs a calibrated model: the layer's "
                            "input has no range");
  if (range.getMin().convertToDouble() < 0) {
    layer->emitRemark("activations stay plain: SPARQ needs an input range "
                      "starting at 0, not ")
        << range.getMin().convertToDouble();
    return false;
  }
  return true;
}

int64_t tinyq::getPackedWeightBytes(int64_t count, unsigned bits) {
  return int64_t(llvm::divideCeil(count * int64_t(bits), 8));
}

int64_t tinyq::getMacCount(Operation *op, const QuantizableWeights &weights) {
  ArrayRef<int64_t> shape = weights.values.getType().getShape();
  int64_t fanIn = isa<tosa::Conv2DOp>(op) ? shape[1] * shape[2] * shape[3]
                  : isa<tosa::DepthwiseConv2DOp>(op) ? shape[0] * shape[1]
                                                     : shape[1];
  auto result = cast<ShapedType>(op->getResult(0).getType());
  return result.getNumElements() * fanIn;
}

quant::UniformQuantizedType
tinyq::getActivationType(MLIRContext *context, RangeAttr range, unsigned bits) {
  numerics::IntegerRange storage = numerics::signedRange(bits);
  numerics::QuantParams params = numerics::chooseAsymmetricParams(
      float(range.getMin().convertToDouble()),
      float(range.getMax().convertToDouble()), storage);
  return quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed,
      IntegerType::get(context, std::max(bits, 8u)), Float32Type::get(context),
      params.scale, params.zeroPoint, storage.min, storage.max);
}

/// The per-channel (or, without an axis, one-element) parameters of
/// \p weights.
static SmallVector<numerics::QuantParams>
chooseWeightParams(const QuantizableWeights &weights,
                   numerics::IntegerRange range) {
  SmallVector<float> values(weights.values.getValues<float>());
  if (!weights.axis) {
    float absMax = 0;
    for (float value : values)
      absMax = std::max(absMax, std::fabs(value));
    return {numerics::chooseSymmetricParams(absMax, range)};
  }
  auto shape = weights.values.getType().getShape();
  SmallVector<numerics::QuantParams> params(shape[*weights.axis]);
  numerics::chooseSymmetricPerChannelParams(
      {values.data(), values.size()}, {shape.data(), shape.size()},
      *weights.axis, range, {params.data(), params.size()});
  return params;
}

quant::QuantizedType tinyq::getWeightType(const QuantizableWeights &weights,
                                          unsigned bits) {
  MLIRContext *context = weights.values.getContext();
  numerics::IntegerRange range = numerics::signedRange(bits, /*narrow=*/true);
  SmallVector<numerics::QuantParams> params =
      chooseWeightParams(weights, range);
  auto storage = IntegerType::get(context, bits);
  auto f32 = Float32Type::get(context);
  unsigned flags = quant::QuantizationFlags::Signed;
  if (!weights.axis)
    return quant::UniformQuantizedType::get(
        flags, storage, f32, params.front().scale, 0, range.min, range.max);
  SmallVector<double> scales;
  for (const numerics::QuantParams &param : params)
    scales.push_back(param.scale);
  SmallVector<int64_t> zeroPoints(params.size(), 0);
  return quant::UniformQuantizedPerAxisType::get(
      flags, storage, f32, scales, zeroPoints, int32_t(*weights.axis),
      range.min, range.max);
}

DenseElementsAttr tinyq::quantizeWeights(const QuantizableWeights &weights,
                                         quant::QuantizedType type) {
  numerics::IntegerRange range{int32_t(type.getStorageTypeMin()),
                               int32_t(type.getStorageTypeMax())};
  ShapedType valuesType = weights.values.getType();
  std::optional<int64_t> axis;
  SmallVector<numerics::QuantParams> params;
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    axis = perAxis.getQuantizedDimension();
    for (double scale : perAxis.getScales())
      params.push_back({float(scale), 0});
  } else {
    auto perTensor = cast<quant::UniformQuantizedType>(type);
    params.push_back(
        {float(perTensor.getScale()), int32_t(perTensor.getZeroPoint())});
  }
  AxisIndexer channelOf(valuesType.getShape(), axis);
  SmallVector<APInt> quantized;
  unsigned width = type.getStorageTypeIntegralWidth();
  for (auto [index, value] :
       llvm::enumerate(weights.values.getValues<float>())) {
    int64_t channel = channelOf(index);
    quantized.push_back(APInt(width,
                              numerics::quantize(value, params[channel], range),
                              /*isSigned=*/true));
  }
  return DenseElementsAttr::get(
      RankedTensorType::get(valuesType.getShape(),
                            IntegerType::get(type.getContext(), width)),
      quantized);
}

/// Collects in \p layers the layers with weights that read \p value as their
/// input, directly or through ops that keep its quantization (reshape,
/// transpose, max pooling). Returns whether nothing else reads it.
static bool collectReadingLayers(Value value,
                                 SmallVectorImpl<Operation *> &layers) {
  bool onlyLayers = true;
  for (OpOperand &use : value.getUses()) {
    Operation *user = use.getOwner();
    if (use.getOperandNumber() == 0 &&
        isa<tosa::ReshapeOp, tosa::TransposeOp, tosa::MaxPool2dOp>(user))
      onlyLayers &= collectReadingLayers(user->getResult(0), layers);
    else if (use.getOperandNumber() == 0 &&
             getQuantizableWeights(user, /*perTensor=*/false))
      layers.push_back(user);
    else
      onlyLayers = false;
  }
  return onlyLayers;
}

LogicalResult tinyq::rewriteForQuantization(
    func::FuncOp func, unsigned weightBits, unsigned activationBits,
    bool perTensor,
    function_ref<Value(OpBuilder &, Location, Value,
                       quant::UniformQuantizedType)>
        activation,
    function_ref<Value(OpBuilder &, Location, const QuantizableWeights &,
                       quant::QuantizedType)>
        weight) {
  if (weightBits < 2 || weightBits > 8 || activationBits < 2 ||
      activationBits > 16)
    return func.emitError("weight bits must be in [2, 8] and activation "
                          "bits in [2, 16]");
  MLIRContext *context = func.getContext();
  OpBuilder builder(context);
  auto layerActivationBits = [&](Operation *layer) {
    auto precision =
        layer->getAttrOfType<PrecisionAttr>(PrecisionAttr::kAttrName);
    return precision ? precision.getActivationBits() : activationBits;
  };
  SmallVector<ObserveOp> points;
  func.walk([&](ObserveOp op) { points.push_back(op); });
  for (ObserveOp op : points) {
    RangeAttr range = op.getRangeAttr();
    if (!range)
      return op.emitError("calibration point without a range: calibrate "
                          "first");
    // Precision islands: a tensor only layers of one activation width read
    // is produced at that width (the producer's requantization writes it);
    // otherwise at the pass-wide width, and a reading layer of another
    // width gets a requantization to its own at its input.
    SmallVector<Operation *> readers;
    bool onlyLayers = collectReadingLayers(op.getResult(), readers);
    unsigned bits = activationBits;
    if (onlyLayers && !readers.empty() &&
        llvm::all_of(readers, [&](Operation *layer) {
          return layerActivationBits(layer) ==
                 layerActivationBits(readers.front());
        }))
      bits = layerActivationBits(readers.front());
    builder.setInsertionPoint(op);
    op.replaceAllUsesWith(activation(builder, op.getLoc(), op.getInput(),
                                     getActivationType(context, range, bits)));
    op.erase();
    for (Operation *layer : readers) {
      unsigned own = layerActivationBits(layer);
      if (own == bits)
        continue;
      builder.setInsertionPoint(layer);
      layer->setOperand(0, activation(builder, layer->getLoc(),
                                      layer->getOperand(0),
                                      getActivationType(context, range, own)));
    }
  }
  // A layer's own precision (tinyq-assign-precision, or written by hand)
  // overrides the pass-wide weight width and granularity.
  func.walk([&](Operation *op) {
    auto precision = op->getAttrOfType<PrecisionAttr>(PrecisionAttr::kAttrName);
    bool layerPerTensor =
        precision ? precision.getGranularity() == Granularity::PerTensor
                  : perTensor;
    std::optional<QuantizableWeights> weights =
        getQuantizableWeights(op, layerPerTensor);
    if (!weights)
      return;
    builder.setInsertionPoint(op);
    unsigned bits = precision ? precision.getWeightBits() : weightBits;
    weights->operand->set(
        weight(builder, op->getLoc(), *weights, getWeightType(*weights, bits)));
  });
  return success();
}

FailureOr<std::vector<double>>
tinyq::getSensitivityScores(ArrayRef<Operation *> layers, unsigned lowBits) {
  std::vector<double> activation, weight, drops;
  for (Operation *op : layers) {
    auto record =
        op->getAttrOfType<SensitivityAttr>(SensitivityAttr::kAttrName);
    const CandidateAttr *low =
        record ? llvm::find_if(record.getCandidates(),
                               [&](CandidateAttr c) {
                                 return c.getPrecision().getWeightBits() ==
                                        lowBits;
                               })
               : nullptr;
    if (!record || low == record.getCandidates().end())
      return op->emitError("no sensitivity record with a ")
             << lowBits << "-bit candidate: run the sensitivity analysis first";
    activation.push_back(low->getActivationSqnr().convertToDouble());
    weight.push_back(low->getWeightSqnr().convertToDouble());
    if (auto drop = op->getAttrOfType<FloatAttr>(kSqnrDropAttrName))
      drops.push_back(-drop.getValueAsDouble());
  }
  std::vector<double> activationRanks =
      numerics::rankValues(drops.size() == layers.size() ? drops : activation);
  std::vector<double> weightRanks = numerics::rankValues(weight);
  std::vector<double> scores;
  for (auto [a, w] : llvm::zip(activationRanks, weightRanks))
    scores.push_back(a + w);
  return scores;
}

FailureOr<std::vector<double>>
tinyq::getSingleLayerScores(ArrayRef<Operation *> layers) {
  std::vector<double> scores;
  for (Operation *op : layers) {
    auto sqnr = op->getAttrOfType<FloatAttr>(kSingleLayerSqnrAttrName);
    if (!sqnr)
      return op->emitError("no single-layer sensitivity: run the "
                           "single-layer analysis first");
    scores.push_back(sqnr.getValueAsDouble());
  }
  return scores;
}
