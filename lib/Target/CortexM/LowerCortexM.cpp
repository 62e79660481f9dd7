//===- LowerCortexM.cpp - Integer layers to Cortex-M DSP and Helium kernels
//===//
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

#include "tinyq/Conversion/TinyQToLinalg/IntegerLowering.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Numerics/FixedPoint.h"
#include "tinyq/Numerics/Int4.h"
#include "tinyq/Target/CortexM/Passes.h"
#include "tinyq/Target/CortexM/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQLOWERCORTEXM
#include "tinyq/Target/CortexM/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "tinyq-lower-cortex-m"

using namespace mlir;
using namespace tinyq;

namespace {
/// Output channels accumulated together: each input word is loaded and
/// unpacked once for all of them.
constexpr int64_t kChannelTile = 4;

/// Bytes of a Helium (MVE) vector register.
constexpr int64_t kMveBytes = 16;

/// 32-bit scalar code with the DSP intrinsics.
class DspBuilder : public Int32Builder {
public:
  using Int32Builder::Int32Builder;

  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  /// scf.for over [\p begin, \p end) in steps of \p step (bounds created
  /// in that order).
  scf::ForOp
  forLoop(int64_t begin, int64_t end, int64_t step, ValueRange initial,
          function_ref<void(OpBuilder &, Location, Value, ValueRange)> body) {
    Value lower = index(begin);
    Value upper = index(end);
    Value stride = index(step);
    return scf::ForOp::create(b, loc, lower, upper, stride, initial, body);
  }
  /// Bytes 0 and 2 of \p x, sign-extended to the two halfwords.
  Value sxtb16(Value x) { return intrinsic("llvm.arm.sxtb16", {x}); }
  /// \p acc + lo(a) * lo(b) + hi(a) * hi(b), halfwords signed.
  Value smlad(Value a, Value b, Value acc) {
    return intrinsic("llvm.arm.smlad", {a, b, acc});
  }
  /// A constant tensor of the 32-bit words \p values.
  Value wordTable(ArrayRef<int32_t> values) {
    auto type = RankedTensorType::get({int64_t(values.size())}, b.getI32Type());
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(type, values));
  }
  /// \p acc + the sum of the products of the signed bytes of \p a and \p b
  /// (vector<16xi8>): Helium's vmlava.s8.
  Value dotProductAccumulate(Value a, Value x, Value acc) {
    Value zero = constant(0);
    return LLVM::CallIntrinsicOp::create(
               b, loc, b.getI32Type(), b.getStringAttr("llvm.arm.mve.vmldava"),
               ValueRange{/*unsigned=*/zero, /*subtract=*/zero,
                          /*exchange=*/zero, acc, a, x})
        .getResult(0);
  }
  /// \p acc + lo(a) * lo(b), halfwords signed.
  Value smlabb(Value a, Value b, Value acc) {
    return intrinsic("llvm.arm.smlabb", {a, b, acc});
  }
  /// \p acc + hi(a) * hi(b), halfwords signed.
  Value smlatt(Value a, Value b, Value acc) {
    return intrinsic("llvm.arm.smlatt", {a, b, acc});
  }
  /// \p acc + hi(a) * lo(b), halfwords signed.
  Value smlatb(Value a, Value b, Value acc) {
    return intrinsic("llvm.arm.smlatb", {a, b, acc});
  }
  /// \p x rotated right by 8 bits (LLVM folds it into sxtb16's rotation).
  Value rotateRight8(Value x) {
    Value low = lshr(x, constant(8));
    return bitOr(low, shl(x, constant(24)));
  }

  /// The word of bytes `input[row, k .. k+3]` (little-endian), as four
  /// byte reads that LLVM combines into one (unaligned) word load.
  Value loadWord(Value input, Value row, Value k) {
    Value word;
    for (int64_t i = 0; i < 4; ++i) {
      Value byte = tensor::ExtractOp::create(
          b, loc, input,
          ValueRange{row, arith::AddIOp::create(b, loc, k, index(i))});
      Value wide = arith::ExtUIOp::create(b, loc, b.getI32Type(), byte);
      Value part = shl(wide, constant(8 * i));
      word = word ? bitOr(word, part) : part;
    }
    return word;
  }

  /// The vector of \p count bytes `input[row, k .. k + count)`, as byte
  /// reads tinyq-combine-byte-accesses turns into one vector load.
  Value loadVector(Value input, Value row, Value k, int64_t count) {
    SmallVector<Value> bytes;
    for (int64_t i = 0; i < count; ++i)
      bytes.push_back(tensor::ExtractOp::create(
          b, loc, input,
          ValueRange{row, arith::AddIOp::create(b, loc, k, index(i))}));
    return vector::FromElementsOp::create(
        b, loc, VectorType::get({count}, b.getI8Type()), bytes);
  }

  /// \p output with bytes [row, k .. k+3] set to those of \p word, as
  /// four byte writes that LLVM combines into one word store.
  Value storeWord(Value word, Value output, Value row, Value k) {
    for (int64_t i = 0; i < 4; ++i) {
      Value byte = arith::TruncIOp::create(b, loc, b.getI8Type(),
                                           lshr(word, constant(8 * i)));
      output = tensor::InsertOp::create(
          b, loc, byte, output,
          ValueRange{row, arith::AddIOp::create(b, loc, k, index(i))});
    }
    return output;
  }

private:
  Value intrinsic(StringRef name, ValueRange args) {
    return LLVM::CallIntrinsicOp::create(b, loc, b.getI32Type(),
                                         b.getStringAttr(name), args)
        .getResult(0);
  }
};

/// \p x + \p c for an index \p x (\p x itself for 0).
Value addIndex(OpBuilder &b, Location loc, Value x, int64_t c) {
  if (c == 0)
    return x;
  return arith::AddIOp::create(b, loc, x,
                               arith::ConstantIndexOp::create(b, loc, c));
}

/// \p x * \p c for an index \p x.
Value mulIndex(OpBuilder &b, Location loc, Value x, int64_t c) {
  return arith::MulIOp::create(b, loc, x,
                               arith::ConstantIndexOp::create(b, loc, c));
}

/// How the weight words hold the weights of one reduction step of a
/// channel, read with one or two input words x (4 or 8 consecutive k)
/// unpacked as sxtb16(x) = (x0, x2) and sxtb16(x ror 8) = (x1, x3).
enum class WordLayout {
  /// Four int8 weights in one word, byte i = w[k + i]: unpacked like x.
  Int8,
  /// Four int8 weights already unpacked at compile time into the two words
  /// (w0, w2) and (w1, w3) of int16 halves, for smlad as they are: twice
  /// the flash of Int8, four instructions less per step and channel.
  Int16,
  /// Eight int4 weights in one word: byte i = w[k + i] << 4 |
  /// (w[k + 4 + i] & 15), so that masking the high nibbles and shifting the
  /// low ones up gives two words of bytes 16 * w, ready for sxtb16.
  Int4,
  /// Eight int4 weights in one word, nibbles (from bit 0) w5, w4, w1, w0,
  /// w7, w6, w3, w2: `(word << 4p) & 0xF000F000` for p = 0..3 is the
  /// halfword pair of x pair p ((w0, w2), (w1, w3), (w4, w6), (w5, w7)),
  /// each half 4096 * w, for smlad without sxtb16: one instruction per
  /// pair (Arm's shifted operand). The sums are 4096 times too large, so
  /// the reduction must be short enough for int32.
  Int4Halves,
  /// Helium (MVE): sixteen int8 weights of consecutive k as four words of
  /// bytes (int4 weights too, one per byte), loaded as one vector and
  /// multiplied with 16 input bytes by `vmlava.s8`.
  MveBytes,
};

/// Whether \p layout holds int4 weights, and the factor its products carry.
int64_t getProductScale(WordLayout layout) {
  switch (layout) {
  case WordLayout::Int4:
    return 16;
  case WordLayout::Int4Halves:
    return 4096;
  default:
    return 1;
  }
}

/// The word of int16 halves \p low and \p high, as `smlad` and `smlabb` /
/// `smlatt` read it.
int32_t packHalves(int16_t low, int16_t high) {
  return int32_t(uint32_t(uint16_t(low)) | uint32_t(uint16_t(high)) << 16);
}

/// Appends 4 weights \p w, times \p factor, as the halfword pairs
/// (w0, w2), (w1, w3) that sxtb16(x) and sxtb16(x ror 8) meet.
void appendHalfwordPairs(SmallVectorImpl<int32_t> &words, const int8_t *w,
                         int16_t factor) {
  words.append({packHalves(factor * w[0], factor * w[2]),
                packHalves(factor * w[1], factor * w[3])});
}

/// Weights of a channel one reduction step consumes.
int64_t getWeightsPerStep(WordLayout layout) {
  if (layout == WordLayout::MveBytes)
    return kMveBytes;
  return getProductScale(layout) > 1 ? 8 : 4;
}

/// Words of a channel one reduction step reads.
int64_t getWordsPerStep(WordLayout layout) {
  if (layout == WordLayout::MveBytes)
    return kMveBytes / 4;
  return layout == WordLayout::Int16 ? 2 : 1;
}

/// The weights of \p channels output channels from \p first, \p depth
/// each, as words in loop order: step s of the reduction, then channel.
/// Int16 halves hold \p factor times the weights.
SmallVector<int32_t> packWeightWords(ArrayRef<int8_t> weights, int64_t depth,
                                     int64_t first, int64_t channels,
                                     WordLayout layout, int16_t factor = 1) {
  int64_t perStep = getWeightsPerStep(layout);
  SmallVector<int32_t> words;
  for (int64_t step = 0; step < depth / perStep; ++step) {
    for (int64_t channel = first; channel < first + channels; ++channel) {
      const int8_t *w = weights.data() + channel * depth + step * perStep;
      if (layout == WordLayout::Int16) {
        appendHalfwordPairs(words, w, factor);
        continue;
      }
      if (layout == WordLayout::Int4Halves) {
        uint32_t word = 0;
        constexpr int64_t kNibbleOrder[] = {5, 4, 1, 0, 7, 6, 3, 2};
        for (auto [nibble, index] : llvm::enumerate(kNibbleOrder))
          word |= (uint32_t(w[index]) & 15u) << (4 * nibble);
        words.push_back(int32_t(word));
        continue;
      }
      if (layout == WordLayout::MveBytes) {
        for (int64_t word = 0; word < kMveBytes / 4; ++word) {
          uint32_t bytes = 0;
          for (int64_t i = 0; i < 4; ++i)
            bytes |= uint32_t(uint8_t(w[4 * word + i])) << (8 * i);
          words.push_back(int32_t(bytes));
        }
        continue;
      }
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

/// Asks LLVM not to unroll \p loop: the body already holds a register tile,
/// and unrolled copies run out of the core's 13 registers and spill.
void keepRolled(scf::ForOp loop) {
  MLIRContext *context = loop.getContext();
  auto unroll = LLVM::LoopUnrollAttr::get(
      context, /*disable=*/BoolAttr::get(context, true), /*count=*/{},
      /*runtimeDisable=*/{}, /*full=*/{}, /*followupUnrolled=*/{},
      /*followupRemainder=*/{}, /*followupAll=*/{});
  loop->setAttr("loop_annotation",
                LLVM::LoopAnnotationAttr::get(
                    context, /*disableNonforced=*/{}, /*vectorize=*/{},
                    /*interleave=*/{}, unroll, /*unrollAndJam=*/{},
                    /*licm=*/{}, /*distribute=*/{}, /*pipeline=*/{},
                    /*peeled=*/{}, /*unswitch=*/{}, /*mustProgress=*/{},
                    /*isVectorized=*/{}, /*startLoc=*/{}, /*endLoc=*/{},
                    /*parallelAccesses=*/{}));
}

/// What tinyq-lower-cortex-m may use.
struct ArmKernelOptions {
  /// int8 layers whose weights take at most this many bytes as int16 store
  /// them so.
  int64_t unpackedWeightsLimit;
  /// Helium (MVE) dot products for reductions of whole vectors.
  bool mve;
  /// Fully connected and pointwise layers skip zero activations
  /// (computeSkippingZeros).
  bool skipZeroActivations;
  /// Fully connected and pointwise layers with 2:4-sparse int8 weights
  /// take computeWithTwoOfFour.
  bool twoOfFourWeights;
};

/// What the DSP kernel needs of integer layer \p op whose weights hold
/// \p outputs channels of \p depth values each.
struct DspLayer {
  SmallVector<int8_t> weights;
  /// The bias with the input zero-point term folded in.
  SmallVector<int32_t> bias;
  unsigned bits;
  WordLayout layout;
  /// The requantization, one entry per channel or one for all.
  SmallVector<int32_t> multipliers, shifts;
  int32_t zeroPoint, clampMin, clampMax;
  /// numerics::multiplyByRightShiftMultiplier applies: every multiplier
  /// is a right shift and no accumulator reaches 2^30 in magnitude.
  bool rightShiftOnly;
  Type outputElementType;
};

/// Whether every accumulator of \p layer, whose int8 inputs are at most
/// 128 in magnitude, stays below 2^30 in magnitude and every multiplier is
/// a right shift.
bool takesRightShiftRequantization(const DspLayer &layer, int64_t depth) {
  for (auto [multiplier, shift] : llvm::zip(layer.multipliers, layer.shifts))
    if (!numerics::isRightShiftMultiplier({multiplier, shift}))
      return false;
  for (auto [channel, bias] : llvm::enumerate(layer.bias)) {
    int64_t bound = std::abs(int64_t(bias));
    for (int8_t w : ArrayRef(layer.weights).slice(channel * depth, depth))
      bound += 128 * std::abs(int64_t(w));
    if (bound >= (int64_t(1) << 30))
      return false;
  }
  return true;
}

/// Whether \p layer's right-shift requantization may round as
/// numerics::multiplyByRightShiftMultiplierHalfUp: its clamp hides how
/// negative accumulators round (numerics::clampHidesNegativeRounding).
bool clampsNonPositive(const DspLayer &layer) {
  return layer.rightShiftOnly &&
         numerics::clampHidesNegativeRounding(layer.zeroPoint, layer.clampMin);
}

/// Whether the Helium requantization (ChannelRequantizer::requantizeLanes)
/// takes \p layer's accumulators: the right-shift form into int8.
bool takesRequantizationVectors(const DspLayer &layer) {
  return layer.rightShiftOnly && layer.outputElementType.isInteger(8);
}

/// How a ChannelRequantizer holds its layer's per-channel constants.
struct RequantizerOptions {
  /// The kernel's accumulators hold twice the sums (weights and bias
  /// doubled at compile time), which the right-shift form would otherwise
  /// double itself: one instruction less per output.
  bool doubledSums = false;
  /// A table of the layer's bias (doubled with doubledSums, which the
  /// right-shift bounds keep within int32), read by bias().
  bool holdsBias = false;
  /// The bias and the per-channel multipliers and shifts in one table,
  /// tile-major (per tile of 4 channels: 4 biases, 4 multipliers, 4
  /// shifts): a tile's constants are at fixed offsets from one address,
  /// which is all LLVM keeps live across the tile's reduction (with a
  /// table each, it kept every channel's index and spilled them: KWS's
  /// pointwise tiles on the M4 and M7). Scalar requantization only.
  bool interleaved = false;
};

/// Requantizes the accumulators of a DSP layer's channels into its output
/// elements: per-channel parameters from constant tables, per-tensor ones
/// as immediates.
class ChannelRequantizer {
public:
  ChannelRequantizer(OpBuilder &builder, Location loc, const DspLayer &layer,
                     const RequantizerOptions &options = {})
      : layer(layer), shifts(layer.shifts), doubledSums(options.doubledSums) {
    assert((!doubledSums || layer.rightShiftOnly) &&
           "only the right-shift form takes doubled sums");
    // The right-shift form reads `-shift - 1`.
    if (layer.rightShiftOnly)
      for (int32_t &shift : shifts)
        shift = -shift - 1;
    DspBuilder dsp(builder, loc);
    bool perChannel = layer.multipliers.size() > 1;
    SmallVector<int32_t> bias(layer.bias);
    if (doubledSums)
      for (int32_t &value : bias)
        value *= 2;
    if (options.interleaved) {
      assert(options.holdsBias && "interleaved tables hold the bias");
      int64_t tiles = llvm::divideCeil(bias.size(), kChannelTile);
      int64_t kinds = perChannel ? 3 : 1;
      SmallVector<int32_t> table(tiles * kinds * kChannelTile, 0);
      for (int64_t channel = 0; channel < int64_t(bias.size()); ++channel) {
        int64_t base = channel / kChannelTile * kinds * kChannelTile +
                       channel % kChannelTile;
        table[base] = bias[channel];
        if (perChannel) {
          table[base + kChannelTile] = layer.multipliers[channel];
          table[base + 2 * kChannelTile] = shifts[channel];
        }
      }
      tileTable = dsp.wordTable(table);
      tileStride = kinds * kChannelTile;
      return;
    }
    if (options.holdsBias)
      biasTable = dsp.wordTable(bias);
    if (!perChannel)
      return;
    multiplierTable = dsp.wordTable(layer.multipliers);
    shiftTable = dsp.wordTable(shifts);
    if (takesVectors())
      rightShiftTable = dsp.wordTable(layer.shifts);
  }

  /// The starting sum (RequantizerOptions::holdsBias) of channel
  /// first + lane;
  /// \p aligned: \p first is a multiple of 4.
  Value bias(OpBuilder &b, Location loc, Value first, int64_t lane,
             bool aligned) const {
    if (tileTable)
      return tileEntry(b, loc, /*kind=*/0, first, lane, aligned);
    assert(biasTable && "no bias given");
    return tensor::ExtractOp::create(b, loc, biasTable,
                                     ValueRange{addIndex(b, loc, first, lane)});
  }

  /// The starting sums (RequantizerOptions::holdsBias) of channels
  /// first .. first + 3 as a vector.
  Value biasVector(OpBuilder &b, Location loc, Value first) const {
    assert(biasTable && "no bias vectors in an interleaved table");
    return parameter(b, loc, biasTable, /*value=*/0, first, kChannelTile);
  }

  /// The output element of accumulator \p acc of channel first + lane;
  /// \p aligned: \p first is a multiple of 4.
  Value operator()(OpBuilder &b, Location loc, Value acc, Value first,
                   int64_t lane, bool aligned) const {
    return arith::TruncIOp::create(
        b, loc, layer.outputElementType,
        requantizeToInt32(b, loc, acc, first, lane, aligned));
  }

  /// operator()'s output element, still in an i32.
  Value requantizeToInt32(OpBuilder &b, Location loc, Value acc, Value first,
                          int64_t lane, bool aligned) const {
    DspBuilder dsp(b, loc);
    Value multiplier, shift;
    if (tileTable && layer.multipliers.size() > 1) {
      multiplier = tileEntry(b, loc, /*kind=*/1, first, lane, aligned);
      shift = tileEntry(b, loc, /*kind=*/2, first, lane, aligned);
    } else {
      Value channel = addIndex(b, loc, first, lane);
      multiplier =
          parameter(b, loc, multiplierTable, layer.multipliers[0], channel, 0);
      shift = parameter(b, loc, shiftTable, shifts[0], channel, 0);
    }
    if (!layer.rightShiftOnly)
      return dsp.requantize(acc, multiplier, shift, layer.zeroPoint,
                            layer.clampMin, layer.clampMax);
    return dsp.clampWithZeroPoint(
        dsp.multiplyByRightShiftMultiplier(
            acc, multiplier, shift,
            /*roundNegatives=*/!clampsNonPositive(layer),
            /*doubled=*/doubledSums),
        layer.zeroPoint, layer.clampMin, layer.clampMax);
  }

  /// Whether the outputs are bytes.
  bool storesBytes() const { return layer.outputElementType.isInteger(8); }

  /// Whether requantizeVector takes this layer's accumulators.
  bool takesVectors() const { return takesRequantizationVectors(layer); }

  /// Whether the accumulators it takes hold twice the sums.
  bool takesDoubledSums() const { return doubledSums; }

  /// \p outputs with [row, first .. first + 4) set to the requantized
  /// accumulators \p acc (vector<4xi32>) of channels first .. first + 3,
  /// in Helium vectors (requantizeLanes); the bytes are stored lane by
  /// lane, which tinyq-combine-byte-accesses makes one truncating vector
  /// store (`vstrb.32`; a bitcast to a word went through the stack).
  Value requantizeVector(OpBuilder &b, Location loc, Value acc, Value first,
                         Value row, Value outputs) const {
    return storeLanes(b, loc, requantizeLanes(b, loc, acc, first, 1), first,
                      row, outputs);
  }

  /// The requantized accumulators \p acc (vector<4xi32>) of channels
  /// first, first + stride, ... (all of channel first for stride 0),
  /// clamped, still in 32-bit lanes:
  /// numerics::multiplyByRightShiftMultiplier in Helium vectors, where
  /// `vqrdmulh` is its high word h = round(2 * acc * m / 2^32), and
  /// `vrshl` by the (negative) shift rounds h - (h < 0) half up, which is
  /// h rounded half away from zero, with no intermediate overflow (h
  /// itself where the clamp hides how h <= 0 rounds: clampsNonPositive).
  Value requantizeLanes(OpBuilder &b, Location loc, Value acc, Value first,
                        int64_t stride) const {
    assert(!tileTable && "interleaved tables are for scalar requantization");
    DspBuilder dsp(b, loc);
    auto type = cast<VectorType>(acc.getType());
    int64_t lanes = type.getNumElements();
    Value high = LLVM::CallIntrinsicOp::create(
                     b, loc, type, b.getStringAttr("llvm.arm.mve.vqrdmulh"),
                     ValueRange{acc, parameter(b, loc, multiplierTable,
                                               layer.multipliers[0], first,
                                               lanes, stride)})
                     .getResult(0);
    Value biased =
        clampsNonPositive(layer) ? high : dsp.lessOneIfNegative(high);
    Value shift = parameter(b, loc, rightShiftTable, layer.shifts[0], first,
                            lanes, stride);
    Value zero = dsp.constant(0), one = dsp.constant(1);
    Value scaled =
        LLVM::CallIntrinsicOp::create(
            b, loc, type, b.getStringAttr("llvm.arm.mve.vshl.vector"),
            ValueRange{biased, shift, /*saturate=*/zero, /*round=*/one,
                       /*unsigned=*/zero})
            .getResult(0);
    return dsp.clampWithZeroPoint(scaled, layer.zeroPoint, layer.clampMin,
                                  layer.clampMax);
  }

  /// \p outputs with lane i of \p clamped, as a byte, at [row + i *
  /// rowStride, first + i * columnStride] (by default [row, first ..)),
  /// stored lane by lane, which tinyq-combine-byte-accesses makes one
  /// truncating vector store (consecutive bytes) or scatter.
  Value storeLanes(OpBuilder &b, Location loc, Value clamped, Value first,
                   Value row, Value outputs, int64_t rowStride = 0,
                   int64_t columnStride = 1) const {
    int64_t lanes = cast<VectorType>(clamped.getType()).getNumElements();
    Value bytes = arith::TruncIOp::create(
        b, loc, VectorType::get({lanes}, b.getI8Type()), clamped);
    for (int64_t lane = 0; lane < lanes; ++lane) {
      Value byte =
          vector::ExtractOp::create(b, loc, bytes, ArrayRef<int64_t>{lane});
      outputs = tensor::InsertOp::create(
          b, loc, byte, outputs,
          ValueRange{addIndex(b, loc, row, lane * rowStride),
                     addIndex(b, loc, first, lane * columnStride)});
    }
    return outputs;
  }

private:
  /// Entry \p kind (0: bias, 1: multiplier, 2: shift) of channel
  /// first + lane in the interleaved table: from an aligned \p first, at a
  /// constant offset from first * (tileStride / 4).
  Value tileEntry(OpBuilder &b, Location loc, int64_t kind, Value first,
                  int64_t lane, bool aligned) const {
    int64_t tileWords = tileStride / kChannelTile;
    Value index;
    if (aligned) {
      index = addIndex(b, loc, mulIndex(b, loc, first, tileWords),
                       lane / kChannelTile * tileStride + kind * kChannelTile +
                           lane % kChannelTile);
    } else {
      DspBuilder dsp(b, loc);
      Value channel = addIndex(b, loc, first, lane);
      Value tile =
          arith::DivUIOp::create(b, loc, channel, dsp.index(kChannelTile));
      Value inTile =
          arith::RemUIOp::create(b, loc, channel, dsp.index(kChannelTile));
      index = arith::AddIOp::create(b, loc,
                                    addIndex(b, loc,
                                             mulIndex(b, loc, tile, tileStride),
                                             kind * kChannelTile),
                                    inTile);
    }
    return tensor::ExtractOp::create(b, loc, tileTable, ValueRange{index});
  }

  /// A requantization parameter: \p value for all channels (per-tensor)
  /// or \p table's entry for \p channel; with \p lanes > 0, a vector of
  /// the entries of channels channel, channel + stride, ...
  Value parameter(OpBuilder &b, Location loc, Value table, int32_t value,
                  Value channel, int64_t lanes, int64_t stride = 1) const {
    DspBuilder dsp(b, loc);
    if (lanes == 0)
      return table
                 ? tensor::ExtractOp::create(b, loc, table, ValueRange{channel})
                       .getResult()
                 : dsp.constant(value);
    auto type = VectorType::get({lanes}, b.getI32Type());
    if (!table)
      return arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(type, b.getI32IntegerAttr(value)));
    if (stride == 0)
      return vector::BroadcastOp::create(
          b, loc, type,
          tensor::ExtractOp::create(b, loc, table, ValueRange{channel}));
    SmallVector<Value> entries;
    for (int64_t lane = 0; lane < lanes; ++lane)
      entries.push_back(tensor::ExtractOp::create(
          b, loc, table, ValueRange{addIndex(b, loc, channel, lane * stride)}));
    return vector::FromElementsOp::create(b, loc, type, entries);
  }

  const DspLayer &layer;
  /// The scalar right-shift form's `-shift - 1`, else the shifts.
  SmallVector<int32_t> shifts;
  bool doubledSums;
  Value multiplierTable, shiftTable, biasTable;
  /// The interleaved table (RequantizerOptions::interleaved) and its words
  /// per tile.
  Value tileTable;
  int64_t tileStride = 0;
  /// The layer's own (negative) shifts, for requantizeLanes.
  Value rightShiftTable;
};

/// \p outputs with [row, first + i] set to the requantized sums[i], each
/// first passed through \p finish if given (channel by channel, which
/// keeps fewer values live); \p aligned: \p first is a multiple of 4.
/// Four int8 outputs are gathered into one word, stored as its four bytes
/// (one `str` after tinyq-combine-byte-accesses): byte stores took a
/// `strb` each and their own `eor` of the zero point -128, which LLVM now
/// applies to the word once. KWS: M4 4.70 M to 4.62 M instructions, M7
/// 3.37 M to 3.15 M estimated cycles.
Value storeRequantized(
    OpBuilder &b, Location loc, const ChannelRequantizer &requantize,
    ValueRange sums, Value first, bool aligned, Value row, Value outputs,
    function_ref<Value(Value sum, size_t index)> finish = {}) {
  if (sums.size() == kChannelTile && requantize.storesBytes()) {
    DspBuilder dsp(b, loc);
    Value word;
    for (auto [index, sum] : llvm::enumerate(sums)) {
      Value value = requantize.requantizeToInt32(
          b, loc, finish ? finish(sum, index) : sum, first, index, aligned);
      Value part = dsp.bitAnd(value, dsp.constant(0xFF));
      if (index > 0)
        part = dsp.shl(part, dsp.constant(8 * index));
      word = word ? dsp.bitOr(word, part) : part;
    }
    return dsp.storeWord(word, outputs, row, first);
  }
  for (auto [index, sum] : llvm::enumerate(sums)) {
    Value output = requantize(b, loc, finish ? finish(sum, index) : sum, first,
                              index, aligned);
    outputs = tensor::InsertOp::create(
        b, loc, output, outputs,
        ValueRange{row, addIndex(b, loc, first, index)});
  }
  return outputs;
}

/// Where the reduction of one output row reads its input: `segments` runs
/// of `runDepth` consecutive bytes of the 2-D int8 `input`, run s in row
/// `rowBase + s` from column `column`. A fully connected layer has one run
/// per row; a convolution one per kernel row, as its window's (kx, c)
/// bytes are contiguous in NHWC.
struct InputRuns {
  Value input, rowBase, column;
  int64_t segments, runDepth;

  /// Row \p row of \p input, \p depth bytes, as one run.
  static InputRuns wholeRow(OpBuilder &b, Location loc, Value input, Value row,
                            int64_t depth) {
    return InputRuns{input, row, DspBuilder(b, loc).index(0),
                     /*segments=*/1, depth};
  }
};

/// scf.for over [0, trips) in steps of \p unroll whose body runs \p body
/// (the induction value and the carried values -> the new ones) for the
/// \p unroll consecutive indices in turn.
scf::ForOp createUnrolledLoop(
    OpBuilder &builder, Location loc, int64_t trips, int64_t unroll,
    ValueRange initial,
    function_ref<SmallVector<Value>(OpBuilder &, Location, Value, ValueRange)>
        body) {
  DspBuilder dsp(builder, loc);
  return dsp.forLoop(
      0, trips, unroll, initial,
      [&](OpBuilder &b, Location bodyLoc, Value iv, ValueRange args) {
        SmallVector<Value> values(args);
        for (int64_t next = 0; next < unroll; ++next)
          values = body(b, bodyLoc,
                        arith::AddIOp::create(
                            b, bodyLoc, iv, DspBuilder(b, bodyLoc).index(next)),
                        values);
        scf::YieldOp::create(b, bodyLoc, values);
      });
}

/// out[outputRow, first .. first + channels) into \p outputs: per
/// reduction step the input word(s) are loaded and unpacked once, then
/// each channel's weights (at \p wordBase + step * channels * words per
/// step in \p words, steps counted over all runs) are multiplied in; the
/// sums start from the channel's bias (\p requantize's; scaled int4 ones
/// add it at the end) and end requantized.
Value computeTile(OpBuilder &builder, Location loc, const InputRuns &runs,
                  Value outputRow, Value words, Value wordBase, Value first,
                  int64_t channels, WordLayout layout,
                  const ChannelRequantizer &requantize, bool requantizeVectors,
                  Value outputs) {
  DspBuilder dsp(builder, loc);
  int64_t perStep = getWeightsPerStep(layout);
  int64_t wordsPerStep = getWordsPerStep(layout);
  int64_t stepsPerRun = runs.runDepth / perStep;
  // Two steps per iteration with halfword weights (registers allow it):
  // half the loop control. Helium's 8-channel tiles (short reductions)
  // unroll their steps.
  auto unrollFactor = [&](int64_t trips) -> int64_t {
    if (layout == WordLayout::MveBytes && channels > kChannelTile)
      return trips;
    return layout == WordLayout::Int16 && trips % 2 == 0 ? 2 : 1;
  };
  auto accumulateStep = [&](OpBuilder &b, Location bodyLoc, Value segment,
                            Value step, ValueRange sums) {
    DspBuilder body(b, bodyLoc);
    Value row = arith::AddIOp::create(b, bodyLoc, runs.rowBase, segment);
    Value k = arith::AddIOp::create(
        b, bodyLoc, runs.column,
        arith::MulIOp::create(b, bodyLoc, step, body.index(perStep)));
    Value flatStep = arith::AddIOp::create(
        b, bodyLoc,
        arith::MulIOp::create(b, bodyLoc, segment, body.index(stepsPerRun)),
        step);
    Value stepBase = arith::AddIOp::create(
        b, bodyLoc, wordBase,
        arith::MulIOp::create(b, bodyLoc, flatStep,
                              body.index(channels * wordsPerStep)));
    auto loadWeightWord = [&](int64_t offset) -> Value {
      return tensor::ExtractOp::create(
          b, bodyLoc, words,
          ValueRange{
              arith::AddIOp::create(b, bodyLoc, stepBase, body.index(offset))});
    };
    if (layout == WordLayout::MveBytes) {
      // sum += the dot product of 16 signed bytes: vmlava.s8, as the
      // intrinsic (a reduction of widened products selects the same
      // instruction, but lets LLVM's SLP vectorizer merge the tile's sums
      // into vectors inside the loop).
      Value x = body.loadVector(runs.input, row, k, kMveBytes);
      SmallVector<Value> results;
      for (int64_t channel = 0; channel < channels; ++channel) {
        SmallVector<Value> parts;
        for (int64_t word = 0; word < wordsPerStep; ++word)
          parts.push_back(loadWeightWord(channel * wordsPerStep + word));
        Value w = vector::BitCastOp::create(
            b, bodyLoc, VectorType::get({kMveBytes}, b.getI8Type()),
            vector::FromElementsOp::create(
                b, bodyLoc, VectorType::get({wordsPerStep}, b.getI32Type()),
                parts));
        results.push_back(body.dotProductAccumulate(x, w, sums[channel]));
      }
      return results;
    }
    // Input pairs (x0, x2), (x1, x3) [and (x4, x6), (x5, x7)].
    SmallVector<Value> xs;
    for (int64_t half = 0; half < perStep / 4; ++half) {
      Value word = body.loadWord(
          runs.input, row,
          arith::AddIOp::create(b, bodyLoc, k, body.index(4 * half)));
      xs.push_back(body.sxtb16(word));
      xs.push_back(body.sxtb16(body.rotateRight8(word)));
    }
    SmallVector<Value> results;
    for (int64_t channel = 0; channel < channels; ++channel) {
      // The channel's halfword pairs, in the order of xs.
      SmallVector<Value> ws;
      if (layout == WordLayout::Int16) {
        ws = {loadWeightWord(2 * channel), loadWeightWord(2 * channel + 1)};
      } else if (layout == WordLayout::Int4Halves) {
        Value w = loadWeightWord(channel);
        Value mask = body.constant(int32_t(0xF000F000u));
        for (int64_t pair = 0; pair < 4; ++pair)
          ws.push_back(body.bitAnd(
              pair == 0 ? w : body.shl(w, body.constant(4 * pair)), mask));
      } else {
        Value w = loadWeightWord(channel);
        SmallVector<Value> bytes = {w};
        if (layout == WordLayout::Int4) {
          // High nibbles, then low nibbles moved up: bytes 16 * w.
          Value mask = body.constant(int32_t(0xF0F0F0F0u));
          bytes = {body.bitAnd(w, mask),
                   body.bitAnd(body.shl(w, body.constant(4)), mask)};
        }
        for (Value word : bytes) {
          ws.push_back(body.sxtb16(word));
          ws.push_back(body.sxtb16(body.rotateRight8(word)));
        }
      }
      Value sum = sums[channel];
      for (auto [x, w] : llvm::zip_equal(xs, ws))
        sum = body.smlad(x, w, sum);
      results.push_back(sum);
    }
    return results;
  };
  // One run: its steps in a loop, or inline when there is one.
  auto accumulateRun = [&](OpBuilder &b, Location runLoc, Value segment,
                           ValueRange sums) -> SmallVector<Value> {
    DspBuilder run(b, runLoc);
    if (stepsPerRun == 1)
      return accumulateStep(b, runLoc, segment, run.index(0), sums);
    scf::ForOp loop = createUnrolledLoop(
        b, runLoc, stepsPerRun, unrollFactor(stepsPerRun), sums,
        [&](OpBuilder &lb, Location bodyLoc, Value step, ValueRange args) {
          return accumulateStep(lb, bodyLoc, segment, step, args);
        });
    keepRolled(loop);
    return loop.getResults();
  };
  // The sums start from the bias, except scaled int4 ones and those
  // requantized in vectors, which add it as a vector (a load and an add per
  // 4 channels instead of a load each). Tiles of 4 or 8 channels start at
  // a multiple of 4; single channels anywhere.
  bool aligned = channels % kChannelTile == 0;
  bool vectorBias = requantizeVectors && aligned;
  SmallVector<Value> biases, initial;
  for (int64_t channel = 0; channel < channels; ++channel) {
    if (vectorBias) {
      initial.push_back(dsp.constant(0));
      continue;
    }
    biases.push_back(requantize.bias(builder, loc, first, channel, aligned));
    initial.push_back(getProductScale(layout) > 1 ? dsp.constant(0)
                                                  : biases.back());
  }
  SmallVector<Value> sums;
  if (runs.segments == 1) {
    sums = accumulateRun(builder, loc, dsp.index(0), initial);
  } else {
    // Runs of one step go two per iteration too, as the steps of longer
    // runs do.
    scf::ForOp loop = createUnrolledLoop(
        builder, loc, runs.segments,
        stepsPerRun == 1 ? unrollFactor(runs.segments) : 1, initial,
        [&](OpBuilder &b, Location bodyLoc, Value segment, ValueRange args) {
          return accumulateRun(b, bodyLoc, segment, args);
        });
    if (stepsPerRun == 1)
      keepRolled(loop);
    sums = loop.getResults();
  }
  // int4 products were 16 or 4096 times too large, exactly; doubled sums
  // keep one factor of 2 (the bias table is doubled too).
  int64_t scale = getProductScale(layout);
  auto finish = [&](Value sum, size_t channel) -> Value {
    if (scale == 1)
      return sum;
    int64_t shift = llvm::Log2_64(scale) - requantize.takesDoubledSums();
    return dsp.add(dsp.ashr(sum, dsp.constant(shift)), biases[channel]);
  };
  if (vectorBias) {
    // Vectors of 4 channels (Helium sums are not scaled).
    assert(scale == 1 && "scaled sums in a Helium tile");
    for (int64_t part = 0; part < channels; part += kChannelTile) {
      Value partFirst = addIndex(builder, loc, first, part);
      Value partSums = vector::FromElementsOp::create(
          builder, loc, VectorType::get({kChannelTile}, builder.getI32Type()),
          ArrayRef(sums).slice(part, kChannelTile));
      Value acc =
          arith::AddIOp::create(builder, loc, partSums,
                                requantize.biasVector(builder, loc, partFirst));
      outputs = requantize.requantizeVector(builder, loc, acc, partFirst,
                                            outputRow, outputs);
    }
    return outputs;
  }
  return storeRequantized(builder, loc, requantize, sums, first, aligned,
                          outputRow, outputs, finish);
}

/// Whether int4 sums over \p depth products (|w| <= 8, |x| <= 128), each
/// \p scale times too large, fit in int32.
bool scaledInt4SumsFit(int64_t depth, int64_t scale) {
  return depth * 8 * 128 * scale <= INT32_MAX;
}

/// Whether the DSP kernel takes a reduction of \p depth over \p bits-bit
/// weights in runs of \p runDepth: runs of whole steps, and for int4 sums
/// 16 times too large that still fit in int32.
bool isDspReduction(int64_t runDepth, int64_t depth, unsigned bits) {
  if (bits == 8)
    return runDepth % 4 == 0;
  return bits == 4 && runDepth % 8 == 0 &&
         scaledInt4SumsFit(depth, getProductScale(WordLayout::Int4));
}

/// The input runs of an output row.
using RowRuns = function_ref<InputRuns(OpBuilder &, Location, Value row)>;

/// out[r, n] = requantize(bias[n] + sum_k input_r[k] * weights[n, k]) for
/// \p rows rows with the DSP kernel, where \p runsOf gives the runs of
/// input_r and the weights of \p layer are [outputs, depth] row-major.
Value computeWithDsp(OpBuilder &builder, Location loc, const DspLayer &layer,
                     int64_t rows, int64_t outputs, int64_t depth,
                     RowRuns runsOf) {
  WordLayout layout = layer.layout;
  DspBuilder dsp(builder, loc);
  // The right-shift form doubles each sum; halfword weights and scaled
  // int4 sums give doubled sums for free (2w fits the halves; the int4
  // scale is shifted out one bit less), with the bias doubled.
  bool doubleSums = layer.rightShiftOnly && (layout == WordLayout::Int16 ||
                                             getProductScale(layout) > 1);
  ChannelRequantizer requantize(
      builder, loc, layer,
      {doubleSums, /*holdsBias=*/true,
       /*interleaved=*/layout != WordLayout::MveBytes});
  // Helium tiles requantize in vectors of 4 channels. Reductions of up to
  // kMaxWideSteps steps take tiles twice as wide, their steps unrolled:
  // per step one input load for 8 channels' weight loads and vmlava, the 8
  // accumulators in registers, the loads' addresses post-incremented
  // (tinyq-chain-mve-loads). Rolled, the 8 accumulators, pointers and loop
  // counter left LLVM shuffling registers or spilling (640 deep: 22
  // instructions per step, 17 unrolled). Longer ones keep tiles of 4 in a
  // loop: 68 bytes of code per unrolled step.
  constexpr int64_t kMaxWideSteps = 64;
  bool requantizeVectors =
      layout == WordLayout::MveBytes && requantize.takesVectors();
  int64_t wideTile = requantizeVectors && depth / kMveBytes <= kMaxWideSteps
                         ? 2 * kChannelTile
                         : kChannelTile;
  // Full tiles of wideTile channels, then of kChannelTile, then the rest
  // one at a time; each tile's words follow the previous tile's, so
  // channel c's tile starts at word c * wordsPerChannel.
  int64_t wideTiled = outputs - outputs % wideTile;
  int64_t tiled = outputs - outputs % kChannelTile;
  auto getTileWidth = [&](int64_t first) -> int64_t {
    return first < wideTiled ? wideTile : first < tiled ? kChannelTile : 1;
  };
  int64_t wordsPerChannel =
      depth / getWeightsPerStep(layout) * getWordsPerStep(layout);
  SmallVector<int32_t> words;
  for (int64_t first = 0; first < outputs; first += getTileWidth(first))
    words.append(packWeightWords(layer.weights, depth, first,
                                 getTileWidth(first), layout,
                                 /*factor=*/doubleSums ? 2 : 1));
  Value wordsConstant = dsp.wordTable(words);

  Value init = tensor::EmptyOp::create(
      builder, loc, ArrayRef<int64_t>{rows, outputs}, layer.outputElementType);
  return dsp
      .forLoop(
          0, rows, 1, ValueRange{init},
          [&](OpBuilder &b, Location rowLoc, Value row, ValueRange rowArgs) {
            DspBuilder rowDsp(b, rowLoc);
            InputRuns runs = runsOf(b, rowLoc, row);
            auto tileLoop = [&](Value out, int64_t begin, int64_t end,
                                int64_t width) -> Value {
              if (begin == end)
                return out;
              return rowDsp
                  .forLoop(
                      begin, end, width, ValueRange{out},
                      [&](OpBuilder &tb, Location tileLoc, Value first,
                          ValueRange tileArgs) {
                        Value wordBase = arith::MulIOp::create(
                            tb, tileLoc, first,
                            DspBuilder(tb, tileLoc).index(wordsPerChannel));
                        scf::YieldOp::create(
                            tb, tileLoc,
                            computeTile(tb, tileLoc, runs, row, wordsConstant,
                                        wordBase, first, width, layout,
                                        requantize, requantizeVectors,
                                        tileArgs[0]));
                      })
                  .getResult(0);
            };
            Value out = tileLoop(rowArgs[0], 0, wideTiled, wideTile);
            out = tileLoop(out, wideTiled, tiled, kChannelTile);
            out = tileLoop(out, tiled, outputs, 1);
            scf::YieldOp::create(b, rowLoc, out);
          })
      .getResult(0);
}

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

/// Whether \p layer, whose inputs are whole rows of \p depth values, runs
/// computeSkippingZeros: when asked to, except where Helium dot products
/// apply (16 products per instruction, which skipping does not beat), and
/// its entries hold k in 16 bits.
bool skipsZeroActivations(const DspLayer &layer, int64_t depth,
                          const ArmKernelOptions &options) {
  return options.skipZeroActivations && layer.layout != WordLayout::MveBytes &&
         depth <= (1 << 16);
}

/// computeWithDsp for inputs that are whole rows of \p input ([rows,
/// depth] int8, zero point \p inputZeroPoint), skipping the products of
/// zero activations (x == zero point), which ReLU outputs are rich in.
/// Per row, one pass writes the entry `(x - z) << 16 | k` of every k to
/// a list (the halfword v = x - z fits: |v| <= 255) and advances past it
/// when v != 0, and a zero entry ends the list; then each tile of 4
/// channels runs over the listed entries only, two per iteration (with
/// the zero entry when their count is odd): the tile's weights of input k are
/// one word (column-major per tile, padded with zero channels), unpacked into
/// (w0, w2), (w1, w3), and multiplied by v with `smlatb` / `smlatt`. Since v
/// carries the zero point, the sums start from the unfolded bias; they equal
/// the dense kernel's exactly (int32 sums wrap alike), so the same
/// requantization applies.
Value computeSkippingZeros(OpBuilder &builder, Location loc,
                           const DspLayer &layer, Value input,
                           int32_t inputZeroPoint, int64_t rows,
                           int64_t outputs, int64_t depth) {
  DspBuilder dsp(builder, loc);
  int64_t tiles = llvm::divideCeil(outputs, kChannelTile);
  SmallVector<int32_t> columns(tiles * depth, 0);
  SmallVector<int32_t> bias(tiles * kChannelTile, 0);
  for (int64_t channel = 0; channel < outputs; ++channel) {
    ArrayRef<int8_t> row =
        ArrayRef(layer.weights).slice(channel * depth, depth);
    int64_t sum = 0;
    for (auto [k, weight] : llvm::enumerate(row)) {
      auto byte = uint32_t(uint8_t(weight)) << (8 * (channel % kChannelTile));
      columns[channel / kChannelTile * depth + k] |= int32_t(byte);
      sum += weight;
    }
    // The folded bias held -z * sum(w); products of x - z need none. int32
    // arithmetic wraps as the kernel's sums do.
    bias[channel] = int32_t(uint32_t(layer.bias[channel]) +
                            uint32_t(int64_t(inputZeroPoint) * sum));
  }
  Value columnTable = dsp.wordTable(columns);

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

/// The input pairs of a group of 4 consecutive inputs, as the words
/// (x[first], x[second]) of halfwords the 2:4 kernel reads: index 0 and 1
/// are what sxtb16 gives, the others are packed from those.
constexpr std::pair<int64_t, int64_t> kGroupPairs[] = {{0, 2}, {1, 3}, {0, 1},
                                                       {2, 3}, {0, 3}, {1, 2}};
constexpr int64_t kGroupPairCount = std::size(kGroupPairs);

/// Whether every group of 4 consecutive int8 weights along the reduction
/// of each channel of \p layer has at most 2 non-zero (2:4 sparsity).
bool hasTwoOfFourWeights(const DspLayer &layer, int64_t depth) {
  if (layer.bits != 8 || depth % 4 != 0)
    return false;
  ArrayRef<int8_t> weights = layer.weights;
  for (size_t start = 0; start < weights.size(); start += 4)
    if (llvm::count_if(weights.slice(start, 4),
                       [](int8_t w) { return w != 0; }) > 2)
      return false;
  return true;
}

/// Whether \p layer, whose inputs are whole rows of \p depth values, runs
/// computeWithTwoOfFour: its weights are 2:4 sparse, their stream (2 bytes
/// per weight, as int16 weights take) fits the unpacked-weights limit,
/// and Helium dot products do not apply (they do 16 products per
/// instruction).
bool takesTwoOfFour(const DspLayer &layer, int64_t depth,
                    const ArmKernelOptions &options) {
  return options.twoOfFourWeights && layer.layout != WordLayout::MveBytes &&
         int64_t(layer.weights.size()) * 2 <= options.unpackedWeightsLimit &&
         hasTwoOfFourWeights(layer, depth);
}

/// computeWithDsp for 2:4-sparse int8 weights (hasTwoOfFourWeights) and
/// inputs that are whole rows of \p input ([rows, depth]): each group of
/// 4 inputs is expanded once per row into the 6 halfword pairs of
/// kGroupPairs, and each channel multiplies the pair holding its 2
/// non-zero weights with one `smlad`. Per group and channel, the weights'
/// halfword pair and the word index of the pair in the expanded row are
/// one compile-time stream of word pairs in loop order (tile, group,
/// channel): 8 bytes for 4 weights, as int16 weights take, and about 3
/// instructions for 4 multiply-adds (one load of both words, one of the
/// input pair at base + index * 4, smlad). The sums start from the folded
/// bias as the dense kernel's do.
Value computeWithTwoOfFour(OpBuilder &builder, Location loc,
                           const DspLayer &layer, Value input, int64_t rows,
                           int64_t outputs, int64_t depth) {
  DspBuilder dsp(builder, loc);
  int64_t groups = depth / 4;
  int64_t tiles = llvm::divideCeil(outputs, kChannelTile);
  // Per tile and group: the 4 channels' weight words, then their pairs'
  // places as halfwords, two per word.
  SmallVector<int32_t> stream;
  for (int64_t tile = 0; tile < tiles; ++tile) {
    for (int64_t group = 0; group < groups; ++group) {
      for (int64_t channel = tile * kChannelTile;
           channel < (tile + 1) * kChannelTile; ++channel) {
        if (channel >= outputs) {
          stream.append({0, int32_t(group * kGroupPairCount)});
          continue;
        }
        const int8_t *w = layer.weights.data() + channel * depth + 4 * group;
        // The first pair that holds every non-zero weight of the group.
        const auto *pair = llvm::find_if(kGroupPairs, [&](auto positions) {
          for (int64_t i = 0; i < 4; ++i)
            if (w[i] != 0 && i != positions.first && i != positions.second)
              return false;
          return true;
        });
        assert(pair != std::end(kGroupPairs) && "not 2:4 sparse");
        stream.append({packHalves(w[pair->first], w[pair->second]),
                       int32_t(group * kGroupPairCount +
                               (pair - std::begin(kGroupPairs)))});
      }
    }
  }
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

/// A tensor of \p shape and \p elementType filled with \p zeroPoint.
Value createZeroPointFill(OpBuilder &builder, Location loc,
                          ArrayRef<int64_t> shape, Type elementType,
                          int32_t zeroPoint) {
  Value value =
      arith::ConstantIntOp::create(builder, loc, elementType, zeroPoint);
  Value empty = tensor::EmptyOp::create(builder, loc, shape, elementType);
  return linalg::FillOp::create(builder, loc, ValueRange{value},
                                ValueRange{empty})
      .getResult(0);
}

/// padWithZeroPoint for the DSP kernels: the padded image filled with the
/// zero point, then the input's rows copied in a word at a time (a byte
/// loop otherwise). Falls back to padWithZeroPoint when a row is not whole
/// words.
Value padByWords(OpBuilder &builder, Location loc, Value input,
                 ArrayRef<int64_t> pad, int32_t zeroPoint) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t batch = type.getDimSize(0), height = type.getDimSize(1),
          width = type.getDimSize(2), channels = type.getDimSize(3);
  if (llvm::all_of(pad, [](int64_t p) { return p == 0; }) ||
      (width * channels) % 4 != 0)
    return padWithZeroPoint(builder, loc, input, pad, zeroPoint);
  DspBuilder dsp(builder, loc);
  int64_t paddedHeight = height + pad[0] + pad[1],
          paddedWidth = width + pad[2] + pad[3];
  auto paddedType = RankedTensorType::get(
      {batch, paddedHeight, paddedWidth, channels}, type.getElementType());
  Value filled = createZeroPointFill(builder, loc, paddedType.getShape(),
                                     type.getElementType(), zeroPoint);
  SmallVector<ReassociationIndices> rowsAndBytes = {{0, 1}, {2, 3}};
  Value rows =
      tensor::CollapseShapeOp::create(builder, loc, input, rowsAndBytes);
  Value paddedRows =
      tensor::CollapseShapeOp::create(builder, loc, filled, rowsAndBytes);
  Value copied =
      dsp.forLoop(
             0, batch * height, 1, ValueRange{paddedRows},
             [&](OpBuilder &b, Location rowLoc, Value row, ValueRange rowArgs) {
               DspBuilder rowDsp(b, rowLoc);
               // Input row n * H + y lands in padded row n * Hp + top + y.
               Value n =
                   arith::DivUIOp::create(b, rowLoc, row, rowDsp.index(height));
               Value imageStart = arith::MulIOp::create(
                   b, rowLoc, n, rowDsp.index(pad[0] + pad[1]));
               Value offset = arith::AddIOp::create(b, rowLoc, imageStart,
                                                    rowDsp.index(pad[0]));
               Value target = arith::AddIOp::create(b, rowLoc, row, offset);
               Value left = rowDsp.index(pad[2] * channels);
               // Up to 4 words per iteration: the loop's own instructions
               // were 5 of the 7 a word took on the M4.
               int64_t words = width * channels / 4;
               int64_t unroll = words % 4 == 0 ? 4 : words % 2 == 0 ? 2 : 1;
               auto loop = createUnrolledLoop(
                   b, rowLoc, words, unroll, rowArgs,
                   [&](OpBuilder &wb, Location wordLoc, Value wordIndex,
                       ValueRange wordArgs) -> SmallVector<Value> {
                     DspBuilder wordDsp(wb, wordLoc);
                     Value k = arith::MulIOp::create(wb, wordLoc, wordIndex,
                                                     wordDsp.index(4));
                     Value word = wordDsp.loadWord(rows, row, k);
                     return {wordDsp.storeWord(
                         word, wordArgs[0], target,
                         arith::AddIOp::create(wb, wordLoc, left, k))};
                   });
               scf::YieldOp::create(b, rowLoc, loop.getResults());
             })
          .getResult(0);
  return tensor::ExpandShapeOp::create(builder, loc, paddedType, copied,
                                       rowsAndBytes);
}

/// out[r, n] for a layer whose input rows are whole rows of \p input
/// ([rows, depth] int8, zero point \p inputZeroPoint): zero activations
/// skipped when asked to, 2:4-sparse weights multiplied where they apply,
/// else the dense kernel.
Value computeWholeRows(OpBuilder &builder, Location loc, const DspLayer &layer,
                       Value input, int32_t inputZeroPoint,
                       const ArmKernelOptions &options) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rows = type.getDimSize(0), depth = type.getDimSize(1);
  int64_t outputs = int64_t(layer.weights.size()) / depth;
  if (skipsZeroActivations(layer, depth, options))
    return computeSkippingZeros(builder, loc, layer, input, inputZeroPoint,
                                rows, outputs, depth);
  if (takesTwoOfFour(layer, depth, options))
    return computeWithTwoOfFour(builder, loc, layer, input, rows, outputs,
                                depth);
  return computeWithDsp(builder, loc, layer, rows, outputs, depth,
                        [&](OpBuilder &b, Location rowLoc, Value row) {
                          return InputRuns::wholeRow(b, rowLoc, input, row,
                                                     depth);
                        });
}

/// The DspLayer of integer layer \p op whose kernel reads its weights in
/// \p layout: the weights by output channel, each channel's reduction row
/// in order; the bias with the input zero point folded in; the
/// requantization. Fails unless weights and bias are constants.
FailureOr<DspLayer> buildDspLayer(IntegerLayerOpInterface op,
                                  PatternRewriter &rewriter,
                                  WordLayout layout) {
  std::optional<SmallVector<int8_t>> weights =
      getConstantWeights(op.getWeights());
  FailureOr<SmallVector<int32_t>> bias = foldInputZeroPoint(op);
  if (!weights || failed(bias))
    return rewriter.notifyMatchFailure(op, "weights or bias not constant");
  int64_t depth = op.getReductionDepth();
  SmallVector<int8_t> byChannel(weights->size());
  for (auto [index, weight] : llvm::enumerate(*weights)) {
    auto [channel, place] = op.getWeightCoordinates(int64_t(index));
    byChannel[channel * depth + place] = weight;
  }
  DspLayer layer{std::move(byChannel),
                 std::move(*bias),
                 op.getWeights().getType().getElementTypeBitWidth(),
                 layout,
                 SmallVector<int32_t>(op.getMultiplier()),
                 SmallVector<int32_t>(op.getShift()),
                 op.getOutputZeroPoint(),
                 op.getClampMin(),
                 op.getClampMax(),
                 /*rightShiftOnly=*/false,
                 op.getOutput().getType().getElementType()};
  layer.rightShiftOnly = takesRightShiftRequantization(layer, depth);
  return layer;
}

/// The DspLayer of a fully connected layer or convolution \p op, whose
/// channels reduce their values in runs of \p runDepth, or why the dense
/// kernels do not take it: SPARQ, an input that is not int8, runs of
/// partial words, weights or bias that are not constants.
FailureOr<DspLayer> getDenseDspLayer(IntegerLayerOpInterface op,
                                     PatternRewriter &rewriter,
                                     int64_t runDepth,
                                     const ArmKernelOptions &options) {
  if (op.getSparqAttr())
    return rewriter.notifyMatchFailure(op, "SPARQ takes the generic path");
  unsigned bits = op.getWeights().getType().getElementTypeBitWidth();
  int64_t depth = op.getReductionDepth();
  if (op.getInput().getType().getElementTypeBitWidth() != 8 ||
      !isDspReduction(runDepth, depth, bits))
    return rewriter.notifyMatchFailure(op, "not a DSP reduction");
  // Helium: whole vectors of 16 weights per step, int4 ones as bytes.
  // Else int4: sums 4096 times too large when they fit, else 16 times.
  WordLayout layout =
      scaledInt4SumsFit(depth, getProductScale(WordLayout::Int4Halves))
          ? WordLayout::Int4Halves
          : WordLayout::Int4;
  if (bits == 8)
    layout = op.getWeights().getType().getNumElements() * 2 <=
                     options.unpackedWeightsLimit
                 ? WordLayout::Int16
                 : WordLayout::Int8;
  if (options.mve && runDepth % kMveBytes == 0)
    layout = WordLayout::MveBytes;
  return buildDspLayer(op, rewriter, layout);
}

/// tinyq.fully_connected with constant int8 or int4 weights over whole
/// words -> DSP accumulation into the bias (zero-point term folded in),
/// requantized as each tile ends.
struct LowerFullyConnectedToDsp : OpRewritePattern<FullyConnectedOp> {
  LowerFullyConnectedToDsp(MLIRContext *context, ArmKernelOptions options)
      : OpRewritePattern(context), options(options) {}

  LogicalResult matchAndRewrite(FullyConnectedOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<DspLayer> layer = getDenseDspLayer(
        op, rewriter, /*runDepth=*/op.getReductionDepth(), options);
    if (failed(layer))
      return failure();
    rewriter.replaceOp(op, computeWholeRows(rewriter, op.getLoc(), *layer,
                                            op.getInput(),
                                            op.getInputZeroPoint(), options));
    return success();
  }

  ArmKernelOptions options;
};

/// tinyq.conv2d with constant weights whose kernel rows are whole words
/// (KW * C a multiple of 4 for int8, 8 for int4) and no dilation -> the
/// DSP kernel over the output pixels. Each pixel's window is KH runs of
/// KW * C contiguous bytes of the input, padded with its zero point (so
/// the folded zero-point term holds at the borders) and viewed as
/// [N * H, W * C]. A pointwise layer with stride 1 and no padding is a
/// fully connected layer over [N * H * W, C]: one run per pixel, no index
/// arithmetic.
struct LowerConvolutionToDsp : OpRewritePattern<Conv2DOp> {
  LowerConvolutionToDsp(MLIRContext *context, ArmKernelOptions options)
      : OpRewritePattern(context), options(options) {}

  LogicalResult matchAndRewrite(Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    auto weightsType = op.getWeights().getType();
    auto outputType = op.getOutput().getType();
    int64_t outputs = weightsType.getDimSize(0),
            kernelHeight = weightsType.getDimSize(1),
            kernelWidth = weightsType.getDimSize(2),
            channels = weightsType.getDimSize(3);
    if (!llvm::all_of(op.getDilation(), [](int64_t d) { return d == 1; }))
      return rewriter.notifyMatchFailure(op, "dilated");
    int64_t runDepth = kernelWidth * channels;
    int64_t depth = kernelHeight * runDepth;
    FailureOr<DspLayer> layer =
        getDenseDspLayer(op, rewriter, runDepth, options);
    if (failed(layer))
      return failure();
    Location loc = op.getLoc();
    int64_t batch = outputType.getDimSize(0),
            outputHeight = outputType.getDimSize(1),
            outputWidth = outputType.getDimSize(2);
    int64_t rows = batch * outputHeight * outputWidth;
    SmallVector<ReassociationIndices> pixelsAndChannels = {{0, 1, 2}, {3}};
    bool pointwise =
        kernelHeight == 1 && kernelWidth == 1 &&
        llvm::all_of(op.getStride(), [](int64_t s) { return s == 1; }) &&
        llvm::all_of(op.getPad(), [](int64_t p) { return p == 0; });
    Value out;
    if (pointwise) {
      out =
          computeWholeRows(rewriter, loc, *layer,
                           tensor::CollapseShapeOp::create(
                               rewriter, loc, op.getInput(), pixelsAndChannels),
                           op.getInputZeroPoint(), options);
    } else {
      Value padded = padByWords(rewriter, loc, op.getInput(), op.getPad(),
                                op.getInputZeroPoint());
      int64_t paddedHeight =
          cast<RankedTensorType>(padded.getType()).getDimSize(1);
      SmallVector<ReassociationIndices> rowsAndBytes = {{0, 1}, {2, 3}};
      Value image =
          tensor::CollapseShapeOp::create(rewriter, loc, padded, rowsAndBytes);
      int64_t strideY = op.getStride()[0], strideX = op.getStride()[1];
      out = computeWithDsp(
          rewriter, loc, *layer, rows, outputs, depth,
          [&](OpBuilder &b, Location rowLoc, Value row) {
            DspBuilder dsp(b, rowLoc);
            auto mul = [&](Value x, int64_t c) -> Value {
              return arith::MulIOp::create(b, rowLoc, x, dsp.index(c));
            };
            int64_t pixels = outputHeight * outputWidth;
            Value n = arith::DivUIOp::create(b, rowLoc, row, dsp.index(pixels));
            Value pixel =
                arith::RemUIOp::create(b, rowLoc, row, dsp.index(pixels));
            Value y = arith::DivUIOp::create(b, rowLoc, pixel,
                                             dsp.index(outputWidth));
            Value x = arith::RemUIOp::create(b, rowLoc, pixel,
                                             dsp.index(outputWidth));
            Value imageRow = mul(n, paddedHeight);
            Value rowBase =
                arith::AddIOp::create(b, rowLoc, imageRow, mul(y, strideY));
            return InputRuns{image, rowBase, mul(x, strideX * channels),
                             kernelHeight, runDepth};
          });
    }
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, outputType, out,
                                                       pixelsAndChannels);
    return success();
  }

  ArmKernelOptions options;
};

/// out[outputRow, 4 * tile .. 4 * tile + 4) of a depthwise convolution
/// into \p outputs: the window's taps at \p tapOffsets pixels from
/// \p window in \p pixels ([pixels, C] int8), weighed by the tile's
/// halfword pairs in \p words (tile t, tap j: words 2 * (t * taps + j)
/// and the next), summed from \p requantize's bias and requantized.
Value computeDepthwiseTile(OpBuilder &b, Location loc, Value pixels,
                           Value window, Value outputRow, Value tile,
                           ArrayRef<int64_t> tapOffsets, Value words,
                           const ChannelRequantizer &requantize,
                           Value outputs) {
  DspBuilder dsp(b, loc);
  auto add = [&](Value x, int64_t c) -> Value {
    return arith::AddIOp::create(b, loc, x, dsp.index(c));
  };
  auto mul = [&](Value x, int64_t c) -> Value {
    return arith::MulIOp::create(b, loc, x, dsp.index(c));
  };
  Value first = mul(tile, 4);
  Value wordBase = mul(tile, 2 * int64_t(tapOffsets.size()));
  SmallVector<Value> sums;
  for (int64_t lane = 0; lane < 4; ++lane)
    sums.push_back(requantize.bias(b, loc, first, lane, /*aligned=*/true));
  for (auto [tap, offset] : llvm::enumerate(tapOffsets)) {
    Value word = dsp.loadWord(pixels, add(window, offset), first);
    Value x02 = dsp.sxtb16(word);
    Value x13 = dsp.sxtb16(dsp.rotateRight8(word));
    Value w02 = tensor::ExtractOp::create(
        b, loc, words, ValueRange{add(wordBase, 2 * int64_t(tap))});
    Value w13 = tensor::ExtractOp::create(
        b, loc, words, ValueRange{add(wordBase, 2 * int64_t(tap) + 1)});
    sums[0] = dsp.smlabb(x02, w02, sums[0]);
    sums[2] = dsp.smlatt(x02, w02, sums[2]);
    sums[1] = dsp.smlabb(x13, w13, sums[1]);
    sums[3] = dsp.smlatt(x13, w13, sums[3]);
  }
  return storeRequantized(b, loc, requantize, sums, first, /*aligned=*/true,
                          outputRow, outputs);
}

/// The \p count input bytes of tap \p tap of a Helium depthwise tile (at
/// \p offset pixels from \p window, channels from \p first) and its
/// \p count weights (row `weightRow + tap` of \p weightBytes), each
/// sign-extended to \p laneType.
std::pair<Value, Value> loadDepthwiseTap(OpBuilder &b, Location loc,
                                         Value pixels, Value window,
                                         int64_t offset, Value first,
                                         Value weightBytes, Value weightRow,
                                         int64_t tap, VectorType laneType) {
  DspBuilder dsp(b, loc);
  int64_t count = laneType.getNumElements();
  Value x = dsp.loadVector(
      pixels, arith::AddIOp::create(b, loc, window, dsp.index(offset)), first,
      count);
  Value tapRow = arith::AddIOp::create(b, loc, weightRow, dsp.index(tap));
  Value w = dsp.loadVector(weightBytes, tapRow, dsp.index(0), count);
  return {arith::ExtSIOp::create(b, loc, laneType, x),
          arith::ExtSIOp::create(b, loc, laneType, w)};
}

/// computeDepthwiseTile with Helium vectors: the tile's 4 accumulators are
/// one vector from the bias; per tap the 4 input bytes and the 4 weights
/// (row `tile * taps + tap` of \p weightBytes) load sign-extended to 32-bit
/// lanes (vldrb.s32), multiply and add (vmul, vadd: Helium's vmla takes a
/// scalar operand); the requantization runs in vectors when the layer
/// takes them.
Value computeDepthwiseTileMve(OpBuilder &b, Location loc, Value pixels,
                              Value window, Value outputRow, Value tile,
                              ArrayRef<int64_t> tapOffsets, Value weightBytes,
                              const ChannelRequantizer &requantize,
                              Value outputs) {
  DspBuilder dsp(b, loc);
  auto lanes = VectorType::get({4}, b.getI32Type());
  Value first = arith::MulIOp::create(b, loc, tile, dsp.index(4));
  Value acc = requantize.biasVector(b, loc, first);
  Value weightRow = arith::MulIOp::create(
      b, loc, tile, dsp.index(int64_t(tapOffsets.size())));
  for (auto [tap, offset] : llvm::enumerate(tapOffsets)) {
    auto [x, w] = loadDepthwiseTap(b, loc, pixels, window, offset, first,
                                   weightBytes, weightRow, tap, lanes);
    acc =
        arith::AddIOp::create(b, loc, acc, arith::MulIOp::create(b, loc, x, w));
  }
  if (requantize.takesVectors())
    return requantize.requantizeVector(b, loc, acc, first, outputRow, outputs);
  SmallVector<Value> sums;
  for (int64_t lane = 0; lane < lanes.getNumElements(); ++lane)
    sums.push_back(vector::ExtractOp::create(b, loc, acc, lane));
  return storeRequantized(b, loc, requantize, sums, first, /*aligned=*/true,
                          outputRow, outputs);
}

/// computeDepthwiseTileMve for 8 channels from 8 * \p tile whose
/// requantization takes vectors: per tap the 8 input bytes and the 8
/// weights (row `tile * taps + tap` of \p weightBytes) load sign-extended
/// to 16-bit lanes (vldrb.s16) and `vmullb` / `vmullt` multiply the even
/// and the odd lanes into 32-bit products, added to the accumulators of
/// channels 0, 2, 4, 6 and 1, 3, 5, 7: 6 instructions per tap for 8
/// channels where 4-channel tiles take 8. The requantizer's bias and
/// per-channel tables hold each tile's even channels, then its odd ones.
/// The two requantized vectors are interleaved back into channel order
/// (LLVM narrows them with `vmovnb` / `vmovnt`) and stored as 8 bytes.
Value computeDepthwiseTileMve8(OpBuilder &b, Location loc, Value pixels,
                               Value window, Value outputRow, Value tile,
                               ArrayRef<int64_t> tapOffsets, Value weightBytes,
                               const ChannelRequantizer &requantize,
                               Value outputs) {
  DspBuilder dsp(b, loc);
  constexpr int64_t kTile = 8;
  auto lanes = VectorType::get({kTile / 2}, b.getI32Type());
  auto halves = VectorType::get({kTile}, b.getI16Type());
  Value first = arith::MulIOp::create(b, loc, tile, dsp.index(kTile));
  // Even and odd channels of the tile, whose per-channel parameters
  // (bias and requantization) are stored in that order.
  SmallVector<Value> accs, parameters;
  for (int64_t parity = 0; parity < 2; ++parity) {
    parameters.push_back(
        arith::AddIOp::create(b, loc, first, dsp.index(parity * kTile / 2)));
    accs.push_back(requantize.biasVector(b, loc, parameters.back()));
  }
  Value weightRow = arith::MulIOp::create(
      b, loc, tile, dsp.index(int64_t(tapOffsets.size())));
  Value zero = dsp.constant(0);
  for (auto [tap, offset] : llvm::enumerate(tapOffsets)) {
    auto [x, w] = loadDepthwiseTap(b, loc, pixels, window, offset, first,
                                   weightBytes, weightRow, tap, halves);
    for (int64_t parity = 0; parity < 2; ++parity) {
      Value product =
          LLVM::CallIntrinsicOp::create(
              b, loc, lanes, b.getStringAttr("llvm.arm.mve.vmull"),
              ValueRange{x, w, /*unsigned=*/zero, dsp.constant(parity)})
              .getResult(0);
      accs[parity] = arith::AddIOp::create(b, loc, accs[parity], product);
    }
  }
  Value even = requantize.requantizeLanes(b, loc, accs[0], parameters[0], 1);
  Value odd = requantize.requantizeLanes(b, loc, accs[1], parameters[1], 1);
  Value interleaved = vector::ShuffleOp::create(
      b, loc, even, odd, ArrayRef<int64_t>{0, 4, 1, 5, 2, 6, 3, 7});
  return requantize.storeLanes(b, loc, interleaved, first, outputRow, outputs);
}

/// scf.for over [0, \p count) carrying one value, \p body giving the next.
Value createCarriedLoop(
    OpBuilder &builder, Location loc, int64_t count, Value carried,
    function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  return createUnrolledLoop(builder, loc, count, /*unroll=*/1, carried,
                            [&](OpBuilder &b, Location l, Value iv,
                                ValueRange args) -> SmallVector<Value> {
                              return {body(b, l, iv, args[0])};
                            })
      .getResult(0);
}

/// The shape of a depthwise convolution's output and kernel.
struct DepthwiseGeometry {
  int64_t batch, outputHeight, outputWidth, kernelHeight, kernelWidth;
  ArrayRef<int64_t> stride, dilation;
};

/// Helium lanes of one channel's output pixels: tiles of this many pixels
/// along a column or a row.
constexpr int64_t kPixelLanes = 4;

/// Whether the tiles of computeDepthwiseByPixelsMve run along the output's
/// columns (else its rows), when either applies: the way with fewer tiles.
std::optional<bool> getPixelLanesAlongColumns(const DepthwiseGeometry &g) {
  auto tiles = [](int64_t along, int64_t across) -> int64_t {
    return along < kPixelLanes ? INT64_MAX
                               : llvm::divideCeil(along, kPixelLanes) * across;
  };
  int64_t columns = tiles(g.outputHeight, g.outputWidth),
          rows = tiles(g.outputWidth, g.outputHeight);
  if (columns == INT64_MAX && rows == INT64_MAX)
    return std::nullopt;
  return columns <= rows;
}

/// Runs \p run (carrying one value) for the starts of the runs of
/// \p runLength that cover [0, \p length): 0, runLength, ... in a loop,
/// then `length - runLength` when \p runLength does not divide \p length
/// (overlapping the last run: its elements are computed or copied twice,
/// rather than predicated), or \p element for 0 .. length - 1 when
/// \p length is below \p runLength.
Value forEachRun(
    OpBuilder &builder, Location loc, int64_t length, int64_t runLength,
    Value carried, function_ref<Value(OpBuilder &, Location, Value, Value)> run,
    function_ref<Value(OpBuilder &, Location, Value, Value)> element = {}) {
  DspBuilder dsp(builder, loc);
  if (length < runLength) {
    assert(element && "no run fits");
    for (int64_t index = 0; index < length; ++index)
      carried = element(builder, loc, dsp.index(index), carried);
    return carried;
  }
  carried = createCarriedLoop(
      builder, loc, length / runLength, carried,
      [&](OpBuilder &b, Location l, Value runIndex, Value value) {
        return run(b, l, mulIndex(b, l, runIndex, runLength), value);
      });
  if (length % runLength != 0)
    carried = run(builder, loc, dsp.index(length - runLength), carried);
  return carried;
}

/// \p input ([N, H, W, C] int8) padded by \p pad ([top, bottom, left,
/// right]) with \p zeroPoint, as one plane per image and channel: [N, C,
/// W', H'] when \p columnMajor (a column's pixels consecutive), else [N,
/// C, H', W']. The planes are filled with the zero point, then the input
/// copied in by runs of 8 pixels of a channel (4 where 8 do not fit): one
/// gather of their bytes (C or W * C apart; 16-bit offsets for 8) and one
/// store.
Value padIntoPlanes(OpBuilder &builder, Location loc, Value input,
                    ArrayRef<int64_t> pad, int32_t zeroPoint,
                    bool columnMajor) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t batch = type.getDimSize(0), height = type.getDimSize(1),
          width = type.getDimSize(2), channels = type.getDimSize(3);
  // Planes of `lines` lines of `length` pixels; the input's lines and
  // lengths, and the padding before each.
  int64_t lines = columnMajor ? width : height,
          length = columnMajor ? height : width;
  int64_t lineOffset = columnMajor ? pad[2] : pad[0],
          runOffset = columnMajor ? pad[0] : pad[2];
  int64_t paddedLines =
              lines + (columnMajor ? pad[2] + pad[3] : pad[0] + pad[1]),
          paddedLength =
              length + (columnMajor ? pad[0] + pad[1] : pad[2] + pad[3]);
  // Bytes between the pixels of a run in the input.
  int64_t runStride = columnMajor ? width * channels : channels;
  int64_t runLength = length >= 8 && 7 * runStride <= UINT16_MAX ? 8 : 4;
  Value planes = createZeroPointFill(
      builder, loc,
      ArrayRef<int64_t>{batch, channels, paddedLines, paddedLength},
      type.getElementType(), zeroPoint);
  auto inputAt = [&](OpBuilder &b, Location l, Value n, Value line,
                     Value position, Value channel) -> Value {
    Value y = columnMajor ? position : line, x = columnMajor ? line : position;
    return tensor::ExtractOp::create(b, l, input, ValueRange{n, y, x, channel});
  };
  return createCarriedLoop(
      builder, loc, batch, planes,
      [&](OpBuilder &b, Location l, Value n, Value planes) {
        return createCarriedLoop(
            b, l, channels, planes,
            [&](OpBuilder &b, Location l, Value channel, Value planes) {
              return createCarriedLoop(
                  b, l, lines, planes,
                  [&](OpBuilder &b, Location l, Value line, Value planes) {
                    Value target = addIndex(b, l, line, lineOffset);
                    auto copyRun = [&](OpBuilder &b, Location l, Value start,
                                       Value planes) -> Value {
                      // All the run's loads, then its stores: one gather
                      // and one store (tinyq-combine-byte-accesses).
                      SmallVector<Value> bytes;
                      for (int64_t lane = 0; lane < runLength; ++lane)
                        bytes.push_back(inputAt(b, l, n, line,
                                                addIndex(b, l, start, lane),
                                                channel));
                      for (auto [lane, byte] : llvm::enumerate(bytes))
                        planes = tensor::InsertOp::create(
                            b, l, byte, planes,
                            ValueRange{n, channel, target,
                                       addIndex(b, l, start,
                                                runOffset + int64_t(lane))});
                      return planes;
                    };
                    auto copyElement = [&](OpBuilder &b, Location l,
                                           Value position,
                                           Value planes) -> Value {
                      Value byte = inputAt(b, l, n, line, position, channel);
                      return tensor::InsertOp::create(
                          b, l, byte, planes,
                          ValueRange{n, channel, target,
                                     addIndex(b, l, position, runOffset)});
                    };
                    return forEachRun(b, l, length, runLength, planes, copyRun,
                                      copyElement);
                  });
            });
      });
}

/// Depthwise convolution on Helium with the 4 lanes of a vector on 4
/// output pixels of one channel: consecutive rows of a column when
/// \p alongColumns, else consecutive pixels of a row. \p planes is the
/// padded input as planes whose lines run the same way (padIntoPlanes), so
/// that each tap reads the lanes' 4 input bytes with one load (`vldrb.s32`,
/// consecutive bytes at stride 1, a gather otherwise) and adds their
/// products with the channel's weight, a scalar kept in a register for
/// all of the channel's pixels, with one `vmla`. Per channel, the weights
/// come from \p weights ([C, taps] int8) and the bias from \p bias; the
/// 4 requantized bytes go to the output ([N * OH * OW, C], returned) with
/// one scatter. The requantization must take vectors.
Value computeDepthwiseByPixelsMve(OpBuilder &builder, Location loc,
                                  Value planes, Value weights, Value bias,
                                  const ChannelRequantizer &requantize,
                                  const DepthwiseGeometry &g, bool alongColumns,
                                  Value init) {
  auto lanes = VectorType::get({kPixelLanes}, builder.getI32Type());
  int64_t channels = cast<RankedTensorType>(planes.getType()).getDimSize(1);
  int64_t along = alongColumns ? g.outputHeight : g.outputWidth,
          across = alongColumns ? g.outputWidth : g.outputHeight;
  // Strides and dilations along the lines of the planes, then across.
  int64_t alongDim = alongColumns ? 0 : 1, acrossDim = 1 - alongDim;
  int64_t outputLaneStride = alongColumns ? g.outputWidth : 1;
  return createCarriedLoop(
      builder, loc, channels, init,
      [&](OpBuilder &b, Location l, Value channel, Value acc) {
        // The channel's weights and bias, for all of its pixels.
        SmallVector<Value> tapWeights;
        for (int64_t tap = 0; tap < g.kernelHeight * g.kernelWidth; ++tap)
          tapWeights.push_back(vector::BroadcastOp::create(
              b, l, lanes,
              arith::ExtSIOp::create(
                  b, l, b.getI32Type(),
                  tensor::ExtractOp::create(
                      b, l, weights,
                      ValueRange{channel, DspBuilder(b, l).index(tap)}))));
        Value biasLanes = vector::BroadcastOp::create(
            b, l, lanes,
            tensor::ExtractOp::create(b, l, bias, ValueRange{channel}));
        return createCarriedLoop(
            b, l, g.batch, acc,
            [&](OpBuilder &b, Location l, Value n, Value acc) {
              return createCarriedLoop(
                  b, l, across, acc,
                  [&](OpBuilder &b, Location l, Value line, Value acc) {
                    auto computeTile = [&](OpBuilder &b, Location l,
                                           Value start, Value acc) -> Value {
                      Value sums = biasLanes;
                      Value firstLine =
                          mulIndex(b, l, line, g.stride[acrossDim]);
                      Value first = mulIndex(b, l, start, g.stride[alongDim]);
                      for (int64_t ky = 0; ky < g.kernelHeight; ++ky) {
                        for (int64_t kx = 0; kx < g.kernelWidth; ++kx) {
                          int64_t tapAlong = alongColumns ? ky : kx,
                                  tapAcross = alongColumns ? kx : ky;
                          Value inputLine =
                              addIndex(b, l, firstLine,
                                       tapAcross * g.dilation[acrossDim]);
                          // The lanes' bytes, which
                          // tinyq-combine-byte-accesses makes one load.
                          SmallVector<Value> bytes;
                          for (int64_t lane = 0; lane < kPixelLanes; ++lane)
                            bytes.push_back(tensor::ExtractOp::create(
                                b, l, planes,
                                ValueRange{
                                    n, channel, inputLine,
                                    addIndex(b, l, first,
                                             tapAlong * g.dilation[alongDim] +
                                                 lane * g.stride[alongDim])}));
                          Value input = arith::ExtSIOp::create(
                              b, l, lanes,
                              vector::FromElementsOp::create(
                                  b, l,
                                  VectorType::get({kPixelLanes}, b.getI8Type()),
                                  bytes));
                          sums = arith::AddIOp::create(
                              b, l, sums,
                              arith::MulIOp::create(
                                  b, l, input,
                                  tapWeights[ky * g.kernelWidth + kx]));
                        }
                      }
                      Value clamped = requantize.requantizeLanes(
                          b, l, sums, channel, /*stride=*/0);
                      Value y = alongColumns ? start : line,
                            x = alongColumns ? line : start;
                      Value outputRow = arith::AddIOp::create(
                          b, l,
                          mulIndex(
                              b, l,
                              arith::AddIOp::create(
                                  b, l, mulIndex(b, l, n, g.outputHeight), y),
                              g.outputWidth),
                          x);
                      // One scatter: the lanes' pixels, one channel.
                      return requantize.storeLanes(
                          b, l, clamped, channel, outputRow, acc,
                          /*rowStride=*/outputLaneStride,
                          /*columnStride=*/0);
                    };
                    return forEachRun(b, l, along, kPixelLanes, acc,
                                      computeTile);
                  });
            });
      });
}

/// tinyq.depthwise_conv2d with channel multiplier 1, C a multiple of 4,
/// int8 input and constant weights -> per output pixel and tile of 4
/// channels, each kernel tap (unrolled) loads one input word of the
/// tile's channels, unpacks it into (c0, c2) and (c1, c3), and multiplies
/// the halves with the tap's weights, laid out at compile time as the
/// halfword pairs (w[c0], w[c2]), (w[c1], w[c3]) (int4 weights too): one
/// `smlabb` or `smlatt` per product, no unpacking of weights. The input is
/// padded with its zero point and viewed as [N * H * W, C]; the tile's
/// accumulators start from the bias with the zero-point term folded in and
/// end requantized like the other DSP kernels. On Helium, layers whose
/// requantization takes vectors put output pixels in the lanes instead
/// (computeDepthwiseByPixelsMve) when a row or a column has 4 of them.
struct LowerDepthwiseToDsp : OpRewritePattern<DepthwiseConv2DOp> {
  LowerDepthwiseToDsp(MLIRContext *context, bool mve)
      : OpRewritePattern(context), mve(mve) {}

  LogicalResult matchAndRewrite(DepthwiseConv2DOp op,
                                PatternRewriter &rewriter) const override {
    auto inputType = op.getInput().getType();
    auto weightsType = op.getWeights().getType();
    auto outputType = op.getOutput().getType();
    int64_t channels = inputType.getDimSize(3);
    if (op.getSparqAttr())
      return rewriter.notifyMatchFailure(op, "SPARQ takes the generic path");
    if (inputType.getElementTypeBitWidth() != 8 ||
        weightsType.getDimSize(2) != channels || channels % 4 != 0)
      return rewriter.notifyMatchFailure(
          op, "not int8 input with a multiple of 4 channels, multiplier 1");
    int64_t kernelHeight = weightsType.getDimSize(0),
            kernelWidth = weightsType.getDimSize(1);
    int64_t taps = kernelHeight * kernelWidth;
    // The layout is the depthwise kernel's own (below); the layer gives the
    // requantization and the weights by channel.
    FailureOr<DspLayer> built = buildDspLayer(op, rewriter, WordLayout::Int16);
    if (failed(built))
      return failure();
    DspLayer layer = std::move(*built);
    // The weights tap by tap, as the tiles read them.
    std::optional<SmallVector<int8_t>> weights =
        getConstantWeights(op.getWeights());

    Location loc = op.getLoc();
    DspBuilder dsp(rewriter, loc);
    SmallVector<ReassociationIndices> pixelsAndChannels = {{0, 1, 2}, {3}};
    int64_t batch = outputType.getDimSize(0),
            outputHeight = outputType.getDimSize(1),
            outputWidth = outputType.getDimSize(2);
    ArrayRef<int64_t> stride = op.getStride(), dilation = op.getDilation();
    Value init = tensor::EmptyOp::create(
        rewriter, loc,
        ArrayRef<int64_t>{batch * outputHeight * outputWidth, channels},
        layer.outputElementType);
    DepthwiseGeometry geometry{batch,        outputHeight, outputWidth,
                               kernelHeight, kernelWidth,  stride,
                               dilation};
    std::optional<bool> alongColumns;
    if (mve && takesRequantizationVectors(layer))
      alongColumns = getPixelLanesAlongColumns(geometry);
    if (alongColumns) {
      Value planes =
          padIntoPlanes(rewriter, loc, op.getInput(), op.getPad(),
                        op.getInputZeroPoint(), /*columnMajor=*/*alongColumns);
      Value weightTable = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({channels, taps}, rewriter.getI8Type()),
              ArrayRef(layer.weights)));
      Value biasTable = dsp.wordTable(layer.bias);
      ChannelRequantizer requantize(rewriter, loc, layer);
      Value out = computeDepthwiseByPixelsMve(
          rewriter, loc, planes, weightTable, biasTable, requantize, geometry,
          *alongColumns, init);
      rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, outputType, out,
                                                         pixelsAndChannels);
      return success();
    }

    Value padded = padByWords(rewriter, loc, op.getInput(), op.getPad(),
                              op.getInputZeroPoint());
    auto paddedType = cast<RankedTensorType>(padded.getType());
    int64_t paddedHeight = paddedType.getDimSize(1),
            paddedWidth = paddedType.getDimSize(2);
    Value pixels = tensor::CollapseShapeOp::create(rewriter, loc, padded,
                                                   pixelsAndChannels);
    // Input pixel offsets of the taps from the window's first pixel.
    SmallVector<int64_t> tapOffsets;
    for (int64_t ky = 0; ky < kernelHeight; ++ky)
      for (int64_t kx = 0; kx < kernelWidth; ++kx)
        tapOffsets.push_back(ky * dilation[0] * paddedWidth + kx * dilation[1]);

    // Tile t, tap j: words 2 * (t * taps + j) and the next; with Helium,
    // the 4 weights as bytes in row t * taps + j.
    // Helium tiles of 8 channels when the requantization takes vectors.
    int64_t mveTile =
        channels % 8 == 0 && takesRequantizationVectors(layer) ? 8 : 4;
    // The DSP tiles' halfword weights and bias are doubled for the
    // right-shift form (as computeWithDsp's).
    bool doubleSums = !mve && layer.rightShiftOnly;
    int16_t factor = doubleSums ? 2 : 1;
    SmallVector<int32_t> words;
    SmallVector<int8_t> bytes;
    for (int64_t first = 0; first < channels; first += 4) {
      for (int64_t tap = 0; tap < taps; ++tap) {
        appendHalfwordPairs(words, weights->data() + tap * channels + first,
                            factor);
      }
    }
    for (int64_t first = 0; first < channels; first += mveTile) {
      for (int64_t tap = 0; tap < taps; ++tap) {
        const int8_t *w = weights->data() + tap * channels + first;
        bytes.append(w, w + mveTile);
      }
    }

    Value wordsConstant =
        mve ? arith::ConstantOp::create(
                  rewriter, loc,
                  DenseElementsAttr::get(
                      RankedTensorType::get(
                          {int64_t(bytes.size()) / mveTile, mveTile},
                          rewriter.getI8Type()),
                      ArrayRef(bytes)))
                  .getResult()
            : dsp.wordTable(words);
    // 8-channel Helium tiles read their even channels' parameters, then
    // their odd ones': the per-channel tables go in that order.
    if (mve && mveTile == 8) {
      auto evenThenOdd = [&](SmallVector<int32_t> &table) {
        if (int64_t(table.size()) != channels)
          return;
        SmallVector<int32_t> ordered(table.size());
        for (int64_t channel = 0; channel < channels; ++channel) {
          int64_t lane = channel % 8;
          ordered[channel - lane + (lane % 2) * 4 + lane / 2] = table[channel];
        }
        table = std::move(ordered);
      };
      evenThenOdd(layer.bias);
      evenThenOdd(layer.multipliers);
      evenThenOdd(layer.shifts);
    }
    ChannelRequantizer requantize(
        rewriter, loc, layer,
        {doubleSums, /*holdsBias=*/true, /*interleaved=*/!mve});

    auto add = [](OpBuilder &b, Location l, Value x, Value y) -> Value {
      return arith::AddIOp::create(b, l, x, y);
    };
    // One loop per output dimension, so that the window's first pixel is
    // an affine function of the induction variables.
    Value out = createCarriedLoop(
        rewriter, loc, batch, init,
        [&](OpBuilder &b, Location l, Value n, Value acc) {
          return createCarriedLoop(
              b, l, outputHeight, acc,
              [&](OpBuilder &b, Location l, Value y, Value acc) {
                return createCarriedLoop(
                    b, l, outputWidth, acc,
                    [&](OpBuilder &b, Location l, Value x, Value acc) {
                      Value imageRow = mulIndex(b, l, n, paddedHeight);
                      Value inputRow =
                          add(b, l, imageRow, mulIndex(b, l, y, stride[0]));
                      Value rowStart = mulIndex(b, l, inputRow, paddedWidth);
                      Value window =
                          add(b, l, rowStart, mulIndex(b, l, x, stride[1]));
                      Value outputRow =
                          add(b, l,
                              mulIndex(
                                  b, l,
                                  add(b, l, mulIndex(b, l, n, outputHeight), y),
                                  outputWidth),
                              x);
                      if (mve && mveTile == 8)
                        return createCarriedLoop(
                            b, l, channels / 8, acc,
                            [&](OpBuilder &b, Location l, Value tile,
                                Value acc) {
                              return computeDepthwiseTileMve8(
                                  b, l, pixels, window, outputRow, tile,
                                  tapOffsets, wordsConstant, requantize, acc);
                            });
                      return createCarriedLoop(
                          b, l, channels / 4, acc,
                          [&](OpBuilder &b, Location l, Value tile, Value acc) {
                            if (mve)
                              return computeDepthwiseTileMve(
                                  b, l, pixels, window, outputRow, tile,
                                  tapOffsets, wordsConstant, requantize, acc);
                            return computeDepthwiseTile(
                                b, l, pixels, window, outputRow, tile,
                                tapOffsets, wordsConstant, requantize, acc);
                          });
                    });
              });
        });
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, outputType, out,
                                                       pixelsAndChannels);
    return success();
  }

  bool mve;
};

struct LowerCortexMPass : tinyq::impl::TinyQLowerCortexMBase<LowerCortexMPass> {
  using Base::Base;

  void runOnOperation() override {
    // Other targets (and none) keep the layers for the portable lowering.
    TargetAttr target = TargetAttr::lookup(getOperation());
    if (!hasDspExtension(target))
      return;
    RewritePatternSet patterns(&getContext());
    populateLowerCortexMPatterns(patterns, unpackedWeightsLimit,
                                 hasHelium(target), skipZeroActivations,
                                 twoOfFourWeights);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace

void tinyq::populateLowerCortexMPatterns(RewritePatternSet &patterns,
                                         int64_t unpackedWeightsLimit, bool mve,
                                         bool skipZeroActivations,
                                         bool twoOfFourWeights) {
  patterns.add<LowerFullyConnectedToDsp, LowerConvolutionToDsp>(
      patterns.getContext(),
      ArmKernelOptions{unpackedWeightsLimit, mve, skipZeroActivations,
                       twoOfFourWeights});
  patterns.add<LowerDepthwiseToDsp>(patterns.getContext(), mve);
}
