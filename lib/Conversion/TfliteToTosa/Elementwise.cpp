//===- Elementwise.cpp - TFLite arithmetic, activations, SOFTMAX ----------===//

#include "TfliteToTosaCommon.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <limits>

using namespace mlir;
using namespace tinyq;
using namespace tinyq::tflite_to_tosa;

/// ADD, SUB, MUL, DIV with numpy broadcasting and a fused activation.
template <typename TosaOp>
static LogicalResult convertBinary(NodeBinder &binder,
                                   PatternRewriter &rewriter) {
  RankedTensorType type = getFloatResultType(binder);
  if (!type || !getFloatInputType(binder, 0) || !getFloatInputType(binder, 1))
    return binder.fail(rewriter, "expects static float32 operands "
                                 "(quantized operators take the quantized "
                                 "path)");
  Location loc = binder.getLoc();
  Value lhs =
      broadcastToRank(rewriter, loc, binder.getInput(0), type.getRank());
  Value rhs =
      broadcastToRank(rewriter, loc, binder.getInput(1), type.getRank());
  Value result;
  if constexpr (std::is_same_v<TosaOp, tosa::MulOp>) {
    result = createMul(rewriter, loc, type, lhs, rhs);
  } else if constexpr (std::is_same_v<TosaOp, tosa::ReciprocalOp>) {
    Value inverse =
        tosa::ReciprocalOp::create(rewriter, loc, rhs.getType(), rhs);
    result = createMul(rewriter, loc, type, lhs, inverse);
  } else {
    result = TosaOp::create(rewriter, loc, type, lhs, rhs);
  }
  FailureOr<Value> activated = applyFusedActivation(binder, rewriter, result);
  if (failed(activated))
    return failure();
  rewriter.replaceOp(binder.getNode(), *activated);
  return success();
}

/// RELU, RELU6, RELU_N1_TO_1 as clamps.
template <int min, int max>
static LogicalResult convertClampActivation(NodeBinder &binder,
                                            PatternRewriter &rewriter) {
  RankedTensorType type = getFloatResultType(binder);
  if (!type || !getFloatInputType(binder, 0))
    return binder.fail(rewriter, "expects a static float32 input");
  float inf = std::numeric_limits<float>::infinity();
  rewriter.replaceOp(binder.getNode(),
                     createClamp(rewriter, binder.getLoc(), type,
                                 binder.getInput(0), float(min),
                                 max < 0 ? inf : float(max)));
  return success();
}

template <typename TosaOp>
static LogicalResult convertUnary(NodeBinder &binder,
                                  PatternRewriter &rewriter) {
  RankedTensorType type = getFloatResultType(binder);
  if (!type || !getFloatInputType(binder, 0))
    return binder.fail(rewriter, "expects a static float32 input");
  rewriter.replaceOpWithNewOp<TosaOp>(binder.getNode(), type,
                                      binder.getInput(0));
  return success();
}

// LEAKY_RELU: x >= 0 ? x : alpha * x.
static LogicalResult convertLeakyRelu(NodeBinder &binder,
                                      PatternRewriter &rewriter) {
  RankedTensorType type = getFloatResultType(binder);
  if (!type || !getFloatInputType(binder, 0))
    return binder.fail(rewriter, "expects a static float32 input");
  Location loc = binder.getLoc();
  Value x = binder.getInput(0);
  int64_t rank = type.getRank();
  Value scaled = createMul(
      rewriter, loc, type, x,
      createScalar(rewriter, loc, binder.getFloat("alpha", 0.0f), rank));
  Value positive = tosa::GreaterEqualOp::create(
      rewriter, loc, type.clone(rewriter.getI1Type()), x,
      createScalar(rewriter, loc, 0.0f, rank));
  rewriter.replaceOpWithNewOp<tosa::SelectOp>(binder.getNode(), type, positive,
                                              x, scaled);
  return success();
}

// SOFTMAX along the last axis of beta * x.
static LogicalResult convertSoftmax(NodeBinder &binder,
                                    PatternRewriter &rewriter) {
  RankedTensorType type = getFloatResultType(binder);
  if (!type || !getFloatInputType(binder, 0) || type.getRank() == 0)
    return binder.fail(rewriter, "expects a static float32 input of rank >= 1");
  Location loc = binder.getLoc();
  Value x = binder.getInput(0);
  float beta = binder.getFloat("beta", 1.0f);
  if (beta != 1.0f)
    x = createMul(rewriter, loc, type, x,
                  createScalar(rewriter, loc, beta, type.getRank()));
  rewriter.replaceOp(binder.getNode(),
                     createSoftmax(rewriter, loc, x, type.getRank() - 1));
  return success();
}

// DEQUANTIZE of float16 weights (float16-weight models) is a widening cast;
// of a quantized tensor, quant.dcast.
static LogicalResult convertDequantize(NodeBinder &binder,
                                       PatternRewriter &rewriter) {
  RankedTensorType inputType = binder.getInputType(0);
  RankedTensorType type = getFloatResultType(binder);
  if (!type || !inputType)
    return binder.fail(rewriter, "expects a ranked input and float32 result");
  if (inputType.getElementType().isF16()) {
    rewriter.replaceOpWithNewOp<tosa::CastOp>(binder.getNode(), type,
                                              binder.getInput(0));
    return success();
  }
  if (!isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(
          inputType.getElementType()))
    return binder.fail(rewriter, "expects a float16 or quantized input");
  rewriter.replaceOpWithNewOp<quant::DequantizeCastOp>(binder.getNode(), type,
                                                       binder.getInput(0));
  return success();
}

// QUANTIZE of a float tensor: quant.qcast to the result's quantized type.
// (Requantizing between quantized types belongs to the quantized path.)
static LogicalResult convertQuantize(NodeBinder &binder,
                                     PatternRewriter &rewriter) {
  RankedTensorType type = binder.getStaticResultType();
  if (!type || !getFloatInputType(binder, 0) ||
      !isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(
          type.getElementType()))
    return binder.fail(rewriter, "expects a float32 input and a quantized "
                                 "result");
  rewriter.replaceOpWithNewOp<quant::QuantizeCastOp>(binder.getNode(), type,
                                                     binder.getInput(0));
  return success();
}

void tinyq::tflite_to_tosa::populateElementwiseHandlers(
    NodeHandlerTable &table) {
  table.add("ADD", 1, convertBinary<tosa::AddOp>);
  table.add("SUB", 1, convertBinary<tosa::SubOp>);
  table.add("MUL", 1, convertBinary<tosa::MulOp>);
  table.add("DIV", 1, convertBinary<tosa::ReciprocalOp>);
  table.add("RELU", 1, convertClampActivation<0, -1>);
  table.add("RELU6", 1, convertClampActivation<0, 6>);
  table.add("RELU_N1_TO_1", 1, convertClampActivation<-1, 1>);
  table.add("LOGISTIC", 1, convertUnary<tosa::SigmoidOp>);
  table.add("TANH", 1, convertUnary<tosa::TanhOp>);
  table.add("LEAKY_RELU", 1, convertLeakyRelu);
  table.add("SOFTMAX", 1, convertSoftmax);
  table.add("DEQUANTIZE", 1, convertDequantize);
  table.add("QUANTIZE", 1, convertQuantize);
}
