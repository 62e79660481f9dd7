//===- Elementwise.cpp - ONNX elementwise operators -----------------------===//
//
// Arithmetic with numpy broadcasting, activations and clamps, on float
// tensors. TOSA broadcasts dimensions of size 1 but needs equal ranks, so
// lower-ranked operands get leading ones first.
//
//===----------------------------------------------------------------------===//

#include "OnnxToTosaCommon.h"

#include <limits>

using namespace mlir;
using namespace tinyq;
using namespace tinyq::onnx_to_tosa;

static constexpr float kInf = std::numeric_limits<float>::infinity();

/// The static float result type of the node, or null.
static RankedTensorType getFloatResultType(OnnxBinder &binder) {
  RankedTensorType type = binder.getStaticResultType();
  return type && isa<FloatType>(type.getElementType()) ? type : nullptr;
}

/// Checks a unary float node; returns its input.
static FailureOr<Value> getUnaryInput(OnnxBinder &binder,
                                      PatternRewriter &rewriter) {
  Value input = binder.getInput(0);
  if (!input || !getFloatResultType(binder) || !binder.getInputType(0))
    return binder.fail(rewriter,
                       "expects a ranked float input and a static result");
  return input;
}

template <typename TosaOp>
static LogicalResult convertBinary(OnnxBinder &binder,
                                   PatternRewriter &rewriter) {
  RankedTensorType type = getFloatResultType(binder);
  Value lhs = binder.getInput(0), rhs = binder.getInput(1);
  if (!type || !binder.getInputType(0) || !binder.getInputType(1))
    return binder.fail(rewriter,
                       "expects two ranked float inputs and a static result");
  Location loc = binder.getLoc();
  lhs = broadcastToRank(rewriter, loc, lhs, type.getRank());
  rhs = broadcastToRank(rewriter, loc, rhs, type.getRank());
  Value result;
  if constexpr (std::is_same_v<TosaOp, tosa::MulOp>) {
    result = createMul(rewriter, loc, type, lhs, rhs);
  } else if constexpr (std::is_same_v<TosaOp, tosa::ReciprocalOp>) {
    // a / b = a * (1 / b); TOSA has no float division.
    Value reciprocal = tosa::ReciprocalOp::create(
        rewriter, loc, cast<RankedTensorType>(rhs.getType()), rhs);
    result = createMul(rewriter, loc, type, lhs, reciprocal);
  } else {
    result = TosaOp::create(rewriter, loc, type, lhs, rhs);
  }
  rewriter.replaceOp(binder.getNode(), result);
  return success();
}

/// Max and Min take any number of inputs.
template <typename TosaOp>
static LogicalResult convertVariadic(OnnxBinder &binder,
                                     PatternRewriter &rewriter) {
  RankedTensorType type = getFloatResultType(binder);
  if (!type || binder.getNumInputs() == 0)
    return binder.fail(rewriter, "expects float inputs and a static result");
  Location loc = binder.getLoc();
  Value result;
  for (unsigned i = 0; i < binder.getNumInputs(); ++i) {
    if (!binder.getInputType(i))
      return binder.fail(rewriter, "expects ranked inputs");
  }
  for (unsigned i = 0; i < binder.getNumInputs(); ++i) {
    Value input =
        broadcastToRank(rewriter, loc, binder.getInput(i), type.getRank());
    result =
        result ? TosaOp::create(rewriter, loc, type, result, input).getResult()
               : input;
  }
  if (result.getType() != type)
    result =
        tosa::AddOp::create(rewriter, loc, type, result,
                            createScalar(rewriter, loc, 0.0f, type.getRank()));
  rewriter.replaceOp(binder.getNode(), result);
  return success();
}

template <typename TosaOp>
static LogicalResult convertUnary(OnnxBinder &binder,
                                  PatternRewriter &rewriter) {
  FailureOr<Value> input = getUnaryInput(binder, rewriter);
  if (failed(input))
    return failure();
  rewriter.replaceOpWithNewOp<TosaOp>(binder.getNode(),
                                      getFloatResultType(binder), *input);
  return success();
}

static LogicalResult convertRelu(OnnxBinder &binder,
                                 PatternRewriter &rewriter) {
  FailureOr<Value> input = getUnaryInput(binder, rewriter);
  if (failed(input))
    return failure();
  rewriter.replaceOp(binder.getNode(), createClamp(rewriter, binder.getLoc(),
                                                   getFloatResultType(binder),
                                                   *input, 0.0f, kInf));
  return success();
}

// Clip since opset 11: min and max are optional scalar inputs; constants
// become one tosa.clamp, tensors a maximum and a minimum.
static LogicalResult convertClip(OnnxBinder &binder,
                                 PatternRewriter &rewriter) {
  FailureOr<Value> input = getUnaryInput(binder, rewriter);
  if (failed(input))
    return failure();
  RankedTensorType type = getFloatResultType(binder);
  float bounds[2] = {-kInf, kInf};
  Value dynamicBounds[2];
  for (unsigned i : {1u, 2u}) {
    if (!binder.getInput(i))
      continue;
    RankedTensorType boundType = binder.getInputType(i);
    if (!boundType || boundType.getNumElements() != 1 ||
        boundType.getElementType() != type.getElementType())
      return binder.fail(rewriter, "min and max must be scalars of the "
                                   "input's element type");
    if (std::optional<DenseElementsAttr> bound = binder.getConstantInput(i))
      bounds[i - 1] =
          float((*bound).getSplatValue<APFloat>().convertToDouble());
    else
      dynamicBounds[i - 1] = binder.getInput(i);
  }
  Location loc = binder.getLoc();
  Value result = createClamp(rewriter, loc, type, *input, bounds[0], bounds[1]);
  if (dynamicBounds[0])
    result = tosa::MaximumOp::create(
        rewriter, loc, type, result,
        createReshape(rewriter, loc, dynamicBounds[0],
                      SmallVector<int64_t>(type.getRank(), 1)));
  if (dynamicBounds[1])
    result = tosa::MinimumOp::create(
        rewriter, loc, type, result,
        createReshape(rewriter, loc, dynamicBounds[1],
                      SmallVector<int64_t>(type.getRank(), 1)));
  rewriter.replaceOp(binder.getNode(), result);
  return success();
}

// LeakyRelu: x >= 0 ? x : alpha * x.
static LogicalResult convertLeakyRelu(OnnxBinder &binder,
                                      PatternRewriter &rewriter) {
  FailureOr<Value> input = getUnaryInput(binder, rewriter);
  if (failed(input))
    return failure();
  RankedTensorType type = getFloatResultType(binder);
  Location loc = binder.getLoc();
  int64_t rank = type.getRank();
  Value scaled = createMul(
      rewriter, loc, type, *input,
      createScalar(rewriter, loc, binder.getFloat("alpha", 0.01f), rank));
  Value positive = tosa::GreaterEqualOp::create(
      rewriter, loc, type.clone(rewriter.getI1Type()), *input,
      createScalar(rewriter, loc, 0.0f, rank));
  rewriter.replaceOpWithNewOp<tosa::SelectOp>(binder.getNode(), type, positive,
                                              *input, scaled);
  return success();
}

/// clamp(alpha * x + beta, 0, 1)
static Value createHardSigmoid(PatternRewriter &rewriter, Location loc,
                               RankedTensorType type, Value input, float alpha,
                               float beta) {
  int64_t rank = type.getRank();
  Value scaled = createMul(rewriter, loc, type, input,
                           createScalar(rewriter, loc, alpha, rank));
  Value shifted = tosa::AddOp::create(rewriter, loc, type, scaled,
                                      createScalar(rewriter, loc, beta, rank));
  return createClamp(rewriter, loc, type, shifted, 0.0f, 1.0f);
}

static LogicalResult convertHardSigmoid(OnnxBinder &binder,
                                        PatternRewriter &rewriter) {
  FailureOr<Value> input = getUnaryInput(binder, rewriter);
  if (failed(input))
    return failure();
  rewriter.replaceOp(binder.getNode(),
                     createHardSigmoid(rewriter, binder.getLoc(),
                                       getFloatResultType(binder), *input,
                                       binder.getFloat("alpha", 0.2f),
                                       binder.getFloat("beta", 0.5f)));
  return success();
}

// HardSwish: x * HardSigmoid(x) with alpha = 1/6, beta = 1/2.
static LogicalResult convertHardSwish(OnnxBinder &binder,
                                      PatternRewriter &rewriter) {
  FailureOr<Value> input = getUnaryInput(binder, rewriter);
  if (failed(input))
    return failure();
  RankedTensorType type = getFloatResultType(binder);
  Location loc = binder.getLoc();
  Value gate =
      createHardSigmoid(rewriter, loc, type, *input, 1.0f / 6.0f, 0.5f);
  rewriter.replaceOp(binder.getNode(),
                     createMul(rewriter, loc, type, *input, gate));
  return success();
}

void tinyq::onnx_to_tosa::populateElementwiseHandlers(OnnxHandlerTable &table) {
  table.add("Add", 7, convertBinary<tosa::AddOp>);
  table.add("Sub", 7, convertBinary<tosa::SubOp>);
  table.add("Mul", 7, convertBinary<tosa::MulOp>);
  table.add("Div", 7, convertBinary<tosa::ReciprocalOp>);
  table.add("Max", 8, convertVariadic<tosa::MaximumOp>);
  table.add("Min", 8, convertVariadic<tosa::MinimumOp>);
  table.add("Relu", 6, convertRelu);
  table.add("Clip", 11, convertClip);
  table.add("LeakyRelu", 6, convertLeakyRelu);
  table.add("Sigmoid", 6, convertUnary<tosa::SigmoidOp>);
  table.add("Tanh", 6, convertUnary<tosa::TanhOp>);
  table.add("Exp", 6, convertUnary<tosa::ExpOp>);
  table.add("Abs", 6, convertUnary<tosa::AbsOp>);
  table.add("HardSigmoid", 6, convertHardSigmoid);
  table.add("HardSwish", 14, convertHardSwish);
}
