//===- Pooling.cpp - TFLite AVERAGE_POOL_2D and MAX_POOL_2D ---------------===//
//
// TFLite's average pool divides by the number of elements inside the input,
// as TOSA's does, so SAME padding maps directly.
//
//===----------------------------------------------------------------------===//

#include "TfliteToTosaCommon.h"

using namespace mlir;
using namespace tinyq;
using namespace tinyq::tflite_to_tosa;

template <bool isMax>
static LogicalResult convertPool(NodeBinder &binder,
                                 PatternRewriter &rewriter) {
  RankedTensorType inputType = getFloatInputType(binder, 0);
  RankedTensorType resultType = getFloatResultType(binder);
  if (!inputType || !resultType || inputType.getRank() != 4)
    return binder.fail(rewriter, "expects a static rank-4 float32 input "
                                 "(quantized operators take the quantized "
                                 "path)");
  ArrayRef<int64_t> in = inputType.getShape();
  SmallVector<int64_t> kernel = {binder.getInt("filter_height", 0),
                                 binder.getInt("filter_width", 0)};
  SmallVector<int64_t> strides = {binder.getInt("stride_h", 1),
                                  binder.getInt("stride_w", 1)};
  FailureOr<SpatialWindow> window = getTfliteWindow(
      binder, rewriter, in.slice(1, 2), kernel, strides, {1, 1});
  if (failed(window))
    return failure();
  SmallVector<int64_t> expected = {in[0], window->output[0], window->output[1],
                                   in[3]};
  if (resultType.getShape() != ArrayRef<int64_t>(expected))
    return binder.fail(rewriter, "the result shape does not match the "
                                 "operator's options");
  for (int i = 0; i < 4; ++i)
    if (window->pad[i] >= kernel[i / 2])
      return binder.fail(rewriter, "padding must be smaller than the filter");
  Location loc = binder.getLoc();
  Value input = cropNhwc(rewriter, loc, binder.getInput(0), *window);
  auto kernelAttr = rewriter.getDenseI64ArrayAttr(kernel);
  auto strideAttr = rewriter.getDenseI64ArrayAttr(window->strides);
  auto padAttr = rewriter.getDenseI64ArrayAttr(window->pad);
  Value result;
  if constexpr (isMax) {
    result = tosa::MaxPool2dOp::create(rewriter, loc, resultType, input,
                                       kernelAttr, strideAttr, padAttr);
  } else {
    Value zeroPoint = createZeroPoint(rewriter, loc, rewriter.getF32Type());
    result = tosa::AvgPool2dOp::create(
        rewriter, loc, resultType, input, zeroPoint, zeroPoint, kernelAttr,
        strideAttr, padAttr, TypeAttr::get(rewriter.getF32Type()));
  }
  FailureOr<Value> activated = applyFusedActivation(binder, rewriter, result);
  if (failed(activated))
    return failure();
  rewriter.replaceOp(binder.getNode(), *activated);
  return success();
}

void tinyq::tflite_to_tosa::populatePoolingHandlers(NodeHandlerTable &table) {
  table.add("AVERAGE_POOL_2D", 1, convertPool<false>);
  table.add("MAX_POOL_2D", 1, convertPool<true>);
}
