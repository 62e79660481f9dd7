//===- AllocateArena.cpp - Buffers in a caller-provided arena -------------===//

#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/Support/MathExtras.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQALLOCATEARENA
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-allocate-arena"

using namespace mlir;

namespace {
constexpr StringLiteral kArenaSizeAttr = "tinyq.arena_size";

/// Bytes a statically shaped, identity-layout buffer of \p type occupies.
std::optional<int64_t> getBufferBytes(MemRefType type) {
  if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
      !type.getElementType().isIntOrFloat())
    return std::nullopt;
  int64_t elementBytes =
      llvm::divideCeil(type.getElementType().getIntOrFloatBitWidth(), 8);
  return type.getNumElements() * elementBytes;
}

struct AllocateArenaPass
    : tinyq::impl::TinyQAllocateArenaBase<AllocateArenaPass> {
  using Base::Base;

  void runOnOperation() override {
    if (!llvm::isPowerOf2_32(alignment)) {
      getOperation().emitError("arena alignment ")
          << unsigned(alignment) << " is not a power of two";
      return signalPassFailure();
    }
    SmallVector<func::FuncOp> order;
    DenseSet<Operation *> visited;
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (failed(visit(func, visited, order)))
        return signalPassFailure();
    DenseMap<Operation *, int64_t> arenaSizes;
    for (func::FuncOp func : order)
      if (failed(allocate(func, arenaSizes)))
        return signalPassFailure();
  }

  /// Appends \p func to \p order after the functions it calls.
  LogicalResult visit(func::FuncOp func, DenseSet<Operation *> &visited,
                      SmallVectorImpl<func::FuncOp> &order) {
    if (func.isExternal() || !visited.insert(func).second)
      return success();
    WalkResult result = func.walk([&](func::CallOp call) {
      auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
          call, call.getCalleeAttr());
      if (callee == func) {
        call.emitError("recursive calls cannot share an arena");
        return WalkResult::interrupt();
      }
      if (callee && failed(visit(callee, visited, order)))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return failure();
    order.push_back(func);
    return success();
  }

  LogicalResult allocate(func::FuncOp func,
                         DenseMap<Operation *, int64_t> &arenaSizes) {
    // Callees work in [0, largest callee arena); own buffers follow.
    SmallVector<std::pair<func::CallOp, int64_t>> calls;
    int64_t end = 0;
    func.walk([&](func::CallOp call) {
      Operation *callee =
          SymbolTable::lookupNearestSymbolFrom(call, call.getCalleeAttr());
      auto size = arenaSizes.find(callee);
      if (size == arenaSizes.end())
        return;
      calls.push_back({call, size->second});
      end = std::max(end, size->second);
    });
    SmallVector<std::pair<memref::AllocOp, int64_t>> placed;
    WalkResult result = func.walk([&](memref::AllocOp alloc) {
      std::optional<int64_t> bytes = getBufferBytes(alloc.getType());
      if (!bytes) {
        alloc.emitError("cannot place a buffer of type ")
            << alloc.getType()
            << " in the arena (static shape and identity layout needed)";
        return WalkResult::interrupt();
      }
      int64_t offset = llvm::alignTo(end, alignment);
      placed.push_back({alloc, offset});
      end = offset + *bytes;
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return failure();

    Builder builder(&getContext());
    auto arenaType =
        MemRefType::get({std::max<int64_t>(end, 1)}, builder.getI8Type());
    unsigned index = func.getNumArguments();
    if (failed(func.insertArgument(index, arenaType, DictionaryAttr(),
                                   func.getLoc())))
      return func.emitError("cannot add the arena argument");
    Value arena = func.getArgument(index);
    func->setAttr(kArenaSizeAttr, builder.getI64IntegerAttr(end));
    arenaSizes[func] = end;

    for (auto [alloc, offset] : placed) {
      OpBuilder b(alloc);
      Value start = arith::ConstantIndexOp::create(b, alloc.getLoc(), offset);
      Value view = memref::ViewOp::create(b, alloc.getLoc(), alloc.getType(),
                                          arena, start, ValueRange());
      for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      alloc.replaceAllUsesWith(view);
      alloc.erase();
    }
    for (auto [call, calleeSize] : calls) {
      OpBuilder b(call);
      Value calleeArena = arena;
      auto calleeType = MemRefType::get({std::max<int64_t>(calleeSize, 1)},
                                        builder.getI8Type());
      if (calleeType != arenaType)
        calleeArena = memref::ViewOp::create(
            b, call.getLoc(), calleeType, arena,
            arith::ConstantIndexOp::create(b, call.getLoc(), 0), ValueRange());
      call->insertOperands(call->getNumOperands(), calleeArena);
    }
    return success();
  }
};
} // namespace
