//===- CombineByteAccesses.cpp - Words and vectors from byte accesses -----===//
//
// The Arm kernels read a word of four int8 activations as four byte loads
// combined with shifts and ors, which LLVM's instruction selection merges
// into one (unaligned) word load only when it still sees one base address;
// loop strength reduction can split the addresses first. The Helium
// kernels build vectors from consecutive elements the same way, and store
// four output bytes as the bytes of a word. This pass makes the word and
// vector accesses explicit on the buffers, before the lowering to LLVM.
// Elements at constant distances other than consecutive ones become
// gathers and scatters (Helium's vldrb.s32 / vstrb.32 with a vector of
// offsets).
//
//===----------------------------------------------------------------------===//

#include "tinyq/Target/CortexM/Passes.h"
#include "tinyq/Target/CortexM/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/Statistic.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQCOMBINEBYTEACCESSES
#include "tinyq/Target/CortexM/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-combine-byte-accesses"

using namespace mlir;

ALWAYS_ENABLED_STATISTIC(NumCombinedLoads,
                         "Byte loads combined into word or vector loads");
ALWAYS_ENABLED_STATISTIC(NumCombinedCopies,
                         "Byte copies combined into vector copies");
ALWAYS_ENABLED_STATISTIC(NumCombinedStores,
                         "Byte stores combined into word stores or scatters");

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

/// \p index as a value plus a constant, peeling arith.addi of constants
/// (a null value for a constant index).
std::pair<Value, int64_t> splitConstantOffset(Value index) {
  int64_t offset = 0;
  APInt constant;
  while (true) {
    if (matchPattern(index, m_ConstantInt(&constant)))
      return {Value(), offset + constant.getSExtValue()};
    auto add = index.getDefiningOp<arith::AddIOp>();
    if (!add)
      return {index, offset};
    if (matchPattern(add.getRhs(), m_ConstantInt(&constant))) {
      index = add.getLhs();
    } else if (matchPattern(add.getLhs(), m_ConstantInt(&constant))) {
      index = add.getRhs();
    } else {
      return {index, offset};
    }
    offset += constant.getSExtValue();
  }
}

/// Whether \p index is \p base + \p offset: written so (`base + offset`,
/// or both constants), or with \p throughConstants, as a value plus
/// constants each (splitConstantOffset). Word loads take the first only:
/// combining also the int4 kernels' second input word (k + 4 + i, folded)
/// changed LLVM's register allocation for the worse (the M4 int4 fully
/// connected layer from 179 K to 200 K instructions).
bool isOffsetIndex(Value index, Value base, int64_t offset,
                   bool throughConstants) {
  if (throughConstants) {
    auto [indexValue, indexOffset] = splitConstantOffset(index);
    auto [baseValue, baseOffset] = splitConstantOffset(base);
    return indexValue == baseValue && indexOffset - baseOffset == offset;
  }
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
/// position (isOffsetIndex, \p throughConstants as given).
template <typename AccessOp>
bool areConsecutive(ArrayRef<AccessOp> accesses,
                    bool throughConstants = false) {
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
        !isOffsetIndex(accessIndices.back(), indices.back(), int64_t(position),
                       throughConstants))
      return false;
  }
  return true;
}

/// The distances in elements of \p accesses from the first one, when they
/// are all constant and increasing (a strided walk, not a permutation) and
/// the buffer is a static, contiguous row-major one (so that a 1-D view of
/// it holds them all).
template <typename AccessOp>
std::optional<SmallVector<int32_t>>
getConstantDistances(ArrayRef<AccessOp> accesses) {
  AccessOp first = accesses.front();
  MemRefType type = first.getMemRefType();
  if (type.getRank() == 0 || !memref::isStaticShapeAndContiguousRowMajor(type))
    return std::nullopt;
  SmallVector<int64_t> strides = type.getStridesAndOffset().first;
  auto origins = llvm::map_to_vector(first.getIndices(), splitConstantOffset);
  SmallVector<int32_t> distances;
  for (AccessOp access : accesses) {
    if (access.getMemRef() != first.getMemRef())
      return std::nullopt;
    int64_t distance = 0;
    for (auto [index, origin, stride] :
         llvm::zip_equal(access.getIndices(), origins, strides)) {
      auto [base, offset] = splitConstantOffset(index);
      if (base != origin.first)
        return std::nullopt;
      distance += (offset - origin.second) * stride;
    }
    if (distance > INT32_MAX ||
        (!distances.empty() && distance <= distances.back()))
      return std::nullopt;
    distances.push_back(int32_t(distance));
  }
  return distances;
}

/// The 1-D view of \p access's buffer (static, contiguous) and the index
/// of \p access in it, built before \p access.
template <typename AccessOp>
std::pair<Value, Value> getFlatAccess(PatternRewriter &rewriter,
                                      AccessOp access) {
  Location loc = access.getLoc();
  MemRefType type = access.getMemRefType();
  SmallVector<int64_t> strides = type.getStridesAndOffset().first;
  Value flat = access.getMemRef();
  if (type.getRank() > 1)
    flat = memref::CollapseShapeOp::create(
        rewriter, loc, flat,
        ArrayRef<ReassociationIndices>{
            llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()))});
  Value index;
  for (auto [position, stride] :
       llvm::zip_equal(access.getIndices(), strides)) {
    Value term = position;
    if (stride != 1)
      term = arith::MulIOp::create(
          rewriter, loc, position,
          arith::ConstantIndexOp::create(rewriter, loc, stride));
    index = index ? arith::AddIOp::create(rewriter, loc, index, term) : term;
  }
  return {flat, index};
}

/// A constant vector<N x i32> of \p distances and an all-true mask.
std::pair<Value, Value> getGatherOffsetsAndMask(PatternRewriter &rewriter,
                                                Location loc,
                                                ArrayRef<int32_t> distances) {
  int64_t lanes = distances.size();
  Value offsets = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(VectorType::get({lanes}, rewriter.getI32Type()),
                             distances));
  Value mask = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(VectorType::get({lanes}, rewriter.getI1Type()),
                             true));
  return {offsets, mask};
}

/// Whether an operation from \p first up to \p last (same block) might
/// write memory.
bool mightWriteBetween(Operation *first, Operation *last) {
  for (Operation *op = first; op != last; op = op->getNextNode())
    if (mightHaveEffect<MemoryEffects::Write>(op))
      return true;
  return false;
}

/// The elements \p loads read as one vector, built before \p user: one
/// vector.load when they are consecutive, else one vector.gather from the
/// buffer's 1-D view when they are at constant, increasing distances in a
/// static, contiguous buffer. The loads must come before \p user in its
/// block with no write from the first of them on; null otherwise.
Value loadElements(PatternRewriter &rewriter, ArrayRef<memref::LoadOp> loads,
                   Operation *user) {
  Operation *earliest = user;
  for (memref::LoadOp load : loads) {
    if (load->getBlock() != user->getBlock() || !load->isBeforeInBlock(user))
      return {};
    if (load->isBeforeInBlock(earliest))
      earliest = load;
  }
  if (mightWriteBetween(earliest, user))
    return {};
  Location loc = user->getLoc();
  memref::LoadOp first = loads.front();
  auto type = VectorType::get({int64_t(loads.size())}, first.getType());
  rewriter.setInsertionPoint(user);
  if (areConsecutive(loads, /*throughConstants=*/true))
    return vector::LoadOp::create(rewriter, loc, type, first.getMemRef(),
                                  first.getIndices());
  std::optional<SmallVector<int32_t>> distances = getConstantDistances(loads);
  if (!distances)
    return {};
  auto [flat, index] = getFlatAccess(rewriter, first);
  auto [offsets, mask] = getGatherOffsetsAndMask(rewriter, loc, *distances);
  Value passThrough =
      arith::ConstantOp::create(rewriter, loc, rewriter.getZeroAttr(type));
  return vector::GatherOp::create(rewriter, loc, type, flat, ValueRange{index},
                                  offsets, mask, passThrough);
}

/// vector.from_elements of loads -> one vector.load or gather
/// (loadElements).
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
    Value vector = loadElements(rewriter, loads, op);
    if (!vector)
      return rewriter.notifyMatchFailure(op, "not one vector load or gather");
    rewriter.replaceOp(op, vector);
    ++NumCombinedLoads;
    return success();
  }
};

/// Stores of 4 or 8 loaded bytes to consecutive places (only pure
/// arithmetic between the stores) -> the bytes loaded as one vector
/// (loadElements: e.g. a gather of a strided copy) and stored with one
/// vector.store.
struct CombineByteCopies : OpRewritePattern<memref::StoreOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::StoreOp op,
                                PatternRewriter &rewriter) const override {
    auto loadOf = [](memref::StoreOp store) {
      return store.getValue().getDefiningOp<memref::LoadOp>();
    };
    if (!loadOf(op) || !op.getValue().getType().isInteger(8))
      return rewriter.notifyMatchFailure(op, "not a loaded byte");
    SmallVector<memref::StoreOp> stores = {op};
    SmallVector<memref::LoadOp> loads = {loadOf(op)};
    for (Operation *next = op->getNextNode();
         next && int64_t(stores.size()) < 2 * kWordBytes;
         next = next->getNextNode()) {
      auto store = dyn_cast<memref::StoreOp>(next);
      if (store && loadOf(store)) {
        stores.push_back(store);
        loads.push_back(loadOf(store));
        continue;
      }
      if (store || !isPure(next))
        break;
    }
    // The first 8 or 4.
    int64_t count =
        stores.size() >= 2 * kWordBytes ? 2 * kWordBytes : kWordBytes;
    if (int64_t(stores.size()) < count)
      return rewriter.notifyMatchFailure(op, "fewer than 4 stores");
    stores.resize(count);
    loads.resize(count);
    if (!areConsecutive(ArrayRef(stores), /*throughConstants=*/true))
      return rewriter.notifyMatchFailure(op, "not consecutive stores");
    Value bytes = loadElements(rewriter, loads, op);
    if (!bytes)
      return rewriter.notifyMatchFailure(op, "not one vector load or gather");
    rewriter.setInsertionPoint(stores.back());
    vector::StoreOp::create(rewriter, op.getLoc(), bytes, op.getMemRef(),
                            op.getIndices());
    for (memref::StoreOp store : stores)
      rewriter.eraseOp(store);
    ++NumCombinedCopies;
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
    ++NumCombinedLoads;
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
    // The vector store goes where the last byte was stored, once the
    // indices of all of them are defined.
    memref::StoreOp last = stores.back();
    rewriter.setInsertionPoint(last);
    Location loc = op.getLoc();
    // A vector's bytes at any constant distances; a word's as written.
    bool isVector = isa<VectorType>(word.getType());
    if (!areConsecutive(ArrayRef(stores), /*throughConstants=*/isVector)) {
      // A vector's bytes at other increasing distances: one scatter.
      std::optional<SmallVector<int32_t>> distances =
          isVector ? getConstantDistances(ArrayRef(stores)) : std::nullopt;
      if (!distances)
        return rewriter.notifyMatchFailure(op, "bytes not at known places");
      auto [flat, index] = getFlatAccess(rewriter, op);
      auto [offsets, mask] = getGatherOffsetsAndMask(rewriter, loc, *distances);
      vector::ScatterOp::create(rewriter, loc, /*result=*/Type(), flat,
                                ValueRange{index}, offsets, mask, word);
      for (memref::StoreOp store : stores)
        rewriter.eraseOp(store);
      ++NumCombinedStores;
      return success();
    }
    Value bytes = word;
    if (!isVector)
      bytes = vector::BitCastOp::create(
          rewriter, loc, VectorType::get({kWordBytes}, rewriter.getI8Type()),
          vector::FromElementsOp::create(
              rewriter, loc, VectorType::get({1}, rewriter.getI32Type()),
              word));
    vector::StoreOp::create(rewriter, loc, bytes, op.getMemRef(),
                            op.getIndices());
    for (memref::StoreOp store : stores)
      rewriter.eraseOp(store);
    ++NumCombinedStores;
    return success();
  }
};

struct CombineByteAccessesPass
    : tinyq::impl::TinyQCombineByteAccessesBase<CombineByteAccessesPass> {
  void runOnOperation() override {
    if (!hasDspExtension(tinyq::TargetAttr::lookup(getOperation())))
      return;
    RewritePatternSet patterns(&getContext());
    tinyq::populateCombineByteAccessesPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void tinyq::populateCombineByteAccessesPatterns(RewritePatternSet &patterns) {
  patterns.add<CombineByteCopies, CombineByteLoads, CombineByteStores,
               CombineElementLoads>(patterns.getContext());
}
