//===- Linear.cpp - ONNX Conv, Gemm and MatMul ----------------------------===//
//
// Convolutions run in TOSA's NHWC / OHWI layout between transposes from and
// back to ONNX's NCHW / OIHW; a group count equal to the channel count with
// one input channel per group is a depthwise convolution, other group counts
// become one convolution per group. Gemm and MatMul become tosa.matmul on
// rank-3 operands.
//
//===----------------------------------------------------------------------===//

#include "OnnxToTosaCommon.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"

using namespace mlir;
using namespace tinyq;
using namespace tinyq::onnx_to_tosa;

/// A static-shaped float tensor type, or null.
static RankedTensorType getStaticFloat(RankedTensorType type) {
  return type && type.hasStaticShape() && isa<FloatType>(type.getElementType())
             ? type
             : nullptr;
}

/// Slices [offset, offset + size) of dimension \p dim.
static Value createSliceAlong(OpBuilder &builder, Location loc, Value value,
                              int64_t dim, int64_t offset, int64_t size) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> start(type.getRank(), 0), sizes(type.getShape());
  start[dim] = offset;
  sizes[dim] = size;
  Value startShape = createConstShape(builder, loc, start);
  return tosa::SliceOp::create(builder, loc, type.clone(sizes), value,
                               startShape,
                               createConstShape(builder, loc, sizes));
}

static LogicalResult convertConv(OnnxBinder &binder,
                                 PatternRewriter &rewriter) {
  RankedTensorType inputType = getStaticFloat(binder.getInputType(0));
  RankedTensorType weightType = getStaticFloat(binder.getInputType(1));
  RankedTensorType resultType = getStaticFloat(binder.getStaticResultType());
  if (!inputType || !weightType || !resultType)
    return binder.fail(rewriter, "expects static float input, weight and "
                                 "result shapes");
  if (inputType.getRank() != 4 || weightType.getRank() != 4)
    return binder.fail(rewriter,
                       "only 2-D convolutions (rank-4 tensors) are supported");
  ArrayRef<int64_t> in = inputType.getShape(), w = weightType.getShape();
  int64_t channels = in[1], outChannels = w[0];
  int64_t group = binder.getInt("group", 1);
  if (group < 1 || channels % group != 0 || outChannels % group != 0 ||
      w[1] * group != channels)
    return binder.fail(rewriter, "the weight shape does not match the input "
                                 "channels and the group count");
  FailureOr<SpatialWindow> window =
      getSpatialWindow(binder, rewriter, in.drop_front(2), w.drop_front(2));
  if (failed(window))
    return failure();
  SmallVector<int64_t> expected = {in[0], outChannels, window->output[0],
                                   window->output[1]};
  if (resultType.getShape() != ArrayRef<int64_t>(expected))
    return binder.fail(rewriter, "the inferred result shape does not match "
                                 "the convolution's attributes");
  RankedTensorType biasType = binder.getInputType(2);
  if (binder.getInput(2) &&
      (!biasType || biasType.getShape() != ArrayRef<int64_t>{outChannels}))
    return binder.fail(rewriter, "the bias must have one value per output "
                                 "channel");

  Location loc = binder.getLoc();
  Type f32 = resultType.getElementType();
  Value bias = binder.getInput(2);
  if (!bias)
    bias = createConst(
        rewriter, loc,
        DenseElementsAttr::get(RankedTensorType::get({outChannels}, f32),
                               rewriter.getFloatAttr(f32, 0.0)));
  Value zeroPoint = createZeroPoint(rewriter, loc, f32);
  Value input = cropNhwc(
      rewriter, loc,
      createTranspose(rewriter, loc, binder.getInput(0), kNchwToNhwc), *window);
  Value weight = binder.getInput(1);
  auto nhwcResultType =
      resultType.clone(permuteShape(resultType.getShape(), kNchwToNhwc));
  auto pad = rewriter.getDenseI64ArrayAttr(window->pad);
  auto stride = rewriter.getDenseI64ArrayAttr(window->strides);
  auto dilation = rewriter.getDenseI64ArrayAttr(window->dilations);
  auto accType = TypeAttr::get(f32);

  Value result;
  if (group == 1) {
    Value ohwi = createTranspose(rewriter, loc, weight, kNchwToNhwc);
    result = tosa::Conv2DOp::create(rewriter, loc, nhwcResultType, input, ohwi,
                                    bias, zeroPoint, zeroPoint, pad, stride,
                                    dilation, accType);
  } else if (group == channels) {
    // Depthwise: ONNX [C*M, 1, KH, KW] -> TOSA [KH, KW, C, M]; output
    // channel c*M + m is the same in both.
    int64_t multiplier = outChannels / channels;
    Value split = createReshape(rewriter, loc, weight,
                                {channels, multiplier, w[2], w[3]});
    Value hwcm = createTranspose(rewriter, loc, split, {2, 3, 0, 1});
    result = tosa::DepthwiseConv2DOp::create(
        rewriter, loc, nhwcResultType, input, hwcm, bias, zeroPoint, zeroPoint,
        pad, stride, dilation, accType);
  } else {
    int64_t groupIn = channels / group, groupOut = outChannels / group;
    SmallVector<int64_t> groupShape(nhwcResultType.getShape());
    groupShape[3] = groupOut;
    SmallVector<Value> parts;
    for (int64_t g = 0; g < group; ++g) {
      Value x = createSliceAlong(rewriter, loc, input, 3, g * groupIn, groupIn);
      Value k = createTranspose(
          rewriter, loc,
          createSliceAlong(rewriter, loc, weight, 0, g * groupOut, groupOut),
          kNchwToNhwc);
      Value b =
          createSliceAlong(rewriter, loc, bias, 0, g * groupOut, groupOut);
      parts.push_back(tosa::Conv2DOp::create(
          rewriter, loc, nhwcResultType.clone(groupShape), x, k, b, zeroPoint,
          zeroPoint, pad, stride, dilation, accType));
    }
    result = tosa::ConcatOp::create(rewriter, loc, nhwcResultType, parts,
                                    rewriter.getI32IntegerAttr(3));
  }
  rewriter.replaceOp(binder.getNode(),
                     createTranspose(rewriter, loc, result, kNhwcToNchw));
  return success();
}

/// a [M, K] x b [K, N] through tosa.matmul on [1, M, K] x [1, K, N].
static Value createMatMul2D(PatternRewriter &rewriter, Location loc, Value a,
                            Value b) {
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(b.getType());
  int64_t m = aType.getDimSize(0), n = bType.getDimSize(1);
  Type f32 = aType.getElementType();
  Value zeroPoint = createZeroPoint(rewriter, loc, f32);
  Value lhs = createReshape(rewriter, loc, a, {1, m, aType.getDimSize(1)});
  Value rhs = createReshape(rewriter, loc, b, {1, bType.getDimSize(0), n});
  Value product = tosa::MatMulOp::create(rewriter, loc,
                                         RankedTensorType::get({1, m, n}, f32),
                                         lhs, rhs, zeroPoint, zeroPoint);
  return createReshape(rewriter, loc, product, {m, n});
}

// Gemm: alpha * A' B' + beta * C with A' = transA ? A^T : A, likewise B.
static LogicalResult convertGemm(OnnxBinder &binder,
                                 PatternRewriter &rewriter) {
  RankedTensorType aType = getStaticFloat(binder.getInputType(0));
  RankedTensorType bType = getStaticFloat(binder.getInputType(1));
  RankedTensorType resultType = getStaticFloat(binder.getStaticResultType());
  if (!aType || !bType || !resultType || aType.getRank() != 2 ||
      bType.getRank() != 2)
    return binder.fail(rewriter, "expects static rank-2 float A and B");
  if (binder.getInput(2) && !getStaticFloat(binder.getInputType(2)))
    return binder.fail(rewriter, "expects a static float C");
  Location loc = binder.getLoc();
  Value a = binder.getInput(0), b = binder.getInput(1);
  if (binder.getInt("transA", 0))
    a = createTranspose(rewriter, loc, a, {1, 0});
  if (binder.getInt("transB", 0))
    b = createTranspose(rewriter, loc, b, {1, 0});
  if (cast<RankedTensorType>(a.getType()).getDimSize(1) !=
      cast<RankedTensorType>(b.getType()).getDimSize(0))
    return binder.fail(rewriter, "the inner dimensions of A and B differ");
  Value result = createMatMul2D(rewriter, loc, a, b);
  float alpha = binder.getFloat("alpha", 1.0f);
  float beta = binder.getFloat("beta", 1.0f);
  if (alpha != 1.0f)
    result = createMul(rewriter, loc, resultType, result,
                       createScalar(rewriter, loc, alpha, 2));
  if (Value c = binder.getInput(2)) {
    c = broadcastToRank(rewriter, loc, c, 2);
    if (beta != 1.0f)
      c = createMul(rewriter, loc, c.getType(), c,
                    createScalar(rewriter, loc, beta, 2));
    result = tosa::AddOp::create(rewriter, loc, resultType, result, c);
  }
  rewriter.replaceOp(binder.getNode(), result);
  return success();
}

// MatMul with numpy semantics: a rank-2 B is shared by every leading index
// of A; otherwise the leading (batch) dimensions must agree.
static LogicalResult convertMatMul(OnnxBinder &binder,
                                   PatternRewriter &rewriter) {
  RankedTensorType aType = getStaticFloat(binder.getInputType(0));
  RankedTensorType bType = getStaticFloat(binder.getInputType(1));
  RankedTensorType resultType = getStaticFloat(binder.getStaticResultType());
  if (!aType || !bType || !resultType || aType.getRank() < 2 ||
      bType.getRank() < 2)
    return binder.fail(rewriter, "expects static float operands of rank >= 2 "
                                 "(1-D operands are not supported)");
  ArrayRef<int64_t> a = aType.getShape(), b = bType.getShape();
  int64_t k = a.back();
  if (b[b.size() - 2] != k)
    return binder.fail(rewriter, "the inner dimensions of A and B differ");
  Location loc = binder.getLoc();
  Type f32 = resultType.getElementType();
  Value zeroPoint = createZeroPoint(rewriter, loc, f32);
  int64_t n = b.back();
  Value product;
  if (bType.getRank() == 2) {
    int64_t rows = aType.getNumElements() / k;
    Value lhs = createReshape(rewriter, loc, binder.getInput(0), {1, rows, k});
    Value rhs = createReshape(rewriter, loc, binder.getInput(1), {1, k, n});
    product = tosa::MatMulOp::create(rewriter, loc,
                                     RankedTensorType::get({1, rows, n}, f32),
                                     lhs, rhs, zeroPoint, zeroPoint);
  } else {
    if (a.drop_back(2) != b.drop_back(2))
      return binder.fail(rewriter, "batch dimensions must match (broadcast "
                                   "batch dimensions are not supported)");
    int64_t batch = aType.getNumElements() / (a[a.size() - 2] * k);
    int64_t m = a[a.size() - 2];
    Value lhs = createReshape(rewriter, loc, binder.getInput(0), {batch, m, k});
    Value rhs = createReshape(rewriter, loc, binder.getInput(1), {batch, k, n});
    product = tosa::MatMulOp::create(rewriter, loc,
                                     RankedTensorType::get({batch, m, n}, f32),
                                     lhs, rhs, zeroPoint, zeroPoint);
  }
  rewriter.replaceOp(binder.getNode(), createReshape(rewriter, loc, product,
                                                     resultType.getShape()));
  return success();
}

void tinyq::onnx_to_tosa::populateLinearHandlers(OnnxHandlerTable &table) {
  table.add("Conv", 11, convertConv);
  table.add("Gemm", 11, convertGemm);
  table.add("MatMul", 9, convertMatMul);
}
