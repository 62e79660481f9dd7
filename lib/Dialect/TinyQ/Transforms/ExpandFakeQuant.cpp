//===- ExpandFakeQuant.cpp - Simulated quantization as float math ---------===//
//
// Expands tinyq.fake_quant into elementwise float32 arithmetic that computes
// exactly what numerics::fakeQuantize computes.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQEXPANDFAKEQUANT
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-expand-fake-quant"

using namespace mlir;
using namespace tinyq;

namespace {
// fake_quant(x, s, z, [qmin, qmax])
//   -> (select(isnan(x / s), z, clamp(roundeven(x / s) + z)) - z) * s
struct ExpandFakeQuantPattern : OpRewritePattern<FakeQuantOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(FakeQuantOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getType();
    auto quantized = cast<quant::QuantizedType>(op.getQuantType());
    Type f32 = rewriter.getF32Type();
    int64_t rank = type.getRank();

    // Scales and zero points as f32 values: scalars for per-tensor types,
    // vectors read through the quantized dimension for per-axis types.
    SmallVector<float> scales, zeroPoints;
    std::optional<int64_t> axis;
    if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(quantized)) {
      scales.push_back(float(perTensor.getScale()));
      zeroPoints.push_back(float(perTensor.getZeroPoint()));
    } else {
      auto perAxis = cast<quant::UniformQuantizedPerAxisType>(quantized);
      axis = perAxis.getQuantizedDimension();
      for (double scale : perAxis.getScales())
        scales.push_back(float(scale));
      for (int64_t zeroPoint : perAxis.getZeroPoints())
        zeroPoints.push_back(float(zeroPoint));
    }

    SmallVector<Value> inputs{op.getInput()};
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank)};
    if (axis) {
      auto vectorType = RankedTensorType::get({int64_t(scales.size())}, f32);
      AffineMap channelMap = AffineMap::get(
          rank, 0, rewriter.getAffineDimExpr(*axis), rewriter.getContext());
      for (ArrayRef<float> values : {ArrayRef(scales), ArrayRef(zeroPoints)}) {
        inputs.push_back(arith::ConstantOp::create(
            rewriter, loc, DenseElementsAttr::get(vectorType, values)));
        maps.push_back(channelMap);
      }
    }
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));

    Value init = tensor::EmptyOp::create(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, op.getInput()),
        f32);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    float qmin = float(quantized.getStorageTypeMin());
    float qmax = float(quantized.getStorageTypeMax());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, inputs, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          auto constant = [&](float value) -> Value {
            return arith::ConstantOp::create(b, bodyLoc, f32,
                                             b.getF32FloatAttr(value));
          };
          Value scale = axis ? args[1] : constant(scales.front());
          Value zeroPoint = axis ? args[2] : constant(zeroPoints.front());
          Value scaled = arith::DivFOp::create(b, bodyLoc, args[0], scale);
          Value rounded = math::RoundEvenOp::create(b, bodyLoc, scaled);
          Value shifted = arith::AddFOp::create(b, bodyLoc, rounded, zeroPoint);
          Value clamped = arith::MinNumFOp::create(
              b, bodyLoc,
              arith::MaxNumFOp::create(b, bodyLoc, shifted, constant(qmin)),
              constant(qmax));
          Value isNan = arith::CmpFOp::create(
              b, bodyLoc, arith::CmpFPredicate::UNO, scaled, scaled);
          Value quantizedValue =
              arith::SelectOp::create(b, bodyLoc, isNan, zeroPoint, clamped);
          Value centered =
              arith::SubFOp::create(b, bodyLoc, quantizedValue, zeroPoint);
          Value result = arith::MulFOp::create(b, bodyLoc, centered, scale);
          linalg::YieldOp::create(b, bodyLoc, result);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct ExpandFakeQuantPass
    : tinyq::impl::TinyQExpandFakeQuantBase<ExpandFakeQuantPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateExpandFakeQuantPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void tinyq::populateExpandFakeQuantPatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandFakeQuantPattern>(patterns.getContext());
}
