//===- AllocateArena.cpp - Buffers in a caller-provided arena -------------===//

#include "tinyq/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/MathExtras.h"

#include <limits>
#include <random>
#include <tuple>

namespace tinyq {
#define GEN_PASS_DEF_TINYQALLOCATEARENA
#include "tinyq/Transforms/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-allocate-arena"

using namespace mlir;

ALWAYS_ENABLED_STATISTIC(NumOrderTrials,
                         "Buffer orders tried after the largest-first one");
ALWAYS_ENABLED_STATISTIC(NumBetterOrders,
                         "Of those, orders that placed the buffers lower");

namespace {
/// How many orders near the largest-first one placement tries at most, and
/// a bound on the work of all the tries (orders times buffers cubed: each
/// buffer weighs candidate offsets against the buffers placed before it),
/// which keeps models with many buffers quick to compile.
constexpr int64_t kMaxOrderTrials = 2000;
constexpr int64_t kMaxPlacementWork = int64_t(1) << 26;

constexpr StringLiteral kArenaSizeAttr = "tinyq.arena_size";
/// The most bytes in use at one time: no placement needs less.
constexpr StringLiteral kArenaLowerBoundAttr = "tinyq.arena_lower_bound";

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
    DenseMap<Operation *, CalleeArena> arenas;
    for (func::FuncOp func : order)
      if (failed(allocate(func, arenas)))
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

  /// A buffer and the span of top-level operations of its function that use
  /// it or a view of it.
  struct Buffer {
    memref::AllocOp alloc;
    /// Its size, and that rounded up to the arena alignment (so that offsets
    /// formed from the ends of buffers stay aligned).
    int64_t bytes, alignedBytes, first, last, offset = 0;

    bool overlapsInTime(const Buffer &other) const {
      return first <= other.last && other.first <= last;
    }
  };

  /// Where the buffers of a function go.
  struct Placement {
    /// Each buffer with its offset, size and live range.
    SmallVector<Buffer> buffers;
    /// How many operations the function body has.
    int64_t operations;
    /// The arena's end, and the most bytes in use at once (a callee's
    /// lower bound counted during its call).
    int64_t end, lowerBound;
  };

  /// The lowest offset a buffer may take above \p base.
  int64_t getFirstOffset(int64_t base) {
    int64_t first = int64_t(llvm::alignTo(base, alignment));
    return first == 0 && skipStart ? int64_t(alignment) : first;
  }

  /// Offsets from \p base for \p buffers placed in \p order, each at the
  /// lowest aligned offset clear of the buffers placed before it that live
  /// at the same time; returns the end of the highest.
  int64_t placeInOrder(ArrayRef<Buffer> buffers, ArrayRef<size_t> order,
                       int64_t base, SmallVectorImpl<int64_t> &offsets) {
    offsets.assign(buffers.size(), 0);
    int64_t start = getFirstOffset(base);
    SmallVector<size_t> placedSoFar;
    int64_t end = base;
    for (size_t index : order) {
      const Buffer &buffer = buffers[index];
      SmallVector<int64_t> candidates = {start};
      for (size_t other : placedSoFar)
        if (buffers[other].overlapsInTime(buffer))
          candidates.push_back(offsets[other] + buffers[other].alignedBytes);
      llvm::sort(candidates);
      for (int64_t candidate : candidates) {
        bool clear = llvm::all_of(placedSoFar, [&](size_t other) {
          return !buffers[other].overlapsInTime(buffer) ||
                 candidate + buffer.bytes <= offsets[other] ||
                 offsets[other] + buffers[other].alignedBytes <= candidate;
        });
        if (clear) {
          offsets[index] = candidate;
          break;
        }
      }
      placedSoFar.push_back(index);
      end = std::max(end, offsets[index] + buffer.bytes);
    }
    return end;
  }

  /// A function's arena size and lower bound, for its callers.
  struct CalleeArena {
    int64_t size, lowerBound;
  };

  /// Offsets from \p base for the buffers of \p func such that buffers in
  /// use at the same time never share bytes. \p calls are its calls and
  /// their callees' arenas, whose lower bounds count as live at the call.
  FailureOr<Placement>
  placeByLiveness(func::FuncOp func, int64_t base,
                  ArrayRef<std::pair<func::CallOp, CalleeArena>> calls) {
    Block &body = func.getBody().front();
    DenseMap<Operation *, int64_t> positions;
    for (Operation &op : body)
      positions[&op] = int64_t(positions.size());
    int64_t lastPosition = int64_t(positions.size());
    auto positionOf = [&](Operation *op) {
      Operation *ancestor = body.findAncestorOpInBlock(*op);
      return ancestor ? positions.lookup(ancestor) : lastPosition;
    };

    SmallVector<Buffer> buffers;
    WalkResult result = func.walk([&](memref::AllocOp alloc) {
      std::optional<int64_t> bytes = getBufferBytes(alloc.getType());
      if (!bytes) {
        alloc.emitError("cannot place a buffer of type ")
            << alloc.getType()
            << " in the arena (static shape and identity layout needed)";
        return WalkResult::interrupt();
      }
      // Live from the first to the last operation that touches the buffer
      // through any view of it; a returned view lives to the end.
      int64_t first = std::numeric_limits<int64_t>::max(), last = -1;
      SmallVector<Value> values = {alloc.getResult()};
      while (!values.empty()) {
        Value value = values.pop_back_val();
        for (Operation *user : value.getUsers()) {
          if (isa<memref::DeallocOp>(user))
            continue;
          int64_t position =
              isa<func::ReturnOp>(user) ? lastPosition : positionOf(user);
          first = std::min(first, position);
          last = std::max(last, position);
          for (Value view : user->getResults())
            if (isa<BaseMemRefType>(view.getType()))
              values.push_back(view);
        }
      }
      if (last < 0)
        first = last = positionOf(alloc);
      buffers.push_back({alloc, *bytes,
                         int64_t(llvm::alignTo(*bytes, alignment)), first,
                         last});
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return failure();

    // The bound no placement can beat: the most bytes live at once, a
    // callee's bound included during its call.
    SmallVector<int64_t> calleeBytes(lastPosition + 1, 0);
    for (auto [call, callee] : calls)
      calleeBytes[positionOf(call)] =
          std::max(calleeBytes[positionOf(call)], callee.lowerBound);
    int64_t mostLive = 0, mostOwnLive = 0;
    for (int64_t position = 0; position <= lastPosition; ++position) {
      int64_t live = 0;
      for (const Buffer &buffer : buffers)
        if (buffer.first <= position && position <= buffer.last)
          live += buffer.bytes;
      mostOwnLive = std::max(mostOwnLive, live);
      mostLive = std::max(mostLive, live + calleeBytes[position]);
    }

    // Largest first (then earliest), each at the lowest offset clear of
    // the buffers placed before it that live at the same time. Where that
    // leaves the arena above the bound, which happens when buffers alternate
    // (a layer's output, the next one's padded copy, its output, ...),
    // orders near the best one so far, a few random swaps away, are tried
    // and kept when they place no worse; the fixed seed keeps the plan
    // reproducible.
    SmallVector<size_t> order(buffers.size());
    for (size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    llvm::sort(order, [&](size_t a, size_t b) {
      return std::make_tuple(-buffers[a].alignedBytes, buffers[a].first, a) <
             std::make_tuple(-buffers[b].alignedBytes, buffers[b].first, b);
    });
    SmallVector<int64_t> offsets;
    int64_t end = placeInOrder(buffers, order, base, offsets);
    int64_t count = int64_t(buffers.size());
    int64_t trials =
        count < 2
            ? 0
            : std::min<int64_t>(kMaxOrderTrials,
                                kMaxPlacementWork / (count * count * count));
    std::mt19937 random(/*seed=*/1);
    [[maybe_unused]] int64_t largestFirstEnd = end, tried = 0;
    for (int64_t trial = 0;
         trial < trials && end > getFirstOffset(base) + mostOwnLive; ++trial) {
      ++NumOrderTrials;
      ++tried;
      SmallVector<size_t> nearby = order;
      for (unsigned swaps = 1 + random() % 3; swaps > 0; --swaps) {
        size_t first = random() % count;
        size_t second = random() % count;
        std::swap(nearby[first], nearby[second]);
      }
      SmallVector<int64_t> nearbyOffsets;
      int64_t nearbyEnd = placeInOrder(buffers, nearby, base, nearbyOffsets);
      if (nearbyEnd <= end) {
        if (nearbyEnd < end)
          ++NumBetterOrders;
        end = nearbyEnd;
        order = std::move(nearby);
        offsets = std::move(nearbyOffsets);
      }
    }
    LLVM_DEBUG(llvm::dbgs() << "[" DEBUG_TYPE "] @" << func.getSymName() << ": "
                            << count << " buffers, largest first end at "
                            << largestFirstEnd << " bytes, after " << tried
                            << " more orders at " << end << " (lower bound "
                            << getFirstOffset(base) + mostOwnLive << ")\n");
    for (auto [buffer, offset] : llvm::zip_equal(buffers, offsets))
      buffer.offset = offset;
    return Placement{std::move(buffers), lastPosition, end, mostLive};
  }

  /// The print-plan remarks: every buffer by offset, then the totals.
  void reportPlan(func::FuncOp func, const Placement &placement) {
    SmallVector<Buffer> byOffset = placement.buffers;
    llvm::stable_sort(byOffset, [](const Buffer &a, const Buffer &b) {
      return std::make_pair(a.offset, a.first) <
             std::make_pair(b.offset, b.first);
    });
    for (Buffer &buffer : byOffset)
      buffer.alloc.emitRemark("arena buffer ")
          << buffer.alloc.getType() << ": " << buffer.bytes
          << " bytes at offset " << buffer.offset << ", live over operations "
          << buffer.first << " to " << buffer.last << " of "
          << placement.operations;
    func.emitRemark("arena: ")
        << placement.end << " bytes, lower bound " << placement.lowerBound;
  }

  LogicalResult allocate(func::FuncOp func,
                         DenseMap<Operation *, CalleeArena> &arenas) {
    // Callees work in [0, largest callee arena); own buffers follow.
    SmallVector<std::pair<func::CallOp, CalleeArena>> calls;
    int64_t end = 0;
    func.walk([&](func::CallOp call) {
      Operation *callee =
          SymbolTable::lookupNearestSymbolFrom(call, call.getCalleeAttr());
      auto arena = arenas.find(callee);
      if (arena == arenas.end())
        return;
      calls.push_back({call, arena->second});
      end = std::max(end, arena->second.size);
    });
    // Own buffers go above the callees' region, packed by liveness.
    FailureOr<Placement> placed = placeByLiveness(func, /*base=*/end, calls);
    if (failed(placed))
      return failure();
    end = placed->end;
    Builder builder(&getContext());
    auto arenaType =
        MemRefType::get({std::max<int64_t>(end, 1)}, builder.getI8Type());
    unsigned index = func.getNumArguments();
    if (failed(func.insertArgument(index, arenaType, DictionaryAttr(),
                                   func.getLoc())))
      return func.emitError("cannot add the arena argument");
    Value arena = func.getArgument(index);
    if (printPlan)
      reportPlan(func, *placed);
    func->setAttr(kArenaSizeAttr, builder.getI64IntegerAttr(end));
    func->setAttr(kArenaLowerBoundAttr,
                  builder.getI64IntegerAttr(placed->lowerBound));
    arenas[func] = {end, placed->lowerBound};

    for (Buffer &buffer : placed->buffers) {
      memref::AllocOp alloc = buffer.alloc;
      OpBuilder b(alloc);
      Value start =
          arith::ConstantIndexOp::create(b, alloc.getLoc(), buffer.offset);
      Value view = memref::ViewOp::create(b, alloc.getLoc(), alloc.getType(),
                                          arena, start, ValueRange());
      for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      alloc.replaceAllUsesWith(view);
      alloc.erase();
    }
    for (auto [call, callee] : calls) {
      OpBuilder b(call);
      Value calleeArena = arena;
      auto calleeType = MemRefType::get({std::max<int64_t>(callee.size, 1)},
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
