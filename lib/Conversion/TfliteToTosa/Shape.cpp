//===- Shape.cpp - TFLite RESHAPE, SQUEEZE, PAD, CONCATENATION, MEAN ------===//

#include "TfliteToTosaCommon.h"

using namespace mlir;
using namespace tinyq;
using namespace tinyq::tflite_to_tosa;

// RESHAPE and SQUEEZE: the data in row-major order, with the result's shape.
static LogicalResult convertToResultShape(NodeBinder &binder,
                                          PatternRewriter &rewriter) {
  RankedTensorType type = binder.getStaticResultType();
  RankedTensorType inputType = binder.getInputType(0);
  if (!type || !inputType || !inputType.hasStaticShape() ||
      inputType.getNumElements() != type.getNumElements() ||
      inputType.getElementType() != type.getElementType() ||
      isa<quant::QuantizedType>(type.getElementType()))
    return binder.fail(rewriter, "expects static unquantized tensors of the "
                                 "same size and element type");
  rewriter.replaceOp(binder.getNode(),
                     createReshape(rewriter, binder.getLoc(),
                                   binder.getInput(0), type.getShape()));
  return success();
}

// PAD: paddings [rank, 2] of (before, after), which is TOSA's order.
static LogicalResult convertPad(NodeBinder &binder, PatternRewriter &rewriter) {
  RankedTensorType type = getFloatResultType(binder);
  RankedTensorType inputType = getFloatInputType(binder, 0);
  std::optional<SmallVector<int64_t>> paddings = binder.getIntsInput(1);
  if (!type || !inputType)
    return binder.fail(rewriter, "expects static float32 tensors");
  if (!paddings || int64_t(paddings->size()) != 2 * inputType.getRank() ||
      llvm::any_of(*paddings, [](int64_t p) { return p < 0; }))
    return binder.fail(rewriter, "paddings must be a constant [rank, 2] of "
                                 "non-negative values");
  Location loc = binder.getLoc();
  Value zero =
      createConst(rewriter, loc,
                  DenseElementsAttr::get(
                      RankedTensorType::get({1}, rewriter.getF32Type()), 0.0f));
  rewriter.replaceOpWithNewOp<tosa::PadOp>(
      binder.getNode(), type, binder.getInput(0),
      createConstShape(rewriter, loc, *paddings), zero);
  return success();
}

static LogicalResult convertConcatenation(NodeBinder &binder,
                                          PatternRewriter &rewriter) {
  RankedTensorType type = getFloatResultType(binder);
  if (!type || binder.getNumInputs() == 0)
    return binder.fail(rewriter, "expects float32 inputs and a static result");
  std::optional<int64_t> axis =
      normalizeAxis(binder.getInt("axis", 0), type.getRank());
  if (!axis)
    return binder.fail(rewriter, "axis is out of range");
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < binder.getNumInputs(); ++i) {
    if (!getFloatInputType(binder, i))
      return binder.fail(rewriter, "expects static float32 inputs");
    inputs.push_back(binder.getInput(i));
  }
  Value result = tosa::ConcatOp::create(rewriter, binder.getLoc(), type, inputs,
                                        rewriter.getI32IntegerAttr(*axis));
  FailureOr<Value> activated = applyFusedActivation(binder, rewriter, result);
  if (failed(activated))
    return failure();
  rewriter.replaceOp(binder.getNode(), *activated);
  return success();
}

// MEAN over constant axes: sums, a product with 1 / count, the result shape.
static LogicalResult convertMean(NodeBinder &binder,
                                 PatternRewriter &rewriter) {
  RankedTensorType type = getFloatResultType(binder);
  RankedTensorType inputType = getFloatInputType(binder, 0);
  std::optional<SmallVector<int64_t>> axes = binder.getIntsInput(1);
  if (!type || !inputType)
    return binder.fail(rewriter, "expects static float32 tensors");
  if (!axes)
    return binder.fail(rewriter, "the axes must be a constant");
  Location loc = binder.getLoc();
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> shape(inputType.getShape());
  Value sum = binder.getInput(0);
  int64_t count = 1;
  for (int64_t axis : *axes) {
    std::optional<int64_t> normalized = normalizeAxis(axis, rank);
    if (!normalized)
      return binder.fail(rewriter, "an axis is out of range");
    if (shape[*normalized] == 1)
      continue;
    count *= shape[*normalized];
    shape[*normalized] = 1;
    sum = tosa::ReduceSumOp::create(
        rewriter, loc, inputType.clone(shape), sum,
        rewriter.getI32IntegerAttr(int32_t(*normalized)));
  }
  Value mean =
      createMul(rewriter, loc, inputType.clone(shape), sum,
                createScalar(rewriter, loc, 1.0f / float(count), rank));
  rewriter.replaceOp(binder.getNode(),
                     createReshape(rewriter, loc, mean, type.getShape()));
  return success();
}

void tinyq::tflite_to_tosa::populateShapeHandlers(NodeHandlerTable &table) {
  table.add("RESHAPE", 1, convertToResultShape);
  table.add("SQUEEZE", 1, convertToResultShape);
  table.add("PAD", 1, convertPad);
  table.add("CONCATENATION", 1, convertConcatenation);
  table.add("MEAN", 1, convertMean);
}
