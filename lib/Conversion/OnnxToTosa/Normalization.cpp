//===- Normalization.cpp - ONNX BatchNormalization, Softmax, ReduceMean ---===//

#include "OnnxToTosaCommon.h"

#include <cmath>

using namespace mlir;
using namespace tinyq;
using namespace tinyq::onnx_to_tosa;

/// The float values of constant input \p index, which must hold \p count.
static std::optional<SmallVector<double>>
getFloatConstant(OnnxBinder &binder, unsigned index, int64_t count) {
  std::optional<DenseElementsAttr> attr = binder.getConstantInput(index);
  if (!attr || !isa<FloatType>(attr->getElementType()) ||
      attr->getNumElements() != count)
    return std::nullopt;
  SmallVector<double> values;
  for (const APFloat &value : attr->getValues<APFloat>())
    values.push_back(value.convertToDouble());
  return values;
}

// Inference BatchNormalization. With constant statistics (the usual case)
// they fold at compile time: y = x * s + t, s = scale / sqrt(var + eps),
// t = B - mean * s.
static LogicalResult convertBatchNorm(OnnxBinder &binder,
                                      PatternRewriter &rewriter) {
  RankedTensorType type = binder.getInputType(0);
  RankedTensorType resultType = binder.getStaticResultType();
  if (!type || !resultType || type.getRank() < 2 ||
      !resultType.getElementType().isF32())
    return binder.fail(rewriter, "expects a float32 input of rank >= 2");
  if (binder.getInt("training_mode", 0) != 0 || binder.isResultUsed(1) ||
      binder.isResultUsed(2))
    return binder.fail(rewriter, "training mode is not supported");
  int64_t channels = type.getDimSize(1);
  std::optional<SmallVector<double>> scale =
      getFloatConstant(binder, 1, channels);
  std::optional<SmallVector<double>> bias =
      getFloatConstant(binder, 2, channels);
  std::optional<SmallVector<double>> mean =
      getFloatConstant(binder, 3, channels);
  std::optional<SmallVector<double>> var =
      getFloatConstant(binder, 4, channels);
  double epsilon = binder.getFloat("epsilon", 1e-5f);
  SmallVector<int64_t> shape(type.getRank(), 1);
  shape[1] = channels;
  Location loc = binder.getLoc();
  if (!scale || !bias || !mean || !var) {
    // Statistics given as tensors: y = (x - mean) * rsqrt(var + eps) * scale
    // + B, computed in the graph.
    for (unsigned i = 1; i <= 4; ++i) {
      RankedTensorType paramType = binder.getInputType(i);
      if (!paramType || paramType.getShape() != ArrayRef<int64_t>{channels} ||
          !paramType.getElementType().isF32())
        return binder.fail(rewriter, "scale, B, mean and var need one float32 "
                                     "value per channel");
    }
    auto paramType = resultType.clone(shape);
    auto param = [&](unsigned i) {
      return createReshape(rewriter, loc, binder.getInput(i), shape);
    };
    Value centered = tosa::SubOp::create(rewriter, loc, resultType,
                                         binder.getInput(0), param(3));
    Value rawVariance = param(4);
    Value variance = tosa::AddOp::create(
        rewriter, loc, paramType, rawVariance,
        createScalar(rewriter, loc, float(epsilon), type.getRank()));
    Value inverse = tosa::RsqrtOp::create(rewriter, loc, paramType, variance);
    Value factor = createMul(rewriter, loc, paramType, inverse, param(1));
    Value scaled = createMul(rewriter, loc, resultType, centered, factor);
    rewriter.replaceOpWithNewOp<tosa::AddOp>(binder.getNode(), resultType,
                                             scaled, param(2));
    return success();
  }
  SmallVector<float> multiplier, offset;
  for (int64_t c = 0; c < channels; ++c) {
    if ((*var)[c] + epsilon <= 0)
      return binder.fail(rewriter, "var + epsilon must be positive");
    double s = (*scale)[c] / std::sqrt((*var)[c] + epsilon);
    multiplier.push_back(float(s));
    offset.push_back(float((*bias)[c] - (*mean)[c] * s));
  }
  auto constType = RankedTensorType::get(shape, rewriter.getF32Type());
  Value scaled = createMul(
      rewriter, loc, resultType, binder.getInput(0),
      createConst(rewriter, loc,
                  DenseElementsAttr::get(constType, ArrayRef(multiplier))));
  rewriter.replaceOpWithNewOp<tosa::AddOp>(
      binder.getNode(), resultType, scaled,
      createConst(rewriter, loc,
                  DenseElementsAttr::get(constType, ArrayRef(offset))));
  return success();
}

static LogicalResult convertSoftmax(OnnxBinder &binder,
                                    PatternRewriter &rewriter) {
  RankedTensorType type = binder.getInputType(0);
  RankedTensorType resultType = binder.getStaticResultType();
  if (!type || !resultType || type.getRank() == 0 ||
      !isa<FloatType>(type.getElementType()))
    return binder.fail(rewriter, "expects a float input of rank >= 1");
  int64_t rank = type.getRank();
  // Opset 13 changed the default axis and dropped the 2-D coercion.
  bool coerce = binder.getOpset() < 13;
  std::optional<int64_t> axis =
      normalizeAxis(binder.getInt("axis", coerce ? 1 : -1), rank);
  if (!axis)
    return binder.fail(rewriter, "axis is out of range");
  Location loc = binder.getLoc();
  Value result;
  if (coerce && *axis != rank - 1) {
    int64_t rows = 1;
    for (int64_t i = 0; i < *axis; ++i)
      rows *= type.getDimSize(i);
    Value flat = createReshape(rewriter, loc, binder.getInput(0),
                               {rows, type.getNumElements() / rows});
    result = createReshape(rewriter, loc, createSoftmax(rewriter, loc, flat, 1),
                           type.getShape());
  } else {
    result = createSoftmax(rewriter, loc, binder.getInput(0), *axis);
  }
  rewriter.replaceOp(binder.getNode(), result);
  return success();
}

// ReduceMean before opset 18: axes is an attribute (all axes when absent).
static LogicalResult convertReduceMean(OnnxBinder &binder,
                                       PatternRewriter &rewriter) {
  RankedTensorType type = binder.getInputType(0);
  RankedTensorType resultType = binder.getStaticResultType();
  if (!type || !type.hasStaticShape() || !resultType ||
      !isa<FloatType>(type.getElementType()))
    return binder.fail(rewriter, "expects a static float input");
  int64_t rank = type.getRank();
  SmallVector<int64_t> axes;
  if (std::optional<SmallVector<int64_t>> attr = binder.getInts("axes")) {
    for (int64_t axis : *attr) {
      std::optional<int64_t> normalized = normalizeAxis(axis, rank);
      if (!normalized)
        return binder.fail(rewriter, "an axis is out of range");
      axes.push_back(*normalized);
    }
  } else {
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  Location loc = binder.getLoc();
  Value sum = binder.getInput(0);
  SmallVector<int64_t> shape(type.getShape());
  int64_t count = 1;
  for (int64_t axis : axes) {
    if (shape[axis] == 1)
      continue;
    count *= shape[axis];
    shape[axis] = 1;
    sum = tosa::ReduceSumOp::create(rewriter, loc, type.clone(shape), sum,
                                    rewriter.getI32IntegerAttr(int32_t(axis)));
  }
  Value mean =
      createMul(rewriter, loc, type.clone(shape), sum,
                createScalar(rewriter, loc, 1.0f / float(count), rank));
  rewriter.replaceOp(binder.getNode(),
                     createReshape(rewriter, loc, mean, resultType.getShape()));
  return success();
}

void tinyq::onnx_to_tosa::populateNormalizationHandlers(
    OnnxHandlerTable &table) {
  table.add("BatchNormalization", 9, convertBatchNorm);
  table.add("Softmax", 11, convertSoftmax);
  table.add("ReduceMean", 11, convertReduceMean);
}
