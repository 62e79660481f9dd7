//===- FoldBatchNorm.cpp - Per-channel affine ops into convolutions -------===//

#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Dialect/TinyQ/Utils/Indexing.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQFOLDBATCHNORM
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

using namespace mlir;

namespace {
/// A convolution whose weights and bias are float constants.
struct FoldableConvolution {
  Operation *op;
  OpOperand *weights, *bias;
  /// The output channel axis of the weights.
  unsigned axis;
  DenseFPElementsAttr weightValues, biasValues;

  static std::optional<FoldableConvolution> match(Value value) {
    Operation *op = value.getDefiningOp();
    if (!op || !value.hasOneUse())
      return std::nullopt;
    FoldableConvolution conv{op, nullptr, nullptr, 0, {}, {}};
    if (auto conv2d = dyn_cast<tosa::Conv2DOp>(op)) {
      conv.weights = &conv2d.getWeightMutable();
      conv.bias = &conv2d.getBiasMutable();
      conv.axis = 0;
    } else if (auto depthwise = dyn_cast<tosa::DepthwiseConv2DOp>(op)) {
      auto type = cast<RankedTensorType>(depthwise.getWeight().getType());
      if (type.getRank() != 4 || type.getDimSize(3) != 1)
        return std::nullopt;
      conv.weights = &depthwise.getWeightMutable();
      conv.bias = &depthwise.getBiasMutable();
      conv.axis = 2;
    } else {
      return std::nullopt;
    }
    if (!matchPattern(conv.weights->get(), m_Constant(&conv.weightValues)) ||
        !matchPattern(conv.bias->get(), m_Constant(&conv.biasValues)) ||
        !conv.weightValues.getElementType().isF32() ||
        !conv.biasValues.getElementType().isF32())
      return std::nullopt;
    return conv;
  }

  int64_t getChannels() const {
    return weightValues.getType().getDimSize(axis);
  }

  /// The bias as one value per channel (a bias of one element broadcasts).
  SmallVector<float> getBias() const {
    SmallVector<float> bias(biasValues.getValues<float>());
    if (bias.size() == 1)
      bias.assign(getChannels(), bias.front());
    return bias;
  }

  void setConstant(PatternRewriter &rewriter, OpOperand *operand,
                   ShapedType type, ArrayRef<float> values) {
    auto attr = DenseElementsAttr::get(type, values);
    rewriter.setInsertionPoint(op);
    Value constant = tosa::ConstOp::create(rewriter, op->getLoc(), type, attr);
    rewriter.modifyOpInPlace(op, [&] { operand->set(constant); });
  }

  void setBias(PatternRewriter &rewriter, ArrayRef<float> bias) {
    setConstant(
        rewriter, this->bias,
        RankedTensorType::get({int64_t(bias.size())}, rewriter.getF32Type()),
        bias);
  }
};

/// The per-channel values of \p value, a float constant that is a splat or
/// has every dimension 1 except the last, \p channels.
std::optional<SmallVector<float>> getPerChannel(Value value, int64_t channels) {
  DenseFPElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.getElementType().isF32())
    return std::nullopt;
  if (attr.isSplat())
    return SmallVector<float>(channels, attr.getSplatValue<float>());
  ArrayRef<int64_t> shape = attr.getType().getShape();
  if (shape.empty() || shape.back() != channels ||
      llvm::any_of(shape.drop_back(), [](int64_t dim) { return dim != 1; }))
    return std::nullopt;
  return SmallVector<float>(attr.getValues<float>());
}

/// The convolution operand of a binary op, and the other operand.
std::optional<std::pair<FoldableConvolution, Value>>
matchConvolutionOperand(Operation *op) {
  for (unsigned index : {0u, 1u})
    if (auto conv = FoldableConvolution::match(op->getOperand(index)))
      if (conv->op->getResult(0).getType() == op->getResult(0).getType())
        return std::make_pair(*conv, op->getOperand(1 - index));
  return std::nullopt;
}

struct FoldMultiplication : OpRewritePattern<tosa::MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::MulOp op,
                                PatternRewriter &rewriter) const override {
    auto matched = matchConvolutionOperand(op);
    if (!matched)
      return rewriter.notifyMatchFailure(op, "no foldable convolution");
    auto &[conv, other] = *matched;
    std::optional<SmallVector<float>> scales =
        getPerChannel(other, conv.getChannels());
    if (!scales)
      return rewriter.notifyMatchFailure(op, "not a per-channel scale");
    SmallVector<float> weights(conv.weightValues.getValues<float>());
    ArrayRef<int64_t> shape = conv.weightValues.getType().getShape();
    tinyq::AxisIndexer channelOf(shape, conv.axis);
    for (auto [index, weight] : llvm::enumerate(weights))
      weight *= (*scales)[channelOf(index)];
    SmallVector<float> bias = conv.getBias();
    for (auto [value, scale] : llvm::zip(bias, *scales))
      value *= scale;
    conv.setConstant(rewriter, conv.weights, conv.weightValues.getType(),
                     weights);
    conv.setBias(rewriter, bias);
    rewriter.replaceOp(op, conv.op->getResults());
    return success();
  }
};

struct FoldAddition : OpRewritePattern<tosa::AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::AddOp op,
                                PatternRewriter &rewriter) const override {
    auto matched = matchConvolutionOperand(op);
    if (!matched)
      return rewriter.notifyMatchFailure(op, "no foldable convolution");
    auto &[conv, other] = *matched;
    std::optional<SmallVector<float>> shifts =
        getPerChannel(other, conv.getChannels());
    if (!shifts)
      return rewriter.notifyMatchFailure(op, "not a per-channel shift");
    SmallVector<float> bias = conv.getBias();
    for (auto [value, shift] : llvm::zip(bias, *shifts))
      value += shift;
    conv.setBias(rewriter, bias);
    rewriter.replaceOp(op, conv.op->getResults());
    return success();
  }
};

struct FoldBatchNormPass
    : tinyq::impl::TinyQFoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    tinyq::populateFoldBatchNormPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void tinyq::populateFoldBatchNormPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldMultiplication, FoldAddition>(patterns.getContext());
}
