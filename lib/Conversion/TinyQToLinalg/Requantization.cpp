//===- Requantization.cpp - Requantizing ops to integer code --------------===//
//
// tinyq.requantize, tinyq.add and tinyq.avg_pool2d as elementwise 32-bit
// integer arithmetic with the numerics library's rules.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"

using namespace mlir;
using namespace tinyq;

Value tinyq::createNarrowingGeneric(
    OpBuilder &builder, Location loc, RankedTensorType resultType,
    ValueRange inputs, ArrayRef<AffineMap> inputMaps,
    function_ref<Value(Int32Builder &, OpBuilder &, Location, ValueRange)>
        compute) {
  int64_t rank = resultType.getRank();
  Value init = tensor::EmptyOp::create(builder, loc, resultType.getShape(),
                                       resultType.getElementType());
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(builder.getMultiDimIdentityMap(rank));
  return linalg::GenericOp::create(
             builder, loc, resultType, inputs, ValueRange{init}, maps,
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
               Int32Builder i32(b, bodyLoc);
               Value result = compute(i32, b, bodyLoc, args.drop_back());
               linalg::YieldOp::create(
                   b, bodyLoc,
                   arith::TruncIOp::create(b, bodyLoc,
                                           resultType.getElementType(), result)
                       .getResult());
             })
      .getResult(0);
}

namespace {
struct LowerRequantize : OpRewritePattern<RequantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RequantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto inputType = op.getInput().getType();
    auto resultType = op.getOutput().getType();
    if (!inputType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    Location loc = op.getLoc();
    int64_t rank = inputType.getRank();
    auto channelsType = RankedTensorType::get(
        {int64_t(op.getMultiplier().size())}, rewriter.getI32Type());
    Value multipliers = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(channelsType, op.getMultiplier()));
    Value shifts = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(channelsType, op.getShift()));
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineExpr channel = op.getAxis()
                             ? rewriter.getAffineDimExpr(int64_t(*op.getAxis()))
                             : rewriter.getAffineConstantExpr(0);
    AffineMap channelMap = AffineMap::get(rank, 0, channel);
    int32_t zeroPoint = op.getZeroPoint(), clampMin = op.getClampMin(),
            clampMax = op.getClampMax(),
            inputZeroPoint = op.getInputZeroPoint();
    Value result = createNarrowingGeneric(
        rewriter, loc, resultType,
        ValueRange{op.getInput(), multipliers, shifts},
        {identity, channelMap, channelMap},
        [&](Int32Builder &i32, OpBuilder &b, Location bodyLoc,
            ValueRange args) {
          Value x = args[0];
          if (x.getType() != b.getI32Type())
            x = arith::ExtSIOp::create(b, bodyLoc, b.getI32Type(), x);
          if (inputZeroPoint != 0)
            x = i32.sub(x, i32.constant(inputZeroPoint));
          return i32.requantize(x, args[1], args[2], zeroPoint, clampMin,
                                clampMax);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// tinyq.add -> one elementwise linalg.generic with the rescaling of
/// numerics::reference::add.
struct LowerAdd : OpRewritePattern<tinyq::AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tinyq::AddOp op,
                                PatternRewriter &rewriter) const override {
    auto resultType = op.getOutput().getType();
    if (!resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    Location loc = op.getLoc();
    int64_t rank = resultType.getRank();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    ArrayRef<int32_t> multipliers = op.getMultiplier(), shifts = op.getShift();
    int32_t lhsZeroPoint = op.getLhsZeroPoint(),
            rhsZeroPoint = op.getRhsZeroPoint(),
            outputZeroPoint = op.getOutputZeroPoint(),
            clampMin = op.getClampMin(), clampMax = op.getClampMax();
    int64_t headroom = int64_t(1) << op.getLeftShift();
    Value result = createNarrowingGeneric(
        rewriter, loc, resultType, ValueRange{op.getLhs(), op.getRhs()},
        {identity, identity},
        [&](Int32Builder &i32, OpBuilder &b, Location bodyLoc,
            ValueRange args) {
          // (x - z) * 2^left_shift fits: the verifier bounds the shift.
          auto rescale = [&](Value x, int32_t zeroPoint, int index) {
            Value wide = arith::ExtSIOp::create(b, bodyLoc, b.getI32Type(), x);
            Value centered = i32.sub(wide, i32.constant(zeroPoint));
            Value shifted = arith::MulIOp::create(b, bodyLoc, centered,
                                                  i32.constant(headroom));
            Value multiplier = i32.constant(multipliers[index]);
            return i32.multiplyByQuantizedMultiplier(
                shifted, multiplier, i32.constant(shifts[index]));
          };
          Value lhs = rescale(args[0], lhsZeroPoint, 0);
          Value sum = i32.add(lhs, rescale(args[1], rhsZeroPoint, 1));
          Value multiplier = i32.constant(multipliers[2]);
          return i32.requantize(sum, multiplier, i32.constant(shifts[2]),
                                outputZeroPoint, clampMin, clampMax);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// tinyq.avg_pool2d -> the input padded with its zero point, a
/// linalg.pooling_nhwc_sum into int32 (padding adds the zero point, which
/// the `- K * z_in` correction removes), then one elementwise
/// linalg.generic that divides by the number of valid window positions
/// (from the output indices) rounding half away from zero, and
/// requantizes.
struct LowerAvgPool : OpRewritePattern<tinyq::AvgPool2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tinyq::AvgPool2DOp op,
                                PatternRewriter &rewriter) const override {
    auto inputType = op.getInput().getType();
    auto resultType = op.getOutput().getType();
    if (!inputType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    Location loc = op.getLoc();
    auto i32 = rewriter.getI32Type();
    ArrayRef<int64_t> kernel = op.getKernel(), stride = op.getStride(),
                      pad = op.getPad();
    int32_t inputZeroPoint = op.getInputZeroPoint();
    Value input =
        padWithZeroPoint(rewriter, loc, op.getInput(), pad, inputZeroPoint);
    auto sumType = resultType.clone(i32);
    Value zero = arith::ConstantIntOp::create(rewriter, loc, i32, 0);
    Value init =
        tensor::EmptyOp::create(rewriter, loc, sumType.getShape(), i32);
    Value filled = linalg::FillOp::create(rewriter, loc, zero, init).result();
    Value window = tensor::EmptyOp::create(rewriter, loc, kernel, i32);
    Value sums =
        linalg::PoolingNhwcSumOp::create(
            rewriter, loc, TypeRange{sumType}, ValueRange{input, window},
            ValueRange{filled}, rewriter.getI64VectorAttr(stride),
            rewriter.getI64VectorAttr({1, 1}))
            .getResult(0);

    int64_t height = inputType.getDimSize(1), width = inputType.getDimSize(2);
    int32_t windowZeroPoints = int32_t(kernel[0] * kernel[1]) * inputZeroPoint;
    int32_t multiplier = op.getMultiplier()[0], shift = op.getShift()[0];
    int32_t outputZeroPoint = op.getOutputZeroPoint(),
            clampMin = op.getClampMin(), clampMax = op.getClampMax();
    Value result = createNarrowingGeneric(
        rewriter, loc, resultType, ValueRange{sums},
        {rewriter.getMultiDimIdentityMap(4)},
        [&](Int32Builder &i32, OpBuilder &b, Location bodyLoc,
            ValueRange args) {
          // Valid positions along one axis: [start, start + kernel) within
          // [0, extent), start = index * stride - padBefore.
          auto validExtent = [&](unsigned dim, int64_t kernelSize,
                                 int64_t strideSize, int64_t padBefore,
                                 int64_t extent) {
            Value index = arith::IndexCastOp::create(
                b, bodyLoc, b.getI32Type(),
                linalg::IndexOp::create(b, bodyLoc, dim));
            Value scaled = arith::MulIOp::create(b, bodyLoc, index,
                                                 i32.constant(strideSize));
            Value start = i32.sub(scaled, i32.constant(padBefore));
            Value stop = i32.add(start, i32.constant(kernelSize));
            Value end = i32.min(stop, i32.constant(extent));
            return i32.sub(end, i32.max(start, i32.constant(0)));
          };
          Value rows = validExtent(1, kernel[0], stride[0], pad[0], height);
          Value count = arith::MulIOp::create(
              b, bodyLoc, rows,
              validExtent(2, kernel[1], stride[1], pad[2], width));
          Value acc = i32.sub(args[0], i32.constant(windowZeroPoints));
          Value half = i32.ashr(count, i32.constant(1));
          Value negative =
              i32.cmp(arith::CmpIPredicate::slt, acc, i32.constant(0));
          Value down = i32.sub(acc, half);
          Value nudged = i32.select(negative, down, i32.add(acc, half));
          Value average = arith::DivSIOp::create(b, bodyLoc, nudged, count);
          Value multiplierValue = i32.constant(multiplier);
          return i32.requantize(average, multiplierValue, i32.constant(shift),
                                outputZeroPoint, clampMin, clampMax);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void tinyq::populateRequantizationPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerRequantize, LowerAdd, LowerAvgPool>(patterns.getContext());
}
