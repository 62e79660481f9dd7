//===- Layers.cpp - Integer layers to linalg accumulations ----------------===//
//
// tinyq.fully_connected, tinyq.conv2d and tinyq.depthwise_conv2d as an int32
// accumulation into the bias with the input zero point folded in (a
// linalg.generic, or linalg's named convolutions; packed int4 weights
// unpacked in the loop), followed by tinyq.requantize.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"
#include "tinyq/Numerics/Int4.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace tinyq;

namespace {
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
} // namespace

void tinyq::populateLayerPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerFullyConnected, LowerConvolution<tinyq::Conv2DOp>,
               LowerConvolution<tinyq::DepthwiseConv2DOp>>(
      patterns.getContext());
}
