//===- LowerMveGathers.cpp - Byte gathers and scatters on Helium ---------===//
//
// Masked gathers and scatters of 4 bytes at a base pointer plus a vector
// of offsets become the Helium intrinsics that load and store them in
// 32-bit lanes, out of the reach of LLVM's MVE gather/scatter lowering.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Dialect/CortexM/IR/CortexMDialect.h"
#include "tinyq/Target/CortexM/Passes.h"
#include "tinyq/Target/CortexM/Transforms.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/Statistic.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQLOWERMVEGATHERS
#include "tinyq/Target/CortexM/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-lower-mve-gathers"

using namespace mlir;

ALWAYS_ENABLED_STATISTIC(NumGathers, "Byte gathers as vldrb.u32/s32 gathers");
ALWAYS_ENABLED_STATISTIC(NumScatters, "Byte scatters as vstrb.32 scatters");

namespace {
/// Lanes of a Helium gather or scatter of bytes in 32-bit lanes; gathers
/// of twice as many bytes go in 16-bit lanes.
constexpr int64_t kLanes = 4;

/// The base pointer and the byte offsets (a vector of i32) of \p ptrs when
/// it is `getelementptr i8, %base, %offsets`, and \p mask is all true.
std::optional<std::pair<Value, Value>> matchByteOffsets(Value ptrs,
                                                        Value mask) {
  auto gep = ptrs.getDefiningOp<LLVM::GEPOp>();
  if (!gep || !matchPattern(mask, m_One()) || !gep.getElemType().isInteger(8) ||
      !isa<LLVM::LLVMPointerType>(gep.getBase().getType()) ||
      gep.getRawConstantIndices().size() != 1 ||
      gep.getDynamicIndices().size() != 1)
    return std::nullopt;
  Value offsets = gep.getDynamicIndices().front();
  auto type = dyn_cast<VectorType>(offsets.getType());
  if (!type || !type.getElementType().isInteger(32))
    return std::nullopt;
  return std::make_pair(gep.getBase(), offsets);
}

/// A gather of 4 bytes -> llvm.arm.mve.vldr.gather.offset in 32-bit lanes,
/// of 8 bytes at constant offsets below 2^16 -> in 16-bit lanes; signed
/// when its only use sign-extends it to the lanes (which it replaces),
/// else unsigned.
struct LowerByteGather : OpRewritePattern<LLVM::masked_gather> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LLVM::masked_gather op,
                                PatternRewriter &rewriter) const override {
    VectorType type = op.getRes().getType();
    int64_t count = type.getNumElements();
    if ((count != kLanes && count != 2 * kLanes) ||
        !type.getElementType().isInteger(8))
      return rewriter.notifyMatchFailure(op, "not 4 or 8 bytes");
    auto addresses = matchByteOffsets(op.getPtrs(), op.getMask());
    if (!addresses)
      return rewriter.notifyMatchFailure(op, "not a base and byte offsets");
    Location loc = op.getLoc();
    Value offsets = addresses->second;
    auto lanes =
        VectorType::get({count}, rewriter.getIntegerType(128 / int(count)));
    if (count == 2 * kLanes) {
      DenseIntElementsAttr constant;
      if (!matchPattern(offsets, m_Constant(&constant)) ||
          llvm::any_of(constant.getValues<APInt>(),
                       [](const APInt &offset) { return !offset.isIntN(16); }))
        return rewriter.notifyMatchFailure(op, "offsets not within 16 bits");
      offsets = LLVM::ConstantOp::create(
          rewriter, loc, lanes,
          constant.mapValues(
              rewriter.getIntegerType(16),
              [](const APInt &offset) { return offset.trunc(16); }));
    }
    Operation *user = op->hasOneUse() ? *op->getUsers().begin() : nullptr;
    bool sign = isa_and_nonnull<LLVM::SExtOp>(user) &&
                user->getResult(0).getType() == lanes;
    bool zero = isa_and_nonnull<LLVM::ZExtOp>(user) &&
                user->getResult(0).getType() == lanes;
    Value words = tinyq::cortexm::VldrGatherOffsetOp::create(
        rewriter, loc, lanes, addresses->first, offsets, /*memory_bits=*/8,
        /*shift=*/0, /*is_unsigned=*/sign ? 0 : 1);
    ++NumGathers;
    if (sign || zero) {
      rewriter.replaceOp(user, words);
      rewriter.eraseOp(op);
      return success();
    }
    rewriter.replaceOpWithNewOp<LLVM::TruncOp>(op, type, words);
    return success();
  }
};

/// A scatter of 4 bytes -> llvm.arm.mve.vstr.scatter.offset of their i32
/// lanes (those they were truncated from, or the bytes zero-extended).
struct LowerByteScatter : OpRewritePattern<LLVM::masked_scatter> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LLVM::masked_scatter op,
                                PatternRewriter &rewriter) const override {
    VectorType type = op.getValue().getType();
    if (type.getNumElements() != kLanes || !type.getElementType().isInteger(8))
      return rewriter.notifyMatchFailure(op, "not 4 bytes");
    auto addresses = matchByteOffsets(op.getPtrs(), op.getMask());
    if (!addresses)
      return rewriter.notifyMatchFailure(op, "not a base and byte offsets");
    auto lanes = VectorType::get({kLanes}, rewriter.getI32Type());
    if (addresses->second.getType() != lanes)
      return rewriter.notifyMatchFailure(op, "not 4 offsets");
    Location loc = op.getLoc();
    Value words;
    if (auto truncation = op.getValue().getDefiningOp<LLVM::TruncOp>();
        truncation && truncation.getArg().getType() == lanes)
      words = truncation.getArg();
    else
      words = LLVM::ZExtOp::create(rewriter, loc, lanes, op.getValue());
    tinyq::cortexm::VstrScatterOffsetOp::create(rewriter, loc, addresses->first,
                                                addresses->second, words,
                                                /*memory_bits=*/8, /*shift=*/0);
    ++NumScatters;
    rewriter.eraseOp(op);
    return success();
  }
};

struct LowerMveGathersPass
    : tinyq::impl::TinyQLowerMveGathersBase<LowerMveGathersPass> {
  void runOnOperation() override {
    if (!hasHelium(tinyq::TargetAttr::lookup(getOperation())))
      return;
    RewritePatternSet patterns(&getContext());
    tinyq::populateLowerMveGathersPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void tinyq::populateLowerMveGathersPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerByteGather, LowerByteScatter>(patterns.getContext());
}
