//===- ChainMveLoads.cpp - Streams of Helium vector loads as pointer chains
//-===//
//
// A kernel whose steps are unrolled reads its weights as one stream of
// 16-byte vectors at constant distances from one base. LLVM folds every
// distance into the load's address, and a Helium load reaches only 127
// elements from its base register, so each load beyond that takes an
// `add` of its own. Advancing the pointer from load to load instead, past
// an empty inline-asm copy that LLVM cannot fold through, lets its
// instruction selection post-increment the loads: no instruction at all
// for the addresses.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Target/CortexM/Passes.h"
#include "tinyq/Target/CortexM/Transforms.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Support/MathExtras.h"

#include <map>

namespace tinyq {
#define GEN_PASS_DEF_TINYQCHAINMVELOADS
#include "tinyq/Target/CortexM/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-chain-mve-loads"

using namespace mlir;

ALWAYS_ENABLED_STATISTIC(NumStreams,
                         "Streams of loads chained from one pointer");
ALWAYS_ENABLED_STATISTIC(NumChainedLoads,
                         "Loads addressed from the previous load's pointer");

namespace {
/// Bits of a Helium vector register.
constexpr unsigned kVectorBits = 128;
/// Elements a Helium load's immediate offset reaches either side of its
/// base register (7 bits, scaled by the element size).
constexpr int64_t kOffsetElements = 127;
/// How deep the index arithmetic of an address is followed.
constexpr unsigned kMaxDepth = 8;

/// An integer as the sum of its terms (each value's coefficient, keyed by
/// the value) plus a constant.
struct LinearForm {
  std::map<const void *, int64_t> terms;
  int64_t constant = 0;

  void add(const LinearForm &other, int64_t factor) {
    constant += factor * other.constant;
    for (auto [value, coefficient] : other.terms)
      if ((terms[value] += factor * coefficient) == 0)
        terms.erase(value);
  }
};

/// \p value as a linear form over the llvm.add, llvm.sub, llvm.mul by a
/// constant and the constants that compute it.
LinearForm getLinearForm(Value value, unsigned depth = 0) {
  LinearForm form;
  APInt constant;
  if (matchPattern(value, m_ConstantInt(&constant))) {
    form.constant = constant.getSExtValue();
    return form;
  }
  Operation *op = value.getDefiningOp();
  if (depth < kMaxDepth && op && isa<LLVM::AddOp, LLVM::SubOp>(op)) {
    form.add(getLinearForm(op->getOperand(0), depth + 1), 1);
    form.add(getLinearForm(op->getOperand(1), depth + 1),
             isa<LLVM::SubOp>(op) ? -1 : 1);
    return form;
  }
  if (depth < kMaxDepth && op && isa<LLVM::MulOp>(op)) {
    for (unsigned side = 0; side < 2; ++side) {
      if (matchPattern(op->getOperand(side), m_ConstantInt(&constant))) {
        form.add(getLinearForm(op->getOperand(1 - side), depth + 1),
                 constant.getSExtValue());
        return form;
      }
    }
  }
  form.terms[value.getAsOpaquePointer()] = 1;
  return form;
}

/// \p address as a base pointer plus a linear form in bytes, through the
/// getelementptr ops of one index over integer elements that compute it.
std::pair<Value, LinearForm> getByteAddress(Value address) {
  LinearForm bytes;
  while (auto gep = address.getDefiningOp<LLVM::GEPOp>()) {
    auto element = dyn_cast<IntegerType>(gep.getElemType());
    if (!element || element.getWidth() % 8 != 0 || gep.getIndices().size() != 1)
      break;
    auto index = gep.getIndices()[0];
    LinearForm form;
    if (auto value = dyn_cast<Value>(index))
      form = getLinearForm(value);
    else
      form.constant = cast<IntegerAttr>(index).getInt();
    bytes.add(form, element.getWidth() / 8);
    address = gep.getBase();
  }
  return {address, bytes};
}

/// Bytes \p load's immediate offset reaches when it loads a whole Helium
/// vector (its elements as wide as its alignment allows, up to words),
/// else 0.
int64_t getOffsetReach(LLVM::LoadOp load) {
  auto type = dyn_cast<VectorType>(load.getType());
  if (!type || type.getRank() != 1 || load.getVolatile_() ||
      load.getOrdering() != LLVM::AtomicOrdering::not_atomic ||
      !type.getElementType().isIntOrFloat() ||
      type.getNumElements() * type.getElementTypeBitWidth() != kVectorBits)
    return 0;
  int64_t element = std::min<int64_t>(type.getElementTypeBitWidth() / 8, 4);
  int64_t alignment = load.getAlignment().value_or(element);
  return kOffsetElements * std::clamp<int64_t>(alignment, 1, element);
}

/// One stream: loads of a block from one base at constant byte offsets.
struct Stream {
  SmallVector<std::pair<LLVM::LoadOp, int64_t>> loads;
  int64_t reach = INT64_MAX;
};

/// Rewrites each stream of \p block whose offsets span more than its loads
/// reach into a chain: each load after the first at the previous one's
/// address advanced by their distance, through an empty inline-asm copy.
void chainStreams(Block &block) {
  // By base pointer and the terms of the offset.
  std::map<std::pair<const void *, std::map<const void *, int64_t>>, Stream>
      streams;
  SmallVector<Stream *> order;
  for (auto load : block.getOps<LLVM::LoadOp>()) {
    int64_t reach = getOffsetReach(load);
    if (reach == 0)
      continue;
    auto [base, bytes] = getByteAddress(load.getAddr());
    auto [it, inserted] =
        streams.try_emplace({base.getAsOpaquePointer(), bytes.terms}, Stream());
    if (inserted)
      order.push_back(&it->second);
    it->second.loads.emplace_back(load, bytes.constant);
    it->second.reach = std::min(it->second.reach, reach);
  }
  for (Stream *stream : order) {
    auto offsets = llvm::make_second_range(stream->loads);
    auto [low, high] = std::minmax_element(offsets.begin(), offsets.end());
    // The distances go into i32 offsets (the M-profile's pointers).
    if (stream->loads.size() < 2 || *high - *low <= stream->reach ||
        !llvm::isInt<32>(*high - *low))
      continue;
    ++NumStreams;
    auto [first, previousOffset] = stream->loads.front();
    Value previous = first.getAddr();
    for (auto [load, offset] : llvm::drop_begin(stream->loads)) {
      OpBuilder builder(load);
      Location loc = load.getLoc();
      Type pointer = previous.getType();
      Value advanced = LLVM::GEPOp::create(
          builder, loc, pointer, builder.getI8Type(), previous,
          ArrayRef<LLVM::GEPArg>{int32_t(offset - previousOffset)});
      Value copy = LLVM::InlineAsmOp::create(
                       builder, loc, pointer, ValueRange{advanced},
                       /*asm_string=*/"", /*constraints=*/"=r,0",
                       /*has_side_effects=*/false, /*is_align_stack=*/false,
                       LLVM::tailcallkind::TailCallKind::None,
                       /*asm_dialect=*/LLVM::AsmDialectAttr(),
                       /*operand_attrs=*/ArrayAttr())
                       .getResult(0);
      Operation *old = load.getAddr().getDefiningOp();
      load.getAddrMutable().assign(copy);
      if (old && old->use_empty() && isa<LLVM::GEPOp>(old))
        old->erase();
      previous = copy;
      previousOffset = offset;
      ++NumChainedLoads;
    }
  }
}

struct ChainMveLoadsPass
    : tinyq::impl::TinyQChainMveLoadsBase<ChainMveLoadsPass> {
  void runOnOperation() override {
    if (!hasHelium(tinyq::TargetAttr::lookup(getOperation())))
      return;
    getOperation()->walk([](Block *block) { chainStreams(*block); });
  }
};
} // namespace
