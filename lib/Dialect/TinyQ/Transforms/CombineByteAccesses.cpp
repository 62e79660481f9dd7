//===- CombineByteAccesses.cpp - Words and vectors from byte accesses -----===//
//
// The Arm kernels read a word of four int8 activations as four byte loads
// combined with shifts and ors, which LLVM's instruction selection merges
// into one (unaligned) word load only when it still sees one base address;
// loop strength reduction can split the addresses first. The Helium
// kernels build vectors from consecutive elements the same way, and store
// four output bytes as the bytes of a word. This pass makes the word and
// vector accesses explicit on the buffers, before the lowering to LLVM.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQCOMBINEBYTEACCESSES
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-combine-byte-accesses"

using namespace mlir;

namespace {
constexpr int64_t kWordBytes = 4;

/// A byte load zero-extended to i32 and shifted left by `shift` bits.
struct ShiftedByte {
  memref::LoadOp load;
  int64_t shift;
};

std::optional<ShiftedByte> matchShiftedByte(Value value) {
  int64_t shift = 0;
  if (auto shl = value.getDefiningOp<arith::ShLIOp>()) {
    APInt amount;
    if (!matchPattern(shl.getRhs(), m_ConstantInt(&amount)))
      return std::nullopt;
    shift = amount.getSExtValue();
    value = shl.getLhs();
  }
  auto extension = value.getDefiningOp<arith::ExtUIOp>();
  if (!extension || !extension.getIn().getType().isInteger(8) ||
      !extension.getType().isInteger(32))
    return std::nullopt;
  auto load = extension.getIn().getDefiningOp<memref::LoadOp>();
  if (!load)
    return std::nullopt;
  return ShiftedByte{load, shift};
}

/// The operands of the tree of arith.ori rooted at \p value.
void collectOrOperands(Value value, SmallVectorImpl<Value> &operands) {
  if (auto orOp = value.getDefiningOp<arith::OrIOp>()) {
    collectOrOperands(orOp.getLhs(), operands);
    collectOrOperands(orOp.getRhs(), operands);
    return;
  }
  operands.push_back(value);
}

/// Whether \p index is \p base + \p offset.
bool isOffsetIndex(Value index, Value base, int64_t offset) {
  if (index == base)
    return offset == 0;
  APInt constant, baseConstant;
  if (matchPattern(index, m_ConstantInt(&constant)) &&
      matchPattern(base, m_ConstantInt(&baseConstant)))
    return constant.getSExtValue() == baseConstant.getSExtValue() + offset;
  auto add = index.getDefiningOp<arith::AddIOp>();
  if (!add)
    return false;
  for (auto [term, other] : {std::pair(add.getLhs(), add.getRhs()),
                             std::pair(add.getRhs(), add.getLhs())})
    if (term == base && matchPattern(other, m_ConstantInt(&constant)) &&
        constant.getSExtValue() == offset)
      return true;
  return false;
}

/// Whether \p accesses (memref.load or memref.store) touch consecutive
/// elements of one buffer whose innermost dimension is contiguous: the same
/// memref and leading indices, the last index the first one's plus the
/// position.
template <typename AccessOp>
bool areConsecutive(ArrayRef<AccessOp> accesses) {
  AccessOp first = accesses.front();
  auto type = first.getMemRefType();
  int64_t offset;
  SmallVector<int64_t> strides;
  if (type.getRank() == 0 ||
      failed(type.getStridesAndOffset(strides, offset)) || strides.back() != 1)
    return false;
  ValueRange indices = first.getIndices();
  for (auto [position, constAccess] : llvm::enumerate(accesses)) {
    AccessOp access = constAccess;
    ValueRange accessIndices = access.getIndices();
    if (access.getMemRef() != first.getMemRef() ||
        !llvm::equal(accessIndices.drop_back(), indices.drop_back()) ||
        !isOffsetIndex(accessIndices.back(), indices.back(), int64_t(position)))
      return false;
  }
  return true;
}

/// vector.from_elements of consecutive loads -> one vector.load.
struct CombineElementLoads : OpRewritePattern<vector::FromElementsOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::FromElementsOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getType().getRank() != 1)
      return rewriter.notifyMatchFailure(op, "not a 1-D vector");
    SmallVector<memref::LoadOp> loads;
    for (Value element : op.getElements()) {
      auto load = element.getDefiningOp<memref::LoadOp>();
      if (!load)
        return rewriter.notifyMatchFailure(op, "not all loads");
      loads.push_back(load);
    }
    if (!areConsecutive(ArrayRef(loads)))
      return rewriter.notifyMatchFailure(op, "not consecutive");
    rewriter.replaceOpWithNewOp<vector::LoadOp>(op, op.getType(),
                                                loads.front().getMemRef(),
                                                loads.front().getIndices());
    return success();
  }
};

/// or(zext(load m[i.., k]), zext(load m[i.., k + 1]) << 8, ... << 16,
/// ... << 24) -> the i32 of vector.load m[i.., k] : vector<4xi8>, for a
/// buffer whose innermost dimension is contiguous.
struct CombineByteLoads : OpRewritePattern<arith::OrIOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::OrIOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getType().isInteger(32))
      return rewriter.notifyMatchFailure(op, "not a word");
    SmallVector<Value> operands;
    collectOrOperands(op.getResult(), operands);
    if (operands.size() != kWordBytes)
      return rewriter.notifyMatchFailure(op, "not four terms");
    SmallVector<memref::LoadOp> bytes(kWordBytes);
    for (Value operand : operands) {
      std::optional<ShiftedByte> byte = matchShiftedByte(operand);
      if (!byte || byte->shift % 8 != 0 || byte->shift < 0 ||
          byte->shift >= 8 * kWordBytes || bytes[byte->shift / 8])
        return rewriter.notifyMatchFailure(op, "not four shifted bytes");
      bytes[byte->shift / 8] = byte->load;
    }
    if (!areConsecutive(ArrayRef(bytes)))
      return rewriter.notifyMatchFailure(op, "bytes not consecutive");
    memref::LoadOp first = bytes.front();
    Location loc = op.getLoc();
    Value vector = vector::LoadOp::create(
        rewriter, loc, VectorType::get({kWordBytes}, rewriter.getI8Type()),
        first.getMemRef(), first.getIndices());
    Value word = vector::BitCastOp::create(
        rewriter, loc, VectorType::get({1}, rewriter.getI32Type()), vector);
    rewriter.replaceOpWithNewOp<vector::ExtractOp>(op, word,
                                                   ArrayRef<int64_t>{0});
    return success();
  }
};

/// What byte \p byte of a stored word comes from: a word, as trunci(word)
/// for byte 0 and trunci(shrui(word, 8 * byte)) for the others, or a
/// vector of 4 or more bytes, as its element \p byte.
Value getStoredWord(Value value, int64_t byte) {
  if (auto extract = value.getDefiningOp<vector::ExtractOp>()) {
    auto type = dyn_cast<VectorType>(extract.getSource().getType());
    if (!type || type.getRank() != 1 || type.getNumElements() < kWordBytes ||
        !type.getElementType().isInteger(8) ||
        extract.getStaticPosition() != ArrayRef<int64_t>{byte})
      return {};
    return extract.getSource();
  }
  auto truncation = value.getDefiningOp<arith::TruncIOp>();
  if (!truncation || !truncation.getType().isInteger(8) ||
      !truncation.getIn().getType().isInteger(32))
    return {};
  Value word = truncation.getIn();
  if (byte == 0)
    return word;
  auto shift = word.getDefiningOp<arith::ShRUIOp>();
  APInt amount;
  if (!shift || !matchPattern(shift.getRhs(), m_ConstantInt(&amount)) ||
      amount.getSExtValue() != 8 * byte)
    return {};
  return shift.getLhs();
}

/// store trunc(w) at m[i.., k], then the bytes w >> 8, >> 16, >> 24 at
/// k + 1 .. k + 3 (only pure arithmetic in between) -> one vector.store of
/// w's four bytes, for a buffer whose innermost dimension is contiguous;
/// likewise the elements of a vector of 4 or more bytes in order.
struct CombineByteStores : OpRewritePattern<memref::StoreOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::StoreOp op,
                                PatternRewriter &rewriter) const override {
    Value word = getStoredWord(op.getValue(), 0);
    if (!word)
      return rewriter.notifyMatchFailure(op, "not the low byte of a word");
    // A word's 4 bytes, or all the bytes of a vector.
    int64_t count = kWordBytes;
    if (auto type = dyn_cast<VectorType>(word.getType()))
      count = type.getNumElements();
    SmallVector<memref::StoreOp> stores = {op};
    for (Operation *next = op->getNextNode();
         next && int64_t(stores.size()) < count; next = next->getNextNode()) {
      if (auto store = dyn_cast<memref::StoreOp>(next)) {
        if (getStoredWord(store.getValue(), int64_t(stores.size())) != word)
          return rewriter.notifyMatchFailure(op, "another store first");
        stores.push_back(store);
        continue;
      }
      if (!isPure(next))
        return rewriter.notifyMatchFailure(op, "memory effects in between");
    }
    if (int64_t(stores.size()) != count)
      return rewriter.notifyMatchFailure(op, "not all the bytes");
    if (!areConsecutive(ArrayRef(stores)))
      return rewriter.notifyMatchFailure(op, "bytes not consecutive");
    // The vector store goes where the last byte was stored, once the
    // indices of all of them are defined.
    memref::StoreOp last = stores.back();
    rewriter.setInsertionPoint(last);
    Location loc = op.getLoc();
    Value bytes = word;
    if (!isa<VectorType>(word.getType()))
      bytes = vector::BitCastOp::create(
          rewriter, loc, VectorType::get({kWordBytes}, rewriter.getI8Type()),
          vector::FromElementsOp::create(
              rewriter, loc, VectorType::get({1}, rewriter.getI32Type()),
              word));
    vector::StoreOp::create(rewriter, loc, bytes, op.getMemRef(),
                            op.getIndices());
    for (memref::StoreOp store : stores)
      rewriter.eraseOp(store);
    return success();
  }
};

struct CombineByteAccessesPass
    : tinyq::impl::TinyQCombineByteAccessesBase<CombineByteAccessesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    tinyq::populateCombineByteAccessesPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void tinyq::populateCombineByteAccessesPatterns(RewritePatternSet &patterns) {
  patterns.add<CombineByteLoads, CombineByteStores, CombineElementLoads>(
      patterns.getContext());
}
