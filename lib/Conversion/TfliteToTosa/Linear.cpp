//===- Linear.cpp - TFLite CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED ----===//
//
// TFLite's layouts are TOSA's: NHWC activations, OHWI convolution filters.
// Depthwise filters [1, KH, KW, C*M] reshape to TOSA's [KH, KW, C, M];
// fully connected weights [O, K] transpose to a [1, K, O] matmul operand.
//
//===----------------------------------------------------------------------===//

#include "TfliteToTosaCommon.h"

using namespace mlir;
using namespace tinyq;
using namespace tinyq::tflite_to_tosa;

/// The bias input \p index, or a zero bias of \p channels.
static FailureOr<Value> getBias(NodeBinder &binder, PatternRewriter &rewriter,
                                unsigned index, int64_t channels) {
  if (!binder.getInput(index))
    return createConst(
        rewriter, binder.getLoc(),
        DenseElementsAttr::get(
            RankedTensorType::get({channels}, rewriter.getF32Type()), 0.0f));
  RankedTensorType type = getFloatInputType(binder, index);
  if (!type || type.getShape() != ArrayRef<int64_t>{channels})
    return binder.fail(rewriter, "the bias must hold one float per output "
                                 "channel");
  return binder.getInput(index);
}

template <bool isDepthwise>
static LogicalResult convertConv(NodeBinder &binder,
                                 PatternRewriter &rewriter) {
  RankedTensorType inputType = getFloatInputType(binder, 0);
  RankedTensorType resultType = getFloatResultType(binder);
  Value filterValue = getFloatWeights(binder, rewriter, 1);
  auto filterType =
      filterValue ? cast<RankedTensorType>(filterValue.getType()) : nullptr;
  if (!inputType || !filterType || !resultType)
    return binder.fail(rewriter, "expects static float32 input, filter and "
                                 "result (quantized operators take the "
                                 "quantized path)");
  if (inputType.getRank() != 4 || filterType.getRank() != 4)
    return binder.fail(rewriter, "expects rank-4 input and filter");
  ArrayRef<int64_t> in = inputType.getShape(), f = filterType.getShape();
  int64_t channels = in[3];
  int64_t outChannels = isDepthwise ? f[3] : f[0];
  if (isDepthwise ? (f[0] != 1 || outChannels % channels != 0)
                  : f[3] != channels)
    return binder.fail(rewriter, "the filter shape does not match the input "
                                 "channels");
  SmallVector<int64_t> strides = {binder.getInt("stride_h", 1),
                                  binder.getInt("stride_w", 1)};
  SmallVector<int64_t> dilations = {binder.getInt("dilation_h_factor", 1),
                                    binder.getInt("dilation_w_factor", 1)};
  ArrayRef<int64_t> kernel = isDepthwise ? f.slice(1, 2) : f.slice(1, 2);
  FailureOr<SpatialWindow> window = getTfliteWindow(
      binder, rewriter, in.slice(1, 2), kernel, strides, dilations);
  if (failed(window))
    return failure();
  SmallVector<int64_t> expected = {in[0], window->output[0], window->output[1],
                                   outChannels};
  if (resultType.getShape() != ArrayRef<int64_t>(expected))
    return binder.fail(rewriter, "the result shape does not match the "
                                 "operator's options");
  FailureOr<Value> bias = getBias(binder, rewriter, 2, outChannels);
  if (failed(bias))
    return failure();

  Location loc = binder.getLoc();
  Type f32 = rewriter.getF32Type();
  Value zeroPoint = createZeroPoint(rewriter, loc, f32);
  Value input = cropNhwc(rewriter, loc, binder.getInput(0), *window);
  auto pad = rewriter.getDenseI64ArrayAttr(window->pad);
  auto stride = rewriter.getDenseI64ArrayAttr(window->strides);
  auto dilation = rewriter.getDenseI64ArrayAttr(window->dilations);
  Value result;
  if constexpr (isDepthwise) {
    Value filter =
        createReshape(rewriter, loc, filterValue,
                      {f[1], f[2], channels, outChannels / channels});
    result = tosa::DepthwiseConv2DOp::create(
        rewriter, loc, resultType, input, filter, *bias, zeroPoint, zeroPoint,
        pad, stride, dilation, TypeAttr::get(f32));
  } else {
    result = tosa::Conv2DOp::create(rewriter, loc, resultType, input,
                                    filterValue, *bias, zeroPoint, zeroPoint,
                                    pad, stride, dilation, TypeAttr::get(f32));
  }
  FailureOr<Value> activated = applyFusedActivation(binder, rewriter, result);
  if (failed(activated))
    return failure();
  rewriter.replaceOp(binder.getNode(), *activated);
  return success();
}

// FULLY_CONNECTED: y = x W^T + b with x viewed as [rows, K].
static LogicalResult convertFullyConnected(NodeBinder &binder,
                                           PatternRewriter &rewriter) {
  RankedTensorType inputType = getFloatInputType(binder, 0);
  RankedTensorType resultType = getFloatResultType(binder);
  Value weights = getFloatWeights(binder, rewriter, 1);
  auto weightType =
      weights ? cast<RankedTensorType>(weights.getType()) : nullptr;
  if (!inputType || !weightType || !resultType || weightType.getRank() != 2)
    return binder.fail(rewriter, "expects static float32 input, [O, K] "
                                 "weights and result (quantized operators "
                                 "take the quantized path)");
  if (binder.getInt("weights_format", 0) != 0)
    return binder.fail(rewriter, "shuffled weight formats are not supported");
  int64_t outputs = weightType.getDimSize(0), depth = weightType.getDimSize(1);
  int64_t count = inputType.getNumElements();
  if (depth == 0 || count % depth != 0 ||
      resultType.getNumElements() != count / depth * outputs)
    return binder.fail(rewriter, "the input size is not a multiple of the "
                                 "weights' depth");
  FailureOr<Value> bias = getBias(binder, rewriter, 2, outputs);
  if (failed(bias))
    return failure();
  Location loc = binder.getLoc();
  Type f32 = rewriter.getF32Type();
  int64_t rows = count / depth;
  Value zeroPoint = createZeroPoint(rewriter, loc, f32);
  Value lhs =
      createReshape(rewriter, loc, binder.getInput(0), {1, rows, depth});
  Value rhs = createReshape(rewriter, loc,
                            createTranspose(rewriter, loc, weights, {1, 0}),
                            {1, depth, outputs});
  Value product = tosa::MatMulOp::create(
      rewriter, loc, RankedTensorType::get({1, rows, outputs}, f32), lhs, rhs,
      zeroPoint, zeroPoint);
  Value rowsOfProducts = createReshape(rewriter, loc, product, {rows, outputs});
  Value sum = tosa::AddOp::create(
      rewriter, loc, RankedTensorType::get({rows, outputs}, f32),
      rowsOfProducts, createReshape(rewriter, loc, *bias, {1, outputs}));
  FailureOr<Value> activated = applyFusedActivation(binder, rewriter, sum);
  if (failed(activated))
    return failure();
  rewriter.replaceOp(binder.getNode(), createReshape(rewriter, loc, *activated,
                                                     resultType.getShape()));
  return success();
}

void tinyq::tflite_to_tosa::populateLinearHandlers(NodeHandlerTable &table) {
  table.add("CONV_2D", 1, convertConv<false>);
  table.add("DEPTHWISE_CONV_2D", 1, convertConv<true>);
  table.add("FULLY_CONNECTED", 1, convertFullyConnected);
}
