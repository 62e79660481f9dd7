//===- Sparq.cpp - SPARQ activations to integer code ----------------------===//
//
// tinyq.sparq as integer arithmetic, and the layers with SPARQ activations
// as plain layers over tinyq.sparq of their input, or of explicit windows
// where vSPARQ pairs cross from one kernel tap to the next.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Numerics/Sparq.h"
#include "Patterns.h"
#include "tinyq/Dialect/TinyQ/Utils/NumericsBridge.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace tinyq;

namespace {
/// tinyq.sparq as integer arithmetic: each element's magnitude
/// clamp(x - z, 0, 255) through bSPARQ (or, with pairs, the pair rule with
/// its neighbour along the innermost dimension, an odd last element paired
/// with a virtual zero), plus z, saturated to the element type.
struct LowerSparq : OpRewritePattern<SparqOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SparqOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getInput().getType());
    if (!type.hasStaticShape() || type.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "needs a static ranked shape");
    numerics::SparqConfig config = getSparqConfig(op.getConfig());
    int32_t zeroPoint = op.getZeroPoint();
    auto elementType = cast<IntegerType>(type.getElementType());
    int64_t storageMin = -(int64_t(1) << (elementType.getWidth() - 1)),
            storageMax = (int64_t(1) << (elementType.getWidth() - 1)) - 1;
    Location loc = op.getLoc();
    auto magnitude = [&](Int32Builder &i32, OpBuilder &b, Location bodyLoc,
                         Value x) {
      if (x.getType() != b.getI32Type())
        x = arith::ExtSIOp::create(b, bodyLoc, b.getI32Type(), x);
      Value centered = i32.sub(x, i32.constant(zeroPoint));
      Value positive = i32.max(centered, i32.constant(0));
      return i32.min(positive, i32.constant(255));
    };
    auto store = [&](Int32Builder &i32, Value result) {
      Value shifted = i32.add(result, i32.constant(zeroPoint));
      Value raised = i32.max(shifted, i32.constant(storageMin));
      return i32.min(raised, i32.constant(storageMax));
    };
    int64_t rank = type.getRank();
    if (!config.pairs) {
      Value result = createNarrowingGeneric(
          rewriter, loc, type, op.getInput(),
          rewriter.getMultiDimIdentityMap(rank),
          [&](Int32Builder &i32, OpBuilder &b, Location bodyLoc,
              ValueRange args) {
            Value a = magnitude(i32, b, bodyLoc, args[0]);
            return store(i32, i32.bitSparq(a, config.windowBits,
                                           config.shiftMask, config.rounding));
          });
      rewriter.replaceOp(op, result);
      return success();
    }

    // Pairs along the innermost dimension: pad an odd length with the zero
    // point (magnitude 0, the virtual zero), view it as [..., L/2, 2], and
    // let element e of each pair read both members.
    ArrayRef<int64_t> shape = type.getShape();
    int64_t length = shape.back(), even = length + length % 2;
    Value input = op.getInput();
    if (even != length) {
      SmallVector<OpFoldResult> low(rank, rewriter.getIndexAttr(0)),
          high(rank, rewriter.getIndexAttr(0));
      high.back() = rewriter.getIndexAttr(1);
      SmallVector<int64_t> paddedShape(shape);
      paddedShape.back() = even;
      Value padValue =
          arith::ConstantIntOp::create(rewriter, loc, elementType, zeroPoint);
      input = tensor::PadOp::create(rewriter, loc, type.clone(paddedShape),
                                    input, low, high, padValue);
    }
    SmallVector<int64_t> pairShape(shape.drop_back());
    pairShape.append({even / 2, 2});
    SmallVector<ReassociationIndices> reassociation;
    for (int64_t d = 0; d + 1 < rank; ++d)
      reassociation.push_back({d});
    reassociation.push_back({rank - 1, rank});
    auto pairType = type.clone(pairShape);
    Value pairs = tensor::ExpandShapeOp::create(rewriter, loc, pairType, input,
                                                reassociation);
    SmallVector<AffineExpr> firstExprs, secondExprs;
    for (int64_t d = 0; d < rank; ++d) {
      firstExprs.push_back(rewriter.getAffineDimExpr(d));
      secondExprs.push_back(rewriter.getAffineDimExpr(d));
    }
    firstExprs.push_back(rewriter.getAffineConstantExpr(0));
    secondExprs.push_back(rewriter.getAffineConstantExpr(1));
    MLIRContext *context = rewriter.getContext();
    Value coded = createNarrowingGeneric(
        rewriter, loc, pairType, ValueRange{pairs, pairs},
        {AffineMap::get(rank + 1, 0, firstExprs, context),
         AffineMap::get(rank + 1, 0, secondExprs, context)},
        [&](Int32Builder &i32, OpBuilder &b, Location bodyLoc,
            ValueRange args) {
          Value first = magnitude(i32, b, bodyLoc, args[0]);
          Value second = magnitude(i32, b, bodyLoc, args[1]);
          Value member = arith::IndexCastOp::create(
              b, bodyLoc, b.getI32Type(),
              linalg::IndexOp::create(b, bodyLoc, rank));
          Value isFirst =
              i32.cmp(arith::CmpIPredicate::eq, member, i32.constant(0));
          Value asFirst = i32.pairSparq(first, second, config);
          Value asSecond = i32.pairSparq(second, first, config);
          return store(i32, i32.select(isFirst, asFirst, asSecond));
        });
    Value result = tensor::CollapseShapeOp::create(
        rewriter, loc, cast<RankedTensorType>(input.getType()), coded,
        reassociation);
    if (even != length) {
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)), sizes,
          strides(rank, rewriter.getIndexAttr(1));
      for (int64_t extent : shape)
        sizes.push_back(rewriter.getIndexAttr(extent));
      result = tensor::ExtractSliceOp::create(rewriter, loc, type, result,
                                              offsets, sizes, strides);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

std::string tinyq::getSparqExtractionProblem(IntegerLayerOpInterface op) {
  SparqAttr sparq = op.getSparqAttr();
  if (!sparq)
    return {};
  if (op.getInputZeroPoint() != -128)
    return "SPARQ needs the input zero point -128 (a range starting at 0), "
           "not " +
           std::to_string(op.getInputZeroPoint());
  if (op.isChannelwise() && sparq.getPairs() &&
      op.getOutputChannels() != op.getInput().getType().getDimSize(3))
    return "vSPARQ pairs of a depthwise layer with a channel multiplier "
           "are not lowered yet";
  return {};
}

namespace {
/// Whether \p op's vSPARQ rows span more than one position of its input's
/// innermost dimension (a window of several taps whose pairs cross from
/// one tap to the next: a depthwise window, a convolution window over an
/// odd number of channels), so that SPARQ cannot run on the input alone.
bool hasWindowPairs(IntegerLayerOpInterface op) {
  SparqAttr sparq = op.getSparqAttr();
  if (!sparq || !sparq.getPairs())
    return false;
  std::array<int64_t, 2> kernel = op.getKernelSize();
  return kernel[0] * kernel[1] > 1 && op.getTapChannels() % 2 != 0;
}

/// layer(sparq-config, x) -> layer(tinyq.sparq(x)) where the rows' pairs
/// stay within positions of x.
struct ExtractLayerSparq : OpInterfaceRewritePattern<IntegerLayerOpInterface> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(IntegerLayerOpInterface op,
                                PatternRewriter &rewriter) const override {
    SparqAttr sparq = op.getSparqAttr();
    if (!sparq || !getSparqExtractionProblem(op).empty() || hasWindowPairs(op))
      return failure();
    Value coded = SparqOp::create(rewriter, op.getLoc(), op.getInput(), sparq,
                                  op.getInputZeroPoint());
    rewriter.modifyOpInPlace(op, [&] {
      op.getInputMutable().assign(coded);
      op.removeSparqAttr();
    });
    return success();
  }
};

/// A window of \p padded (NHWC) per output pixel of \p op, as
/// [N, OH, OW, KH, KW, C] or, with \p channelsFirst, [N, OH, OW, C, KH, KW]:
/// the reduction rows of SPARQ in their order.
template <typename ConvOp>
Value gatherWindows(PatternRewriter &rewriter, ConvOp op, Value padded,
                    int64_t kernelH, int64_t kernelW, bool channelsFirst) {
  Location loc = op.getLoc();
  auto outputType = op.getOutput().getType();
  int64_t n = outputType.getDimSize(0), oh = outputType.getDimSize(1),
          ow = outputType.getDimSize(2);
  int64_t c = op.getInput().getType().getDimSize(3);
  ArrayRef<int64_t> stride = op.getStride(), dilation = op.getDilation();
  MLIRContext *context = rewriter.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
  // Loop dims: n, oh, ow, then kh, kw, c or c, kh, kw.
  AffineExpr kh = channelsFirst ? d(4) : d(3), kw = channelsFirst ? d(5) : d(4),
             ch = channelsFirst ? d(3) : d(5);
  AffineMap inputMap =
      AffineMap::get(6, 0,
                     {d(0), d(1) * stride[0] + kh * dilation[0],
                      d(2) * stride[1] + kw * dilation[1], ch},
                     context);
  SmallVector<int64_t> shape =
      channelsFirst ? SmallVector<int64_t>{n, oh, ow, c, kernelH, kernelW}
                    : SmallVector<int64_t>{n, oh, ow, kernelH, kernelW, c};
  auto type = RankedTensorType::get(shape, rewriter.getI8Type());
  Value init =
      tensor::EmptyOp::create(rewriter, loc, shape, rewriter.getI8Type());
  return linalg::GenericOp::create(
             rewriter, loc, type, padded, init,
             ArrayRef<AffineMap>{inputMap, rewriter.getMultiDimIdentityMap(6)},
             SmallVector<utils::IteratorType>(6, utils::IteratorType::parallel),
             [](OpBuilder &b, Location bodyLoc, ValueRange args) {
               linalg::YieldOp::create(b, bodyLoc, args[0]);
             })
      .getResult(0);
}

/// \p weights (a constant) reshaped to \p shape.
Value reshapeConstant(PatternRewriter &rewriter, Location loc, Value weights,
                      ArrayRef<int64_t> shape) {
  DenseElementsAttr values;
  if (!matchPattern(weights, m_Constant(&values)))
    return {};
  auto type = RankedTensorType::get(shape, values.getElementType());
  return arith::ConstantOp::create(rewriter, loc, type, values.reshape(type));
}

/// A layer whose vSPARQ rows span several input positions, over explicit
/// windows: a convolution becomes a fully connected layer over its
/// [N*OH*OW, KH*KW*C] windows (which keeps the SPARQ rows whole); a
/// depthwise layer applies tinyq.sparq to its [N, OH, OW, C, KH*KW]
/// windows and becomes a 1xK depthwise layer over them.
template <typename ConvOp>
struct LowerSparqWindows : OpRewritePattern<ConvOp> {
  using OpRewritePattern<ConvOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    bool isDepthwise = op.isChannelwise();
    if (!hasWindowPairs(op) || !getSparqExtractionProblem(op).empty())
      return failure();
    Location loc = op.getLoc();
    auto outputType = op.getOutput().getType();
    int64_t n = outputType.getDimSize(0), oh = outputType.getDimSize(1),
            ow = outputType.getDimSize(2), outC = outputType.getDimSize(3);
    int64_t c = op.getInput().getType().getDimSize(3);
    auto [kernelH, kernelW] = op.getKernelSize();
    int64_t rows = n * oh * ow, taps = kernelH * kernelW;
    Value padded = padWithZeroPoint(rewriter, loc, op.getInput(), op.getPad(),
                                    op.getInputZeroPoint());
    Value windows =
        gatherWindows(rewriter, op, padded, kernelH, kernelW, isDepthwise);
    auto i8 = rewriter.getI8Type();
    Value result;
    if (isDepthwise) {
      Value rowsOfTaps = tensor::CollapseShapeOp::create(
          rewriter, loc, RankedTensorType::get({n, oh, ow, c, taps}, i8),
          windows, ArrayRef<ReassociationIndices>{{0}, {1}, {2}, {3}, {4, 5}});
      Value coded = SparqOp::create(rewriter, loc, rowsOfTaps,
                                    op.getSparqAttr(), op.getInputZeroPoint());
      Value tapsFirst =
          linalg::TransposeOp::create(
              rewriter, loc, coded,
              tensor::EmptyOp::create(
                  rewriter, loc, ArrayRef<int64_t>{n, oh, ow, taps, c}, i8),
              ArrayRef<int64_t>{0, 1, 2, 4, 3})
              .getResult()[0];
      Value input = tensor::CollapseShapeOp::create(
          rewriter, loc, RankedTensorType::get({rows, taps, c}, i8), tapsFirst,
          ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}, {4}});
      input = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get({rows, 1, taps, c}, i8), input,
          ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
      Value weights =
          reshapeConstant(rewriter, loc, op.getWeights(), {1, taps, c});
      if (!weights)
        return rewriter.notifyMatchFailure(op, "weights are not constant");
      SmallVector<int64_t> zeros = {0, 0, 0, 0}, ones = {1, 1};
      result = tinyq::DepthwiseConv2DOp::create(
          rewriter, loc, RankedTensorType::get({rows, 1, 1, outC}, i8), input,
          weights, op.getBias(), op.getInputZeroPoint(),
          op.getOutputZeroPoint(), op.getMultiplier(), op.getShift(),
          op.getClampMin(), op.getClampMax(), SparqAttr(), zeros, ones, ones);
      result = tensor::CollapseShapeOp::create(
          rewriter, loc, RankedTensorType::get({rows, outC}, i8), result,
          ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    } else {
      Value input = tensor::CollapseShapeOp::create(
          rewriter, loc, RankedTensorType::get({rows, taps * c}, i8), windows,
          ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});
      Value weights =
          reshapeConstant(rewriter, loc, op.getWeights(), {outC, taps * c});
      if (!weights)
        return rewriter.notifyMatchFailure(op, "weights are not constant");
      result = FullyConnectedOp::create(
          rewriter, loc, RankedTensorType::get({rows, outC}, i8), input,
          weights, op.getBias(), op.getInputZeroPoint(),
          op.getOutputZeroPoint(), op.getMultiplier(), op.getShift(),
          op.getClampMin(), op.getClampMax(), op.getSparqAttr());
    }
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, outputType, result, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    return success();
  }
};
} // namespace

void tinyq::populateSparqPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerSparq>(patterns.getContext());
  // SPARQ first, so that the layer lowerings never see it.
  patterns.add<ExtractLayerSparq, LowerSparqWindows<tinyq::Conv2DOp>,
               LowerSparqWindows<tinyq::DepthwiseConv2DOp>>(
      patterns.getContext(), /*benefit=*/2);
}
