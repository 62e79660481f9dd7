//===- LowerArmDsp.cpp - Integer layers to Arm DSP-extension kernels ------===//
//
// Kernels for the cores with the DSP extension (Cortex-M4, M7, M33): the
// int32 accumulation of an integer layer with `sxtb16` (two bytes of a word
// sign-extended to halfwords) and `smlad` (two 16x16 products added to an
// accumulator), as LLVM's ARM intrinsics. The weights are compile-time
// constants, laid out as the loop reads them: one 32-bit word per step and
// output channel, the channels of a register tile interleaved, so a single
// pointer walks them.
//
//===----------------------------------------------------------------------===//

#include "IntegerLowering.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Numerics/Int4.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQLOWERARMDSP
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-lower-arm-dsp"

using namespace mlir;
using namespace tinyq;

namespace {
/// Output channels accumulated together: each input word is loaded and
/// unpacked once for all of them.
constexpr int64_t kChannelTile = 4;

/// 32-bit scalar code with the DSP intrinsics.
class DspBuilder : public Int32Builder {
public:
  using Int32Builder::Int32Builder;

  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  /// Bytes 0 and 2 of \p x, sign-extended to the two halfwords.
  Value sxtb16(Value x) { return intrinsic("llvm.arm.sxtb16", {x}); }
  /// \p acc + lo(a) * lo(b) + hi(a) * hi(b), halfwords signed.
  Value smlad(Value a, Value b, Value acc) {
    return intrinsic("llvm.arm.smlad", {a, b, acc});
  }
  /// \p x rotated right by 8 bits (LLVM folds it into sxtb16's rotation).
  Value rotateRight8(Value x) {
    return bitOr(lshr(x, constant(8)), shl(x, constant(24)));
  }

  /// The word of bytes `input[row, k .. k+3]` (little-endian), as four
  /// byte reads that LLVM combines into one (unaligned) word load.
  Value loadWord(Value input, Value row, Value k) {
    Value word;
    for (int64_t i = 0; i < 4; ++i) {
      Value byte = tensor::ExtractOp::create(
          b, loc, input,
          ValueRange{row, arith::AddIOp::create(b, loc, k, index(i))});
      Value part = shl(arith::ExtUIOp::create(b, loc, b.getI32Type(), byte),
                       constant(8 * i));
      word = word ? bitOr(word, part) : part;
    }
    return word;
  }

private:
  Value intrinsic(StringRef name, ValueRange args) {
    return LLVM::CallIntrinsicOp::create(b, loc, b.getI32Type(),
                                         b.getStringAttr(name), args)
        .getResult(0);
  }
};

/// How a weight word holds its weights.
enum class WordLayout {
  /// Four int8 weights of consecutive k, byte i = w[k + i].
  Int8,
  /// Eight int4 weights of consecutive k: byte i = w[k + i] << 4 |
  /// (w[k + 4 + i] & 15), so that masking the high nibbles and shifting the
  /// low ones up gives two words of bytes 16 * w, ready for sxtb16.
  Int4,
};

/// Weights one word of \p layout holds.
int64_t getWeightsPerWord(WordLayout layout) {
  return layout == WordLayout::Int8 ? 4 : 8;
}

/// The weights of \p channels output channels from \p first, \p depth
/// each, as words in loop order: step s of the reduction, then channel.
SmallVector<int32_t> packWeightWords(ArrayRef<int8_t> weights, int64_t depth,
                                     int64_t first, int64_t channels,
                                     WordLayout layout) {
  int64_t perWord = getWeightsPerWord(layout);
  SmallVector<int32_t> words;
  for (int64_t step = 0; step < depth / perWord; ++step) {
    for (int64_t channel = first; channel < first + channels; ++channel) {
      const int8_t *w = weights.data() + channel * depth + step * perWord;
      uint32_t word = 0;
      for (int64_t i = 0; i < 4; ++i) {
        uint32_t byte = layout == WordLayout::Int8
                            ? uint8_t(w[i])
                            : numerics::packInt4Pair(/*low=*/w[4 + i],
                                                     /*high=*/w[i]);
        word |= byte << (8 * i);
      }
      words.push_back(int32_t(word));
    }
  }
  return words;
}

/// acc[row, first .. first + channels) of a fully connected layer, into
/// \p accumulators: per reduction step the input word(s) are loaded and
/// unpacked once, then each channel's weight word (at \p wordBase +
/// step * channels + channel in \p words) is unpacked and multiplied in;
/// the sums start from \p bias[channel].
Value accumulateTile(OpBuilder &builder, Location loc, Value input, Value row,
                     Value words, Value wordBase, Value bias, Value first,
                     int64_t channels, int64_t depth, WordLayout layout,
                     Value accumulators) {
  DspBuilder dsp(builder, loc);
  int64_t perWord = getWeightsPerWord(layout);
  SmallVector<Value> initial(channels, dsp.constant(0));
  auto loop = scf::ForOp::create(
      builder, loc, dsp.index(0), dsp.index(depth / perWord), dsp.index(1),
      initial,
      [&](OpBuilder &b, Location bodyLoc, Value step, ValueRange sums) {
        DspBuilder body(b, bodyLoc);
        Value k = arith::MulIOp::create(b, bodyLoc, step, body.index(perWord));
        // Input pairs (x0, x2), (x1, x3) [and (x4, x6), (x5, x7)].
        SmallVector<Value> xs;
        for (int64_t half = 0; half < perWord / 4; ++half) {
          Value word = body.loadWord(
              input, row,
              arith::AddIOp::create(b, bodyLoc, k, body.index(4 * half)));
          xs.push_back(body.sxtb16(word));
          xs.push_back(body.sxtb16(body.rotateRight8(word)));
        }
        Value stepBase = arith::AddIOp::create(
            b, bodyLoc, wordBase,
            arith::MulIOp::create(b, bodyLoc, step, body.index(channels)));
        SmallVector<Value> results;
        for (int64_t channel = 0; channel < channels; ++channel) {
          Value w = tensor::ExtractOp::create(
              b, bodyLoc, words,
              ValueRange{arith::AddIOp::create(b, bodyLoc, stepBase,
                                               body.index(channel))});
          SmallVector<Value> ws;
          if (layout == WordLayout::Int8)
            ws = {w};
          else { // High nibbles, then low nibbles moved up: bytes 16 * w.
            Value mask = body.constant(int32_t(0xF0F0F0F0u));
            ws = {body.bitAnd(w, mask),
                  body.bitAnd(body.shl(w, body.constant(4)), mask)};
          }
          Value sum = sums[channel];
          for (auto [index, word] : llvm::enumerate(ws)) {
            sum = body.smlad(xs[2 * index], body.sxtb16(word), sum);
            sum = body.smlad(xs[2 * index + 1],
                             body.sxtb16(body.rotateRight8(word)), sum);
          }
          results.push_back(sum);
        }
        scf::YieldOp::create(b, bodyLoc, results);
      });
  Value result = accumulators;
  for (int64_t channel = 0; channel < channels; ++channel) {
    Value sum = loop.getResult(channel);
    // int4 products were 16 times too large, exactly.
    if (layout == WordLayout::Int4)
      sum = dsp.ashr(sum, dsp.constant(4));
    Value position =
        arith::AddIOp::create(builder, loc, first, dsp.index(channel));
    sum = dsp.add(sum, tensor::ExtractOp::create(builder, loc, bias,
                                                 ValueRange{position}));
    result = tensor::InsertOp::create(builder, loc, sum, result,
                                      ValueRange{row, position});
  }
  return result;
}

/// Whether the DSP kernel takes a reduction of \p depth over \p bits-bit
/// weights: whole words, and for int4 sums 16 times too large that still
/// fit in int32.
bool isDspReduction(int64_t depth, unsigned bits) {
  if (bits == 8)
    return depth % 4 == 0;
  return bits == 4 && depth % 8 == 0 && depth * 128 * 8 * 16 <= INT32_MAX;
}

/// acc[r, n] = bias[n] + sum_k input[r, k] * weights[n, k] with the DSP
/// kernel, for \p input [rows, depth] int8 and \p weights [outputs,
/// depth] (row-major, int8 values of \p bits-bit weights).
Value accumulateWithDsp(OpBuilder &builder, Location loc, Value input,
                        ArrayRef<int8_t> weights, int64_t outputs,
                        unsigned bits, ArrayRef<int32_t> bias) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t rows = inputType.getDimSize(0), depth = inputType.getDimSize(1);
  WordLayout layout = bits == 8 ? WordLayout::Int8 : WordLayout::Int4;
  int64_t perWord = getWeightsPerWord(layout);
  DspBuilder dsp(builder, loc);
  auto i32 = builder.getI32Type();
  auto constantWords = [&](ArrayRef<int32_t> values) -> Value {
    auto type = RankedTensorType::get({int64_t(values.size())}, i32);
    return arith::ConstantOp::create(builder, loc,
                                     DenseElementsAttr::get(type, values));
  };
  // Full tiles of kChannelTile channels, then the rest one at a time; each
  // tile's words follow the previous tile's, so channel c's tile starts at
  // word c * stepsPerChannel.
  int64_t tiled = outputs - outputs % kChannelTile;
  int64_t stepsPerChannel = depth / perWord;
  SmallVector<int32_t> words;
  for (int64_t first = 0; first < outputs;) {
    int64_t channels = first < tiled ? kChannelTile : 1;
    words.append(packWeightWords(weights, depth, first, channels, layout));
    first += channels;
  }
  Value wordsConstant = constantWords(words);
  Value biasConstant = constantWords(bias);
  Value init = tensor::EmptyOp::create(builder, loc,
                                       ArrayRef<int64_t>{rows, outputs}, i32);
  return scf::ForOp::create(
             builder, loc, dsp.index(0), dsp.index(rows), dsp.index(1),
             ValueRange{init},
             [&](OpBuilder &b, Location rowLoc, Value row, ValueRange rowArgs) {
               DspBuilder rowDsp(b, rowLoc);
               auto tileLoop = [&](Value acc, int64_t begin, int64_t end,
                                   int64_t width) -> Value {
                 if (begin == end)
                   return acc;
                 return scf::ForOp::create(
                            b, rowLoc, rowDsp.index(begin), rowDsp.index(end),
                            rowDsp.index(width), ValueRange{acc},
                            [&](OpBuilder &tb, Location tileLoc, Value first,
                                ValueRange tileArgs) {
                              Value wordBase = arith::MulIOp::create(
                                  tb, tileLoc, first,
                                  DspBuilder(tb, tileLoc)
                                      .index(stepsPerChannel));
                              scf::YieldOp::create(
                                  tb, tileLoc,
                                  accumulateTile(tb, tileLoc, input, row,
                                                 wordsConstant, wordBase,
                                                 biasConstant, first, width,
                                                 depth, layout, tileArgs[0]));
                            })
                     .getResult(0);
               };
               Value acc = tileLoop(rowArgs[0], 0, tiled, kChannelTile);
               acc = tileLoop(acc, tiled, outputs, 1);
               scf::YieldOp::create(b, rowLoc, acc);
             })
      .getResult(0);
}

/// What the DSP kernel needs of integer layer \p op whose weights hold
/// \p outputs channels of \p depth values each.
struct DspLayer {
  SmallVector<int8_t> weights;
  SmallVector<int32_t> bias;
  unsigned bits;
};

/// The DspLayer of \p op, or why the kernel does not take it: SPARQ, an
/// input that is not int8, a reduction of partial words, weights or bias
/// that are not constants.
template <typename LayerOp>
FailureOr<DspLayer> getDspLayer(LayerOp op, PatternRewriter &rewriter,
                                int64_t depth, int64_t outputs) {
  if (op.getSparqAttr())
    return rewriter.notifyMatchFailure(op, "SPARQ takes the generic path");
  unsigned bits = op.getWeights().getType().getElementTypeBitWidth();
  if (op.getInput().getType().getElementTypeBitWidth() != 8 ||
      !isDspReduction(depth, bits))
    return rewriter.notifyMatchFailure(op, "not a DSP reduction");
  std::optional<SmallVector<int8_t>> weights =
      getConstantWeights(op.getWeights());
  FailureOr<SmallVector<int32_t>> bias = foldInputZeroPoint(
      op, outputs, [&](int64_t index) { return index / depth; });
  if (!weights || failed(bias))
    return rewriter.notifyMatchFailure(op, "weights or bias not constant");
  return DspLayer{std::move(*weights), std::move(*bias), bits};
}

/// tinyq.fully_connected with constant int8 or int4 weights over whole
/// words -> DSP accumulation into the bias (zero-point term folded in),
/// then tinyq.requantize.
struct LowerFullyConnectedToDsp : OpRewritePattern<FullyConnectedOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(FullyConnectedOp op,
                                PatternRewriter &rewriter) const override {
    int64_t depth = op.getInput().getType().getDimSize(1),
            outputs = op.getWeights().getType().getDimSize(0);
    FailureOr<DspLayer> layer = getDspLayer(op, rewriter, depth, outputs);
    if (failed(layer))
      return failure();
    Value acc =
        accumulateWithDsp(rewriter, op.getLoc(), op.getInput(), layer->weights,
                          outputs, layer->bits, layer->bias);
    replaceWithRequantize(rewriter, op, acc, /*axis=*/1);
    return success();
  }
};

/// A pointwise tinyq.conv2d (1x1 kernel, stride 1, no padding) is a fully
/// connected layer over the pixels: the same kernel on the input viewed as
/// [N * H * W, C].
struct LowerPointwiseToDsp : OpRewritePattern<Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    auto weightsType = op.getWeights().getType();
    int64_t outputs = weightsType.getDimSize(0),
            depth = weightsType.getDimSize(3);
    bool pointwise =
        weightsType.getDimSize(1) == 1 && weightsType.getDimSize(2) == 1 &&
        llvm::all_of(op.getStride(), [](int64_t s) { return s == 1; }) &&
        llvm::all_of(op.getPad(), [](int64_t p) { return p == 0; });
    if (!pointwise)
      return rewriter.notifyMatchFailure(op, "not pointwise");
    FailureOr<DspLayer> layer = getDspLayer(op, rewriter, depth, outputs);
    if (failed(layer))
      return failure();
    Location loc = op.getLoc();
    SmallVector<ReassociationIndices> pixelsAndChannels = {{0, 1, 2}, {3}};
    Value rows = tensor::CollapseShapeOp::create(rewriter, loc, op.getInput(),
                                                 pixelsAndChannels);
    Value acc = accumulateWithDsp(rewriter, loc, rows, layer->weights, outputs,
                                  layer->bits, layer->bias);
    auto outputType = op.getOutput().getType();
    auto accType =
        RankedTensorType::get(outputType.getShape(), rewriter.getI32Type());
    Value image = tensor::ExpandShapeOp::create(rewriter, loc, accType, acc,
                                                pixelsAndChannels);
    replaceWithRequantize(rewriter, op, image, /*axis=*/3);
    return success();
  }
};

struct LowerArmDspPass : tinyq::impl::TinyQLowerArmDspBase<LowerArmDspPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateLowerArmDspPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

void tinyq::populateLowerArmDspPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerFullyConnectedToDsp, LowerPointwiseToDsp>(
      patterns.getContext());
}
