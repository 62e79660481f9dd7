//===- SparseKernels.cpp - Kernels for sparse layers ----------------------===//
//
// Fully connected and pointwise layers whose activations skip their zeros
// (a list of the non-zero inputs per row) or whose int8 weights are 2:4
// sparse (each group of 4 inputs expanded into its 6 halfword pairs once).
//
//===----------------------------------------------------------------------===//

#include "Kernels.h"

using namespace mlir;
using namespace tinyq;
using namespace tinyq::cortexm;

namespace {
/// What a kernel prepares from an input row: a buffer of int32 words and,
/// for some, a count.
struct PreparedRow {
  Value buffer, count;
};

/// The sums of the 4 channels of a tile (\p tile), from \p initial, over
/// a prepared row.
using SumTile =
    function_ref<ValueRange(OpBuilder &, Location, const PreparedRow &,
                            Value tile, ValueRange initial)>;

/// out[rows, outputs] of \p layer with a kernel that first prepares each
/// input row into a buffer of \p bufferWords words (\p prepare; the buffer
/// is carried from row to row, so it is allocated once), then sums the
/// output channels in tiles of 4 (\p sumTile) from \p bias (a table of
/// whole tiles: the channels past \p outputs are computed, not stored) and
/// requantizes them.
Value computeByRowAndTile(
    OpBuilder &builder, Location loc, const DspLayer &layer, int64_t rows,
    int64_t outputs, Value bias, int64_t bufferWords,
    function_ref<PreparedRow(OpBuilder &, Location, Value row, Value buffer)>
        prepare,
    SumTile sumTile) {
  DspBuilder dsp(builder, loc);
  ChannelRequantizer requantize(builder, loc, layer);
  Value init = tensor::EmptyOp::create(
      builder, loc, ArrayRef<int64_t>{rows, outputs}, layer.outputElementType);
  Value buffer = tensor::EmptyOp::create(
      builder, loc, ArrayRef<int64_t>{bufferWords}, builder.getI32Type());
  auto rowLoop = dsp.forLoop(
      0, rows, 1, ValueRange{init, buffer},
      [&](OpBuilder &b, Location rowLoc, Value row, ValueRange rowArgs) {
        DspBuilder rowDsp(b, rowLoc);
        PreparedRow prepared = prepare(b, rowLoc, row, rowArgs[1]);
        // One tile: its sums, then the first `stored` channels requantized.
        auto computeTile = [&](OpBuilder &tb, Location tileLoc, Value tile,
                               int64_t stored, Value out) -> Value {
          DspBuilder tileDsp(tb, tileLoc);
          Value first = arith::MulIOp::create(tb, tileLoc, tile,
                                              tileDsp.index(kChannelTile));
          SmallVector<Value> initial;
          for (int64_t channel = 0; channel < kChannelTile; ++channel)
            initial.push_back(tensor::ExtractOp::create(
                tb, tileLoc, bias,
                ValueRange{addIndex(tb, tileLoc, first, channel)}));
          ValueRange sums = sumTile(tb, tileLoc, prepared, tile, initial);
          return storeRequantized(tb, tileLoc, requantize,
                                  sums.take_front(stored), first,
                                  /*aligned=*/true, row, out);
        };
        int64_t fullTiles = outputs / kChannelTile;
        Value out = rowArgs[0];
        if (fullTiles > 0)
          out = rowDsp
                    .forLoop(0, fullTiles, 1, ValueRange{out},
                             [&](OpBuilder &tb, Location tileLoc, Value tile,
                                 ValueRange tileArgs) {
                               scf::YieldOp::create(
                                   tb, tileLoc,
                                   computeTile(tb, tileLoc, tile, kChannelTile,
                                               tileArgs[0]));
                             })
                    .getResult(0);
        if (outputs % kChannelTile != 0)
          out = computeTile(b, rowLoc, rowDsp.index(fullTiles),
                            outputs % kChannelTile, out);
        scf::YieldOp::create(b, rowLoc, ValueRange{out, prepared.buffer});
      });
  return rowLoop.getResult(0);
}
} // namespace

bool tinyq::cortexm::skipsZeroActivations(const DspLayer &layer, int64_t depth,
                                          const ArmKernelOptions &options) {
  return options.skipZeroActivations && layer.layout != WordLayout::MveBytes &&
         depth <= (1 << 16);
}

Value tinyq::cortexm::computeSkippingZeros(OpBuilder &builder, Location loc,
                                           const DspLayer &layer, Value input,
                                           int32_t inputZeroPoint, int64_t rows,
                                           int64_t outputs, int64_t depth) {
  DspBuilder dsp(builder, loc);
  Value columnTable =
      dsp.wordTable(packColumnWords(layer.weights, outputs, depth));
  // Products of x - z need no zero-point term in the bias.
  SmallVector<int32_t> bias =
      unfoldInputZeroPoint(layer.bias, layer.weights, depth, inputZeroPoint);
  bias.resize(llvm::divideCeil(outputs, kChannelTile) * kChannelTile, 0);

  Type i32 = builder.getI32Type();
  // Per row: the list of entries with v != 0, then a zero entry (v = 0,
  // k = 0: no product) that lets the tiles take two per iteration, and
  // how many pairs to take; hence one more entry than inputs.
  auto listEntries = [&](OpBuilder &b, Location rowLoc, Value row,
                         Value buffer) -> PreparedRow {
    DspBuilder rowDsp(b, rowLoc);
    Value lower = rowDsp.index(0);
    Value upper = rowDsp.index(depth);
    Value step = rowDsp.index(1);
    Value noEntries = rowDsp.index(0);
    auto compact = scf::ForOp::create(
        b, rowLoc, lower, upper, step, ValueRange{noEntries, buffer},
        [&](OpBuilder &lb, Location kLoc, Value k, ValueRange args) {
          DspBuilder body(lb, kLoc);
          Value x = arith::ExtSIOp::create(
              lb, kLoc, i32,
              tensor::ExtractOp::create(lb, kLoc, input, ValueRange{row, k}));
          Value v = body.sub(x, body.constant(inputZeroPoint));
          Value shifted = body.shl(v, body.constant(16));
          Value entry = body.bitOr(
              shifted, arith::IndexCastUIOp::create(lb, kLoc, i32, k));
          Value list = tensor::InsertOp::create(lb, kLoc, entry, args[1],
                                                ValueRange{args[0]});
          Value nonZero =
              body.cmp(arith::CmpIPredicate::ne, v, body.constant(0));
          Value count = arith::AddIOp::create(
              lb, kLoc, args[0],
              arith::IndexCastUIOp::create(
                  lb, kLoc, lb.getIndexType(),
                  arith::ExtUIOp::create(lb, kLoc, i32, nonZero)));
          scf::YieldOp::create(lb, kLoc, ValueRange{count, list});
        });
    Value count = compact.getResult(0);
    Value list = tensor::InsertOp::create(
        b, rowLoc, rowDsp.constant(0), compact.getResult(1), ValueRange{count});
    Value rounded = arith::AddIOp::create(b, rowLoc, count, rowDsp.index(1));
    Value pairs = arith::DivUIOp::create(b, rowLoc, rounded, rowDsp.index(2));
    return {list, pairs};
  };
  // One tile: the 4 sums over the listed entries, two per iteration.
  auto sumTile = [&](OpBuilder &tb, Location tileLoc, const PreparedRow &row,
                     Value tile, ValueRange initial) -> ValueRange {
    DspBuilder tileDsp(tb, tileLoc);
    Value base = arith::MulIOp::create(tb, tileLoc, tile, tileDsp.index(depth));
    auto accumulateEntry = [&](OpBuilder &lb, Location entryLoc, Value i,
                               ValueRange sums) -> SmallVector<Value> {
      DspBuilder body(lb, entryLoc);
      Value entry =
          tensor::ExtractOp::create(lb, entryLoc, row.buffer, ValueRange{i});
      Value k = arith::IndexCastUIOp::create(
          lb, entryLoc, lb.getIndexType(),
          body.bitAnd(entry, body.constant(0xFFFF)));
      Value w = tensor::ExtractOp::create(
          lb, entryLoc, columnTable,
          ValueRange{arith::AddIOp::create(lb, entryLoc, base, k)});
      Value even = body.sxtb16(w), odd = body.sxtb16(body.rotateRight8(w));
      return {
          body.smlatb(entry, even, sums[0]), body.smlatb(entry, odd, sums[1]),
          body.smlatt(entry, even, sums[2]), body.smlatt(entry, odd, sums[3])};
    };
    Value lower = tileDsp.index(0);
    Value step = tileDsp.index(1);
    auto loop = scf::ForOp::create(
        tb, tileLoc, lower, row.count, step, initial,
        [&](OpBuilder &lb, Location entryLoc, Value pair, ValueRange sums) {
          DspBuilder body(lb, entryLoc);
          Value i = arith::MulIOp::create(lb, entryLoc, pair, body.index(2));
          SmallVector<Value> next = accumulateEntry(lb, entryLoc, i, sums);
          scf::YieldOp::create(
              lb, entryLoc,
              accumulateEntry(
                  lb, entryLoc,
                  arith::AddIOp::create(lb, entryLoc, i, body.index(1)), next));
        });
    keepRolled(loop);
    return loop.getResults();
  };
  return computeByRowAndTile(builder, loc, layer, rows, outputs,
                             dsp.wordTable(bias), depth + 1, listEntries,
                             sumTile);
}

namespace {
/// Whether every group of 4 consecutive int8 weights along the reduction
/// of each channel of \p layer has at most 2 non-zero (2:4 sparsity).
bool hasTwoOfFourWeights(const DspLayer &layer, int64_t depth) {
  return layer.bits == 8 && isTwoOfFourSparse(layer.weights, depth);
}
} // namespace

bool tinyq::cortexm::takesTwoOfFour(const DspLayer &layer, int64_t depth,
                                    const ArmKernelOptions &options) {
  return options.twoOfFourWeights && layer.layout != WordLayout::MveBytes &&
         int64_t(layer.weights.size()) * 2 <= options.unpackedWeightsLimit &&
         hasTwoOfFourWeights(layer, depth);
}

Value tinyq::cortexm::computeWithTwoOfFour(OpBuilder &builder, Location loc,
                                           const DspLayer &layer, Value input,
                                           int64_t rows, int64_t outputs,
                                           int64_t depth) {
  DspBuilder dsp(builder, loc);
  int64_t groups = depth / 4;
  int64_t tiles = llvm::divideCeil(outputs, kChannelTile);
  SmallVector<int32_t> stream =
      packTwoOfFourStream(layer.weights, outputs, depth);
  constexpr int64_t kWordsPerGroup = 2 * kChannelTile;
  SmallVector<int32_t> bias(layer.bias);
  bias.resize(tiles * kChannelTile, 0);
  Value streamTable = dsp.wordTable(stream);

  // Per row: group g's pairs at words 6g .. 6g + 5.
  auto expandGroups = [&](OpBuilder &b, Location rowLoc, Value row,
                          Value buffer) -> PreparedRow {
    DspBuilder rowDsp(b, rowLoc);
    auto loop = rowDsp.forLoop(
        0, groups, 1, ValueRange{buffer},
        [&](OpBuilder &lb, Location groupLoc, Value group, ValueRange args) {
          DspBuilder body(lb, groupLoc);
          Value x = body.loadWord(
              input, row,
              arith::MulIOp::create(lb, groupLoc, group, body.index(4)));
          Value even = body.sxtb16(x), odd = body.sxtb16(body.rotateRight8(x));
          Value low = body.constant(0xFFFF),
                high = body.constant(int32_t(0xFFFF0000u));
          Value sixteen = body.constant(16);
          // kGroupPairs' order: (x0, x2), (x1, x3), (x0, x1), (x2, x3),
          // (x0, x3), (x1, x2); LLVM selects pkhbt / pkhtb.
          Value x01 = body.bitAnd(even, low);
          x01 = body.bitOr(x01, body.shl(odd, sixteen));
          Value x23 = body.bitAnd(odd, high);
          x23 = body.bitOr(x23, body.lshr(even, sixteen));
          Value x03 = body.bitAnd(even, low);
          x03 = body.bitOr(x03, body.bitAnd(odd, high));
          Value x12 = body.bitAnd(odd, low);
          x12 = body.bitOr(x12, body.bitAnd(even, high));
          Value pairs[] = {even, odd, x01, x23, x03, x12};
          static_assert(std::size(pairs) == kGroupPairCount);
          Value base = arith::MulIOp::create(lb, groupLoc, group,
                                             body.index(kGroupPairCount));
          Value expanded = args[0];
          for (auto [index, pair] : llvm::enumerate(pairs))
            expanded = tensor::InsertOp::create(
                lb, groupLoc, pair, expanded,
                ValueRange{arith::AddIOp::create(lb, groupLoc, base,
                                                 body.index(index))});
          scf::YieldOp::create(lb, groupLoc, expanded);
        });
    return {loop.getResult(0), Value()};
  };
  auto sumTile = [&](OpBuilder &tb, Location tileLoc, const PreparedRow &row,
                     Value tile, ValueRange initial) -> ValueRange {
    DspBuilder tileDsp(tb, tileLoc);
    Value tileBase = arith::MulIOp::create(
        tb, tileLoc, tile, tileDsp.index(groups * kWordsPerGroup));
    auto accumulateGroup = [&](OpBuilder &lb, Location groupLoc, Value group,
                               ValueRange sums) -> SmallVector<Value> {
      DspBuilder body(lb, groupLoc);
      Value at = arith::AddIOp::create(
          lb, groupLoc, tileBase,
          arith::MulIOp::create(lb, groupLoc, group,
                                body.index(kWordsPerGroup)));
      auto streamWord = [&](int64_t offset) -> Value {
        return tensor::ExtractOp::create(
            lb, groupLoc, streamTable,
            ValueRange{
                arith::AddIOp::create(lb, groupLoc, at, body.index(offset))});
      };
      SmallVector<Value> results;
      for (int64_t channel = 0; channel < kChannelTile; ++channel) {
        Value place = arith::IndexCastUIOp::create(
            lb, groupLoc, lb.getIndexType(), streamWord(2 * channel + 1));
        Value x = tensor::ExtractOp::create(lb, groupLoc, row.buffer,
                                            ValueRange{place});
        results.push_back(
            body.smlad(x, streamWord(2 * channel), sums[channel]));
      }
      return results;
    };
    scf::ForOp loop = createUnrolledLoop(tb, tileLoc, groups, /*unroll=*/1,
                                         initial, accumulateGroup);
    keepRolled(loop);
    return loop.getResults();
  };
  return computeByRowAndTile(builder, loc, layer, rows, outputs,
                             dsp.wordTable(bias), groups * kGroupPairCount,
                             expandGroups, sumTile);
}
