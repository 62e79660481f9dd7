//===- DenseKernels.cpp - Fully connected layers on VNNI ------------------===//
//
// tinyq.fully_connected -> per row, blocks of tiles of output channels
// accumulated with vpdpbusd over weights packed at compile time, each
// tile requantized in vectors and stored as int8.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Conversion/TinyQToLinalg/IntegerLowering.h"
#include "tinyq/Target/X86/Passes.h"
#include "tinyq/Target/X86/WeightPacking.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "tinyq-lower-x86"

using namespace mlir;
using namespace tinyq;
using namespace tinyq::x86;

ALWAYS_ENABLED_STATISTIC(NumVnniLayers,
                         "Fully connected layers on the VNNI kernel");

namespace {
/// Tiles that accumulate at once, sharing each broadcast of activations:
/// 4 accumulators and 4 weight vectors stay in registers on every VNNI CPU.
constexpr int64_t kBlockTiles = 4;

/// The constants and shapes of one fully connected layer on the kernel.
struct VnniLayer {
  int64_t rows, depth, outputs, lanes, groups;
  Value packedWeights, bias, multipliers, shifts;
  int32_t outputZeroPoint, clampMin, clampMax;
};

Value createIndex(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

Value createI32Table(OpBuilder &b, Location loc, ArrayRef<int32_t> values) {
  auto type = RankedTensorType::get({int64_t(values.size())}, b.getI32Type());
  return arith::ConstantOp::create(b, loc,
                                   DenseIntElementsAttr::get(type, values));
}

/// The index `tile * lanes` (+ \p offset tiles) of the first channel of a
/// tile.
Value getFirstChannel(OpBuilder &b, Location loc, Value tile, int64_t lanes,
                      int64_t offset = 0) {
  Value first = arith::MulIOp::create(b, loc, tile, createIndex(b, loc, lanes));
  if (offset == 0)
    return first;
  return arith::AddIOp::create(b, loc, first,
                               createIndex(b, loc, offset * lanes));
}

/// Row \p row's outputs of \p count tiles from \p firstTile into \p out:
/// the accumulators start at the folded bias, take one vpdpbusd per tile
/// and group of 4 activations, and end requantized. \p inBounds: whether
/// the tiles' channels all exist (else the stores are masked).
Value emitTiles(OpBuilder &b, Location loc, const VnniLayer &layer, Value input,
                Value out, Value row, Value firstTile, int64_t count,
                bool inBounds) {
  auto accType = VectorType::get({layer.lanes}, b.getI32Type());
  auto bytesType = VectorType::get({layer.lanes * kGroupBytes}, b.getI8Type());
  SmallVector<Value> channels, accs;
  for (int64_t t = 0; t < count; ++t) {
    channels.push_back(getFirstChannel(b, loc, firstTile, layer.lanes, t));
    accs.push_back(vector::TransferReadOp::create(
        b, loc, accType, layer.bias, ValueRange{channels.back()},
        /*padding=*/std::nullopt, ArrayRef<bool>{true}));
  }
  // Past the depth the activations read -128: 0 once offset, against 0
  // weights.
  Value padding = arith::ConstantIntOp::create(b, loc, b.getI8Type(), -128);
  Value offset = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(VectorType::get({kGroupBytes}, b.getI8Type()),
                             b.getI8IntegerAttr(-128)));
  bool wholeGroups = layer.depth % kGroupBytes == 0;
  auto groupLoop = scf::ForOp::create(
      b, loc, createIndex(b, loc, 0), createIndex(b, loc, layer.groups),
      createIndex(b, loc, 1), accs,
      [&](OpBuilder &gb, Location gl, Value group, ValueRange sums) {
        Value step = arith::MulIOp::create(gb, gl, group,
                                           createIndex(gb, gl, kGroupBytes));
        Value four = vector::TransferReadOp::create(
            gb, gl, VectorType::get({kGroupBytes}, gb.getI8Type()), input,
            ValueRange{row, step}, padding, ArrayRef<bool>{wholeGroups});
        // x + 128 as an unsigned byte is x with its top bit flipped.
        Value unsignedFour = arith::XOrIOp::create(gb, gl, four, offset);
        Value word = vector::BitCastOp::create(
            gb, gl, VectorType::get({1}, gb.getI32Type()), unsignedFour);
        Value scalar =
            vector::ExtractOp::create(gb, gl, word, ArrayRef<int64_t>{0});
        Value broadcast = vector::BroadcastOp::create(gb, gl, accType, scalar);
        Value activations =
            vector::BitCastOp::create(gb, gl, bytesType, broadcast);
        SmallVector<Value> next;
        for (int64_t t = 0; t < count; ++t) {
          // Tile tile + t, group g: bytes ((tile + t) * groups + g) * 4L.
          Value tile =
              arith::AddIOp::create(gb, gl, firstTile, createIndex(gb, gl, t));
          Value tileGroups = arith::MulIOp::create(
              gb, gl, tile, createIndex(gb, gl, layer.groups));
          Value index = arith::MulIOp::create(
              gb, gl, arith::AddIOp::create(gb, gl, tileGroups, group),
              createIndex(gb, gl, layer.lanes * kGroupBytes));
          Value weights = vector::TransferReadOp::create(
              gb, gl, bytesType, layer.packedWeights, ValueRange{index},
              /*padding=*/std::nullopt, ArrayRef<bool>{true});
          Value sum;
          if (layer.lanes == 16)
            sum = Vpdpbusd512Op::create(gb, gl, accType, sums[t], activations,
                                        weights);
          else
            sum = Vpdpbusd256Op::create(gb, gl, accType, sums[t], activations,
                                        weights);
          next.push_back(sum);
        }
        scf::YieldOp::create(gb, gl, next);
      });
  Int32Builder vectors(b, loc, layer.lanes);
  auto outputType = VectorType::get({layer.lanes}, b.getI8Type());
  for (int64_t t = 0; t < count; ++t) {
    Value multiplier = vector::TransferReadOp::create(
        b, loc, accType, layer.multipliers, ValueRange{channels[t]},
        /*padding=*/std::nullopt, ArrayRef<bool>{true});
    Value shift = vector::TransferReadOp::create(
        b, loc, accType, layer.shifts, ValueRange{channels[t]},
        /*padding=*/std::nullopt, ArrayRef<bool>{true});
    Value requantized = vectors.requantize(groupLoop.getResult(t), multiplier,
                                           shift, layer.outputZeroPoint,
                                           layer.clampMin, layer.clampMax);
    Value bytes = arith::TruncIOp::create(b, loc, outputType, requantized);
    out = vector::TransferWriteOp::create(b, loc, bytes, out,
                                          ValueRange{row, channels[t]},
                                          ArrayRef<bool>{inBounds})
              .getResult();
  }
  return out;
}

/// tinyq.fully_connected with constant int8 weights and bias, int8 input
/// and no SPARQ -> the VNNI kernel.
struct LowerFullyConnectedToVnni : OpRewritePattern<FullyConnectedOp> {
  LowerFullyConnectedToVnni(MLIRContext *context, int64_t lanes)
      : OpRewritePattern(context), lanes(lanes) {}

  LogicalResult matchAndRewrite(FullyConnectedOp op,
                                PatternRewriter &rewriter) const override {
    auto layer = cast<IntegerLayerOpInterface>(op.getOperation());
    if (layer.getSparqAttr())
      return rewriter.notifyMatchFailure(op, "SPARQ takes the generic path");
    auto inputType = op.getInput().getType();
    if (!inputType.getElementType().isInteger(8) ||
        !op.getWeights().getType().getElementType().isInteger(8) ||
        !inputType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "not int8 weights and input");
    std::optional<SmallVector<int8_t>> weights =
        getConstantWeights(op.getWeights());
    DenseIntElementsAttr biasAttr;
    if (!weights || !matchPattern(op.getBias(), m_Constant(&biasAttr)))
      return rewriter.notifyMatchFailure(op, "weights or bias not constant");
    SmallVector<int32_t> bias;
    for (const APInt &value : biasAttr.getValues<APInt>())
      bias.push_back(int32_t(value.getSExtValue()));

    Location loc = op.getLoc();
    int64_t rows = inputType.getDimSize(0), depth = inputType.getDimSize(1);
    int64_t outputs = op.getOutput().getType().getDimSize(1);
    VnniLayer vnni;
    vnni.rows = rows;
    vnni.depth = depth;
    vnni.outputs = outputs;
    vnni.lanes = lanes;
    vnni.groups = llvm::divideCeil(depth, kGroupBytes);
    std::vector<int8_t> packed =
        packDotProductTiles(*weights, outputs, depth, lanes);
    auto packedType =
        RankedTensorType::get({int64_t(packed.size())}, rewriter.getI8Type());
    vnni.packedWeights = arith::ConstantOp::create(
        rewriter, loc,
        DenseIntElementsAttr::get(packedType, ArrayRef<int8_t>(packed)));
    vnni.bias =
        createI32Table(rewriter, loc,
                       foldUnsignedOffset(bias, *weights, outputs, depth,
                                          layer.getInputZeroPoint(), lanes));
    vnni.multipliers = createI32Table(
        rewriter, loc, padToTiles(layer.getMultiplier(), outputs, lanes));
    vnni.shifts = createI32Table(rewriter, loc,
                                 padToTiles(layer.getShift(), outputs, lanes));
    vnni.outputZeroPoint = layer.getOutputZeroPoint();
    vnni.clampMin = layer.getClampMin();
    vnni.clampMax = layer.getClampMax();

    int64_t wholeTiles = outputs / lanes;
    int64_t blocked = wholeTiles / kBlockTiles * kBlockTiles;
    Value input = op.getInput();
    Value init = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{rows, outputs}, rewriter.getI8Type());
    auto rowLoop = scf::ForOp::create(
        rewriter, loc, createIndex(rewriter, loc, 0),
        createIndex(rewriter, loc, rows), createIndex(rewriter, loc, 1),
        ValueRange{init},
        [&](OpBuilder &rb, Location rl, Value row, ValueRange rowArgs) {
          Value out = rowArgs.front();
          // Blocks of kBlockTiles whole tiles, then whole tiles one at a
          // time, then the partial tile.
          auto tileLoop = [&](Value current, int64_t begin, int64_t end,
                              int64_t count) -> Value {
            if (begin == end)
              return current;
            auto loop = scf::ForOp::create(
                rb, rl, createIndex(rb, rl, begin), createIndex(rb, rl, end),
                createIndex(rb, rl, count), ValueRange{current},
                [&](OpBuilder &tb, Location tl, Value tile, ValueRange args) {
                  Value written = emitTiles(tb, tl, vnni, input, args.front(),
                                            row, tile, count,
                                            /*inBounds=*/true);
                  scf::YieldOp::create(tb, tl, written);
                });
            return loop.getResult(0);
          };
          out = tileLoop(out, 0, blocked, kBlockTiles);
          out = tileLoop(out, blocked, wholeTiles, 1);
          if (outputs % lanes != 0)
            out = emitTiles(rb, rl, vnni, input, out, row,
                            createIndex(rb, rl, wholeTiles), 1,
                            /*inBounds=*/false);
          scf::YieldOp::create(rb, rl, out);
        });
    ++NumVnniLayers;
    LLVM_DEBUG(llvm::dbgs()
               << "[" DEBUG_TYPE "] " << op->getName() << " " << op->getLoc()
               << ": VNNI, " << lanes << " lanes, " << outputs
               << " channels in " << blocked / kBlockTiles << " blocks of "
               << kBlockTiles << " tiles, " << wholeTiles - blocked
               << " single, " << (outputs % lanes != 0) << " partial\n");
    rewriter.replaceOp(op, rowLoop.getResult(0));
    return success();
  }

private:
  int64_t lanes;
};
} // namespace

void tinyq::populateLowerX86Patterns(RewritePatternSet &patterns,
                                     int64_t lanes) {
  patterns.add<LowerFullyConnectedToVnni>(patterns.getContext(), lanes);
}
