//===- Pooling.cpp - ONNX pooling operators -------------------------------===//
//
// MaxPool, AveragePool and the global pools as TOSA NHWC pools between
// layout transposes. TOSA's average pool divides by the number of elements
// that are not padding, which is ONNX's count_include_pad = 0; the other
// setting pads explicitly with zeros first.
//
//===----------------------------------------------------------------------===//

#include "OnnxToTosaCommon.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"

using namespace mlir;
using namespace tinyq;
using namespace tinyq::onnx_to_tosa;

/// Checks a pooling node's input and result; returns the input type.
static FailureOr<RankedTensorType> getPoolInput(OnnxBinder &binder,
                                                PatternRewriter &rewriter) {
  RankedTensorType type = binder.getInputType(0);
  RankedTensorType result = binder.getStaticResultType();
  if (!type || !type.hasStaticShape() || type.getRank() != 4 || !result ||
      !isa<FloatType>(type.getElementType()))
    return binder.fail(rewriter, "only 2-D pooling of static float rank-4 "
                                 "tensors is supported");
  return type;
}

static Value replaceWithPool(OnnxBinder &binder, PatternRewriter &rewriter,
                             Value nhwcResult) {
  Value result =
      createTranspose(rewriter, binder.getLoc(), nhwcResult, kNhwcToNchw);
  rewriter.replaceOp(binder.getNode(), result);
  return result;
}

template <bool isMax>
static LogicalResult convertPool(OnnxBinder &binder,
                                 PatternRewriter &rewriter) {
  FailureOr<RankedTensorType> type = getPoolInput(binder, rewriter);
  if (failed(type))
    return failure();
  std::optional<SmallVector<int64_t>> kernel = binder.getInts("kernel_shape");
  if (!kernel || kernel->size() != 2)
    return binder.fail(rewriter, "kernel_shape needs two values");
  if (std::optional<SmallVector<int64_t>> dilations =
          binder.getInts("dilations"))
    if (llvm::any_of(*dilations, [](int64_t d) { return d != 1; }))
      return binder.fail(rewriter, "dilated pooling is not supported");
  if (isMax && (binder.isResultUsed(1) || binder.getInt("storage_order", 0)))
    return binder.fail(rewriter, "the Indices output is not supported");
  bool ceilMode = binder.getInt("ceil_mode", 0) != 0;
  bool includePad = !isMax && binder.getInt("count_include_pad", 0) != 0;
  if (includePad && ceilMode)
    return binder.fail(rewriter, "count_include_pad with ceil_mode is not "
                                 "supported");
  ArrayRef<int64_t> in = type->getShape();
  FailureOr<SpatialWindow> window =
      getSpatialWindow(binder, rewriter, in.drop_front(2), *kernel, ceilMode);
  if (failed(window))
    return failure();
  RankedTensorType resultType = binder.getStaticResultType();
  SmallVector<int64_t> expected = {in[0], in[1], window->output[0],
                                   window->output[1]};
  if (resultType.getShape() != ArrayRef<int64_t>(expected))
    return binder.fail(rewriter, "the inferred result shape does not match "
                                 "the pooling attributes");
  for (int i = 0; i < 4; ++i)
    if (window->pad[i] >= (*kernel)[i / 2])
      return binder.fail(rewriter, "padding must be smaller than the kernel");

  Location loc = binder.getLoc();
  Value input = cropNhwc(
      rewriter, loc,
      createTranspose(rewriter, loc, binder.getInput(0), kNchwToNhwc), *window);
  auto nhwcType =
      resultType.clone(permuteShape(resultType.getShape(), kNchwToNhwc));
  SmallVector<int64_t, 4> pad(window->pad.begin(), window->pad.end());
  if (includePad && llvm::any_of(pad, [](int64_t p) { return p != 0; })) {
    auto inType = cast<RankedTensorType>(input.getType());
    SmallVector<int64_t> padded(inType.getShape());
    padded[1] += pad[0] + pad[1];
    padded[2] += pad[2] + pad[3];
    Type f32 = inType.getElementType();
    Value padding = createConstShape(
        rewriter, loc, {0, 0, pad[0], pad[1], pad[2], pad[3], 0, 0});
    input = tosa::PadOp::create(
        rewriter, loc, inType.clone(padded), input, padding,
        createConst(rewriter, loc,
                    DenseElementsAttr::get(RankedTensorType::get({1}, f32),
                                           rewriter.getFloatAttr(f32, 0.0))));
    pad.assign(4, 0);
  }
  Value result;
  if constexpr (isMax) {
    result = tosa::MaxPool2dOp::create(
        rewriter, loc, nhwcType, input, rewriter.getDenseI64ArrayAttr(*kernel),
        rewriter.getDenseI64ArrayAttr(window->strides),
        rewriter.getDenseI64ArrayAttr(pad));
  } else {
    Type f32 = type->getElementType();
    Value zeroPoint = createZeroPoint(rewriter, loc, f32);
    result = tosa::AvgPool2dOp::create(
        rewriter, loc, nhwcType, input, zeroPoint, zeroPoint,
        rewriter.getDenseI64ArrayAttr(*kernel),
        rewriter.getDenseI64ArrayAttr(window->strides),
        rewriter.getDenseI64ArrayAttr(pad), TypeAttr::get(f32));
  }
  replaceWithPool(binder, rewriter, result);
  return success();
}

template <bool isMax>
static LogicalResult convertGlobalPool(OnnxBinder &binder,
                                       PatternRewriter &rewriter) {
  FailureOr<RankedTensorType> type = getPoolInput(binder, rewriter);
  if (failed(type))
    return failure();
  ArrayRef<int64_t> in = type->getShape();
  Location loc = binder.getLoc();
  Value input = createTranspose(rewriter, loc, binder.getInput(0), kNchwToNhwc);
  auto nhwcType =
      RankedTensorType::get({in[0], 1, 1, in[1]}, type->getElementType());
  auto kernel = rewriter.getDenseI64ArrayAttr({in[2], in[3]});
  auto stride = rewriter.getDenseI64ArrayAttr({1, 1});
  auto pad = rewriter.getDenseI64ArrayAttr({0, 0, 0, 0});
  Value result;
  if constexpr (isMax) {
    result = tosa::MaxPool2dOp::create(rewriter, loc, nhwcType, input, kernel,
                                       stride, pad);
  } else {
    Value zeroPoint = createZeroPoint(rewriter, loc, type->getElementType());
    result = tosa::AvgPool2dOp::create(
        rewriter, loc, nhwcType, input, zeroPoint, zeroPoint, kernel, stride,
        pad, TypeAttr::get(type->getElementType()));
  }
  replaceWithPool(binder, rewriter, result);
  return success();
}

void tinyq::onnx_to_tosa::populatePoolingHandlers(OnnxHandlerTable &table) {
  table.add("MaxPool", 11, convertPool<true>);
  table.add("AveragePool", 11, convertPool<false>);
  table.add("GlobalAveragePool", 1, convertGlobalPool<false>);
  table.add("GlobalMaxPool", 1, convertGlobalPool<true>);
}
