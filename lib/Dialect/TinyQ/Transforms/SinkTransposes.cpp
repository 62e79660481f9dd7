//===- SinkTransposes.cpp - Move transposes past elementwise ops ----------===//

#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQSINKTRANSPOSES
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

using namespace mlir;

/// The inverse permutation: inverse[perms[i]] = i.
static SmallVector<int32_t> invert(ArrayRef<int32_t> perms) {
  SmallVector<int32_t> inverse(perms.size());
  for (auto [i, p] : llvm::enumerate(perms))
    inverse[p] = int32_t(i);
  return inverse;
}

/// \p shape permuted: result[i] = shape[perms[i]].
static SmallVector<int64_t> permute(ArrayRef<int64_t> shape,
                                    ArrayRef<int32_t> perms) {
  SmallVector<int64_t> result;
  for (int32_t p : perms)
    result.push_back(shape[p]);
  return result;
}

/// \p value transposed by \p perms at compile time.
static DenseElementsAttr transposeConstant(DenseElementsAttr value,
                                           ArrayRef<int32_t> perms) {
  auto type = value.getType();
  auto resultType = type.clone(permute(type.getShape(), perms));
  if (value.isSplat())
    return value.resizeSplat(resultType);
  ArrayRef<int64_t> inShape = type.getShape();
  int64_t rank = type.getRank();
  SmallVector<int64_t> inStrides(rank, 1);
  for (int64_t i = rank - 2; i >= 0; --i)
    inStrides[i] = inStrides[i + 1] * inShape[i + 1];
  SmallVector<Attribute> source(value.getValues<Attribute>());
  SmallVector<Attribute> result;
  result.reserve(source.size());
  ArrayRef<int64_t> outShape = resultType.getShape();
  SmallVector<int64_t> index(rank, 0);
  for (int64_t n = 0, e = resultType.getNumElements(); n < e; ++n) {
    // index is the output position; output dim i reads input dim perms[i].
    int64_t offset = 0;
    for (int64_t i = 0; i < rank; ++i)
      offset += index[i] * inStrides[perms[i]];
    result.push_back(source[offset]);
    for (int64_t i = rank - 1; i >= 0; --i) {
      if (++index[i] < outShape[i])
        break;
      index[i] = 0;
    }
  }
  return DenseElementsAttr::get(resultType, result);
}

namespace {
// op(transpose(x, p)) -> transpose(op(x), p) for unary elementwise ops.
template <typename OpTy>
struct SinkThroughUnary : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto transpose =
        op->getOperand(0).template getDefiningOp<tosa::TransposeOp>();
    if (!transpose)
      return rewriter.notifyMatchFailure(op, "operand is not a transpose");
    ArrayRef<int32_t> perms = transpose.getPerms();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto innerType =
        resultType.clone(permute(resultType.getShape(), invert(perms)));
    Operation *inner = rewriter.clone(*op);
    inner->setOperand(0, transpose.getInput1());
    inner->getResult(0).setType(innerType);
    rewriter.replaceOpWithNewOp<tosa::TransposeOp>(
        op, resultType, inner->getResult(0),
        rewriter.getDenseI32ArrayAttr(perms));
    return success();
  }
};

// op(transpose(x, p), transpose(y, p) | constant, ...) ->
//   transpose(op(x, y | transpose(constant, p^-1), ...), p) for binary
// elementwise ops (tosa.mul's third operand, the shift, stays).
template <typename OpTy>
struct SinkThroughBinary : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    std::optional<SmallVector<int32_t>> perms;
    for (Value operand : op->getOperands().take_front(2))
      if (auto transpose = operand.getDefiningOp<tosa::TransposeOp>()) {
        ArrayRef<int32_t> p = transpose.getPerms();
        if (perms && ArrayRef<int32_t>(*perms) != p)
          return rewriter.notifyMatchFailure(op, "different permutations");
        perms = SmallVector<int32_t>(p);
      }
    if (!perms)
      return rewriter.notifyMatchFailure(op, "no transposed operand");
    SmallVector<int32_t> inverse = invert(*perms);
    SmallVector<Value> operands(op->getOperands());
    for (int i = 0; i < 2; ++i) {
      if (auto transpose = operands[i].getDefiningOp<tosa::TransposeOp>()) {
        operands[i] = transpose.getInput1();
        continue;
      }
      DenseElementsAttr constant;
      auto type = dyn_cast<RankedTensorType>(operands[i].getType());
      if (!type || type.getRank() != int64_t(inverse.size()) ||
          !matchPattern(operands[i], m_Constant(&constant)))
        return rewriter.notifyMatchFailure(op, "an operand is neither the "
                                               "same transpose nor a "
                                               "constant");
      DenseElementsAttr permuted = transposeConstant(constant, inverse);
      operands[i] = tosa::ConstOp::create(rewriter, op.getLoc(),
                                          permuted.getType(), permuted);
    }
    auto resultType = cast<RankedTensorType>(op.getType());
    auto innerType = resultType.clone(permute(resultType.getShape(), inverse));
    Operation *inner = rewriter.clone(*op);
    inner->setOperands(operands);
    inner->getResult(0).setType(innerType);
    rewriter.replaceOpWithNewOp<tosa::TransposeOp>(
        op, resultType, inner->getResult(0),
        rewriter.getDenseI32ArrayAttr(*perms));
    return success();
  }
};

// transpose(constant) -> constant, so weights are stored in the layout the
// kernels read (TOSA's folder only handles splats).
struct FoldConstantTranspose : OpRewritePattern<tosa::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tosa::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr constant;
    if (!matchPattern(op.getInput1(), m_Constant(&constant)))
      return rewriter.notifyMatchFailure(op, "input is not a constant");
    // Weights of small models; a permuted copy of anything larger would
    // rather be left to run time than blow up compile time.
    if (constant.getNumElements() > (int64_t(1) << 24))
      return rewriter.notifyMatchFailure(op, "constant too large to fold");
    DenseElementsAttr permuted = transposeConstant(constant, op.getPerms());
    rewriter.replaceOpWithNewOp<tosa::ConstOp>(op, permuted.getType(),
                                               permuted);
    return success();
  }
};

struct SinkTransposesPass
    : tinyq::impl::TinyQSinkTransposesBase<SinkTransposesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    tinyq::populateSinkTransposesPatterns(patterns);
    tosa::TransposeOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void tinyq::populateSinkTransposesPatterns(RewritePatternSet &patterns) {
  // Also transpose(constant) -> constant: sunk transposes and weight layout
  // changes both end on constants.
  MLIRContext *context = patterns.getContext();
  patterns
      .add<SinkThroughUnary<tosa::ClampOp>, SinkThroughUnary<tosa::SigmoidOp>,
           SinkThroughUnary<tosa::TanhOp>, SinkThroughUnary<tosa::ExpOp>,
           SinkThroughUnary<tosa::AbsOp>, SinkThroughUnary<tosa::ReciprocalOp>>(
          context);
  patterns.add<FoldConstantTranspose>(context);
  patterns
      .add<SinkThroughBinary<tosa::AddOp>, SinkThroughBinary<tosa::SubOp>,
           SinkThroughBinary<tosa::MulOp>, SinkThroughBinary<tosa::MaximumOp>,
           SinkThroughBinary<tosa::MinimumOp>>(context);
}
