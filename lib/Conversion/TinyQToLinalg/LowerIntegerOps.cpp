//===- LowerIntegerOps.cpp - TinyQ integer ops to portable code -----------===//

#include "tinyq/Conversion/Passes.h"
#include "tinyq/Conversion/TinyQToLinalg/IntegerLowering.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Utils/NumericsBridge.h"
#include "tinyq/Numerics/Int4.h"
#include "tinyq/Numerics/Sparq.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQLOWERINTEGEROPS
#include "tinyq/Conversion/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-lower-integer-ops"

using namespace mlir;
using namespace tinyq;

namespace {
/// An elementwise linalg.generic producing \p resultType (a narrow integer
/// tensor) from \p inputs read through \p inputMaps: \p compute returns,
/// from the input elements, the int32 value each result element truncates.
Value createNarrowingGeneric(
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

/// Weights as a multiply-accumulate loop nest reads them: the tensor and its
/// indexing map over the loops. int4 weights are stored packed, two per byte
/// (numerics::packInt4's layout), and indexed by their row-major flat index
/// `flat` as byte `flat / 2`, nibble `flat % 2`.
struct KernelWeights {
  Value tensor;
  AffineMap map;
  /// For packed weights: the loops and row-major strides of the flat index.
  SmallVector<std::pair<unsigned, int64_t>> flatIndexTerms;
  bool isPacked() const { return !flatIndexTerms.empty(); }
};

/// The weights \p weights of a loop nest of \p numLoops loops whose
/// dimension i is indexed by loop \p loops[i]. Fails for int4 weights that
/// are not constant.
FailureOr<KernelWeights> getKernelWeights(OpBuilder &builder, Location loc,
                                          Value weights,
                                          ArrayRef<unsigned> loops,
                                          unsigned numLoops) {
  auto type = cast<RankedTensorType>(weights.getType());
  MLIRContext *context = builder.getContext();
  KernelWeights result;
  if (type.getElementTypeBitWidth() != 4) {
    SmallVector<AffineExpr> exprs;
    for (unsigned loop : loops)
      exprs.push_back(getAffineDimExpr(loop, context));
    result.tensor = weights;
    result.map = AffineMap::get(numLoops, 0, exprs, context);
    return result;
  }
  std::optional<SmallVector<int8_t>> unpacked = getConstantWeights(weights);
  if (!unpacked)
    return failure();
  std::vector<uint8_t> packed(numerics::packedInt4Size(unpacked->size()));
  numerics::packInt4({unpacked->data(), unpacked->size()}, packed);
  auto packedType =
      RankedTensorType::get({int64_t(packed.size())}, builder.getI8Type());
  result.tensor = arith::ConstantOp::create(
      builder, loc,
      DenseElementsAttr::get(
          packedType,
          ArrayRef<int8_t>(reinterpret_cast<int8_t *>(packed.data()),
                           packed.size())));
  AffineExpr flat = getAffineConstantExpr(0, context);
  int64_t stride = 1;
  for (int64_t dim = type.getRank() - 1; dim >= 0; --dim) {
    result.flatIndexTerms.push_back({loops[dim], stride});
    flat = flat + getAffineDimExpr(loops[dim], context) * stride;
    stride *= type.getDimSize(dim);
  }
  result.map = AffineMap::get(numLoops, 0, flat.floorDiv(2));
  return result;
}

/// In the body of the loop nest of \p weights: the weight read as
/// \p element, sign-extended to int32 (for packed weights, the nibble of
/// the current flat index, sign-extended by arithmetic shifts).
Value readWeight(OpBuilder &b, Location loc, const KernelWeights &weights,
                 Value element) {
  auto i32 = b.getI32Type();
  if (!weights.isPacked())
    return arith::ExtSIOp::create(b, loc, i32, element);
  Value flat = arith::ConstantIndexOp::create(b, loc, 0);
  for (auto [loop, stride] : weights.flatIndexTerms) {
    Value index = linalg::IndexOp::create(b, loc, loop);
    Value term = arith::MulIOp::create(
        b, loc, index, arith::ConstantIndexOp::create(b, loc, stride));
    flat = arith::AddIOp::create(b, loc, flat, term);
  }
  Value parity = arith::RemUIOp::create(
      b, loc, flat, arith::ConstantIndexOp::create(b, loc, 2));
  Value isHigh =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, parity,
                            arith::ConstantIndexOp::create(b, loc, 0));
  // The nibble moved to the top of 32 bits, then shifted back down.
  Value byte = arith::ExtSIOp::create(b, loc, i32, element);
  Value nibbleShift = arith::ConstantIntOp::create(b, loc, i32, 28);
  Value high = arith::ShRSIOp::create(
      b, loc,
      arith::ShLIOp::create(b, loc, byte,
                            arith::ConstantIntOp::create(b, loc, i32, 24)),
      nibbleShift);
  Value low = arith::ShRSIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, byte, nibbleShift), nibbleShift);
  return arith::SelectOp::create(b, loc, isHigh, high, low);
}

/// The body of a loop nest accumulating input (operand 0) times weights
/// (operand 1), both sign-extended to int32, into its output (the last
/// block argument).
std::function<void(OpBuilder &, Location, ValueRange)>
multiplyAccumulate(const KernelWeights &weights) {
  return [weights](OpBuilder &b, Location loc, ValueRange args) {
    Value x = arith::ExtSIOp::create(b, loc, b.getI32Type(), args[0]);
    Value w = readWeight(b, loc, weights, args[1]);
    Value product = arith::MulIOp::create(b, loc, x, w);
    linalg::YieldOp::create(
        b, loc,
        arith::AddIOp::create(b, loc, args.back(), product).getResult());
  };
}

/// tinyq.fully_connected -> int32 accumulation (linalg.generic) into a
/// bias whose zero-point term `-z_in * sum_k w[n, k]` is folded in at compile
/// time, then tinyq.requantize along the output channels.
struct LowerFullyConnected : OpRewritePattern<FullyConnectedOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(FullyConnectedOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getSparqAttr())
      return rewriter.notifyMatchFailure(op, "SPARQ is extracted first");
    auto inputType = op.getInput().getType();
    auto weightsType = op.getWeights().getType();
    int64_t rows = inputType.getDimSize(0), outputs = weightsType.getDimSize(0);
    FailureOr<SmallVector<int32_t>> bias = foldInputZeroPoint(op);
    if (failed(bias))
      return rewriter.notifyMatchFailure(op, "cannot fold the zero point");

    Location loc = op.getLoc();
    auto i32 = rewriter.getI32Type();
    auto accumulatorType = RankedTensorType::get({rows, outputs}, i32);
    auto biasType = RankedTensorType::get({outputs}, i32);
    Value biasConst = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(biasType, ArrayRef(*bias)));
    Value init =
        tensor::EmptyOp::create(rewriter, loc, accumulatorType.getShape(), i32);
    // acc[r, n] = bias[n]
    AffineExpr r = rewriter.getAffineDimExpr(0),
               n = rewriter.getAffineDimExpr(1),
               k = rewriter.getAffineDimExpr(2);
    Value filled =
        linalg::GenericOp::create(
            rewriter, loc, accumulatorType, ValueRange{biasConst},
            ValueRange{init},
            ArrayRef<AffineMap>{AffineMap::get(2, 0, {n}, getContext()),
                                rewriter.getMultiDimIdentityMap(2)},
            SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
            [](OpBuilder &b, Location bodyLoc, ValueRange args) {
              linalg::YieldOp::create(b, bodyLoc, args[0]);
            })
            .getResult(0);
    // acc[r, n] += x[r, k] * w[n, k], both sign-extended to int32.
    FailureOr<KernelWeights> weights = getKernelWeights(
        rewriter, loc, op.getWeights(), /*loops=*/{1, 2}, /*numLoops=*/3);
    if (failed(weights))
      return rewriter.notifyMatchFailure(op, "int4 weights not constant");
    Value accumulated =
        linalg::GenericOp::create(
            rewriter, loc, accumulatorType,
            ValueRange{op.getInput(), weights->tensor}, ValueRange{filled},
            ArrayRef<AffineMap>{AffineMap::get(3, 0, {r, k}, getContext()),
                                weights->map,
                                AffineMap::get(3, 0, {r, n}, getContext())},
            SmallVector<utils::IteratorType>{utils::IteratorType::parallel,
                                             utils::IteratorType::parallel,
                                             utils::IteratorType::reduction},
            multiplyAccumulate(*weights))
            .getResult(0);
    replaceWithRequantize(rewriter, op, accumulated);
    return success();
  }
};

/// The accumulation of a convolution with packed int4 weights, as a
/// linalg.generic that unpacks each weight in the loop: loops (n, y, x, f,
/// ky, kx, c) for a convolution (OHWI weights), (n, y, x, c, ky, kx) for a
/// depthwise one ([KH, KW, C] weights).
template <typename IntegerConv>
FailureOr<Value> accumulatePackedInt4(OpBuilder &builder, Location loc,
                                      IntegerConv op, Value paddedInput,
                                      Value init) {
  bool isDepthwise = op.isChannelwise();
  MLIRContext *context = builder.getContext();
  unsigned numLoops = isDepthwise ? 6 : 7;
  // The output channel is loop 3 in both; the window loops follow it.
  unsigned ky = 4, kx = 5, channel = isDepthwise ? 3 : 6;
  SmallVector<unsigned> weightLoops =
      isDepthwise ? SmallVector<unsigned>{ky, kx, channel}
                  : SmallVector<unsigned>{3, ky, kx, channel};
  FailureOr<KernelWeights> weights =
      getKernelWeights(builder, loc, op.getWeights(), weightLoops, numLoops);
  if (failed(weights))
    return failure();
  ArrayRef<int64_t> stride = op.getStride(), dilation = op.getDilation();
  auto dim = [&](unsigned loop) { return getAffineDimExpr(loop, context); };
  AffineMap inputMap =
      AffineMap::get(numLoops, 0,
                     {dim(0), dim(1) * stride[0] + dim(ky) * dilation[0],
                      dim(2) * stride[1] + dim(kx) * dilation[1], dim(channel)},
                     context);
  AffineMap outputMap =
      AffineMap::get(numLoops, 0, {dim(0), dim(1), dim(2), dim(3)}, context);
  // The window loops appear in no operand as plain dimensions (the packed
  // weights are indexed by a flat index): an unused window operand gives
  // linalg their extents, as the pooling ops' window does.
  Value window = tensor::EmptyOp::create(builder, loc, op.getKernelSize(),
                                         builder.getI8Type());
  AffineMap windowMap =
      AffineMap::get(numLoops, 0, {dim(ky), dim(kx)}, context);
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.append(numLoops - 4, utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             builder, loc, init.getType(),
             ValueRange{paddedInput, weights->tensor, window}, ValueRange{init},
             ArrayRef<AffineMap>{inputMap, weights->map, windowMap, outputMap},
             iterators, multiplyAccumulate(*weights))
      .getResult(0);
}

/// tinyq.conv2d / tinyq.depthwise_conv2d -> input padded with its zero
/// point, a linalg named convolution accumulating sign-extended operands
/// into int32 (initialized with the bias, whose zero-point term is folded
/// in at compile time: padding holds the zero point, so every window sees
/// `sum w * z_in`), then tinyq.requantize along the channels.
template <typename IntegerConv>
struct LowerConvolution : OpRewritePattern<IntegerConv> {
  using OpRewritePattern<IntegerConv>::OpRewritePattern;

  LogicalResult matchAndRewrite(IntegerConv op,
                                PatternRewriter &rewriter) const override {
    if (op.getSparqAttr())
      return rewriter.notifyMatchFailure(op, "SPARQ is extracted first");
    auto inputType = op.getInput().getType();
    auto weightsType = op.getWeights().getType();
    auto resultType = op.getOutput().getType();
    int64_t channels = op.getOutputChannels();
    if (op.isChannelwise() && channels != inputType.getDimSize(3))
      return rewriter.notifyMatchFailure(op, "channel multiplier above 1");
    FailureOr<SmallVector<int32_t>> bias = foldInputZeroPoint(op);
    if (failed(bias))
      return rewriter.notifyMatchFailure(op, "cannot fold the zero point");
    int32_t inputZeroPoint = op.getInputZeroPoint();

    Location loc = op.getLoc();
    auto i32 = rewriter.getI32Type();
    ArrayRef<int64_t> pad = op.getPad();
    Value input =
        padWithZeroPoint(rewriter, loc, op.getInput(), pad, inputZeroPoint);

    auto accumulatorType = resultType.clone(i32);
    auto biasType = RankedTensorType::get({channels}, i32);
    Value biasConst = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(biasType, ArrayRef(*bias)));
    Value init =
        tensor::EmptyOp::create(rewriter, loc, accumulatorType.getShape(), i32);
    Value filled = linalg::BroadcastOp::create(rewriter, loc, biasConst, init,
                                               ArrayRef<int64_t>{0, 1, 2})
                       .getResult()[0];
    Attribute strides = rewriter.getI64VectorAttr(op.getStride());
    Attribute dilations = rewriter.getI64VectorAttr(op.getDilation());
    Value accumulated;
    if (weightsType.getElementTypeBitWidth() == 4) {
      FailureOr<Value> packed =
          accumulatePackedInt4(rewriter, loc, op, input, filled);
      if (failed(packed))
        return rewriter.notifyMatchFailure(op, "int4 weights not constant");
      accumulated = *packed;
    } else if (op.isChannelwise())
      accumulated = linalg::DepthwiseConv2DNhwcHwcOp::create(
                        rewriter, loc, TypeRange{accumulatorType},
                        ValueRange{input, op.getWeights()}, ValueRange{filled},
                        strides, dilations)
                        .getResult(0);
    else
      accumulated = linalg::Conv2DNhwcFhwcOp::create(
                        rewriter, loc, TypeRange{accumulatorType},
                        ValueRange{input, op.getWeights()}, ValueRange{filled},
                        strides, dilations)
                        .getResult(0);
    replaceWithRequantize(rewriter, op, accumulated);
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

/// A layer with SPARQ activations whose reduction rows' pairs stay inside
/// one position of its input's innermost dimension (a fully connected
/// layer; a convolution over an even number of channels, or 1x1; any layer
/// without pairs) is the plain layer over `tinyq.sparq` of its input.
/// Returns why \p op's SPARQ cannot be lowered that way, or an empty
/// string.
std::string getSparqExtractionProblem(IntegerLayerOpInterface op) {
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

struct LowerIntegerOpsPass
    : tinyq::impl::TinyQLowerIntegerOpsBase<LowerIntegerOpsPass> {
  void runOnOperation() override {
    // SPARQ this pass cannot lower is an error, never a silent plain layer.
    bool unsupported = false;
    getOperation()->walk([&](Operation *op) {
      auto layer = dyn_cast<IntegerLayerOpInterface>(op);
      std::string problem = layer ? getSparqExtractionProblem(layer) : "";
      if (!problem.empty()) {
        op->emitError(problem);
        unsupported = true;
      }
    });
    if (unsupported)
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    populateLowerIntegerOpsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void tinyq::populateLowerIntegerOpsPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerRequantize, LowerFullyConnected, LowerAdd, LowerAvgPool,
               LowerConvolution<tinyq::Conv2DOp>,
               LowerConvolution<tinyq::DepthwiseConv2DOp>, LowerSparq>(
      patterns.getContext());
  // SPARQ first, so that the layer lowerings never see it.
  patterns.add<ExtractLayerSparq, LowerSparqWindows<tinyq::Conv2DOp>,
               LowerSparqWindows<tinyq::DepthwiseConv2DOp>>(
      patterns.getContext(), /*benefit=*/2);
}
