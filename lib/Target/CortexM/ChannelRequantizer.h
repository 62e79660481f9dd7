//===- ChannelRequantizer.h - A layer's requantization ----------*- C++ -*-===//
//
// What the Cortex-M kernels know of an integer layer (DspLayer) and how
// they requantize its accumulators into output bytes, scalar or in Helium
// vectors (ChannelRequantizer).
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_LIB_TARGET_CORTEXM_CHANNELREQUANTIZER_H
#define TINYQ_LIB_TARGET_CORTEXM_CHANNELREQUANTIZER_H

#include "CortexMBuilder.h"
#include "tinyq/Target/CortexM/WeightLayouts.h"

namespace tinyq::cortexm {

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
bool takesRightShiftRequantization(const DspLayer &layer, int64_t depth);

/// Whether \p layer's right-shift requantization may round as
/// numerics::multiplyByRightShiftMultiplierHalfUp: its clamp hides how
/// negative accumulators round (numerics::clampHidesNegativeRounding).
bool clampsNonPositive(const DspLayer &layer);

/// Whether the Helium requantization (ChannelRequantizer::requantizeLanes)
/// takes \p layer's accumulators: the right-shift form into int8.
bool takesRequantizationVectors(const DspLayer &layer);

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
                     const RequantizerOptions &options = {});

  /// The starting sum (RequantizerOptions::holdsBias) of channel
  /// first + lane;
  /// \p aligned: \p first is a multiple of 4.
  Value bias(OpBuilder &b, Location loc, Value first, int64_t lane,
             bool aligned) const;

  /// The starting sums (RequantizerOptions::holdsBias) of channels
  /// first .. first + 3 as a vector.
  Value biasVector(OpBuilder &b, Location loc, Value first) const;

  /// The output element of accumulator \p acc of channel first + lane;
  /// \p aligned: \p first is a multiple of 4.
  Value operator()(OpBuilder &b, Location loc, Value acc, Value first,
                   int64_t lane, bool aligned) const;

  /// operator()'s output element, still in an i32.
  Value requantizeToInt32(OpBuilder &b, Location loc, Value acc, Value first,
                          int64_t lane, bool aligned) const;

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
                         Value row, Value outputs) const;

  /// The requantized accumulators \p acc (vector<4xi32>) of channels
  /// first, first + stride, ... (all of channel first for stride 0),
  /// clamped, still in 32-bit lanes:
  /// numerics::multiplyByRightShiftMultiplier in Helium vectors, where
  /// `vqrdmulh` is its high word h = round(2 * acc * m / 2^32), and
  /// `vrshl` by the (negative) shift rounds h - (h < 0) half up, which is
  /// h rounded half away from zero, with no intermediate overflow (h
  /// itself where the clamp hides how h <= 0 rounds: clampsNonPositive).
  Value requantizeLanes(OpBuilder &b, Location loc, Value acc, Value first,
                        int64_t stride) const;

  /// \p outputs with lane i of \p clamped, as a byte, at [row + i *
  /// rowStride, first + i * columnStride] (by default [row, first ..)),
  /// stored lane by lane, which tinyq-combine-byte-accesses makes one
  /// truncating vector store (consecutive bytes) or scatter.
  Value storeLanes(OpBuilder &b, Location loc, Value clamped, Value first,
                   Value row, Value outputs, int64_t rowStride = 0,
                   int64_t columnStride = 1) const;

private:
  /// Entry \p kind (0: bias, 1: multiplier, 2: shift) of channel
  /// first + lane in the interleaved table: from an aligned \p first, at a
  /// constant offset from first * (tileStride / 4).
  Value tileEntry(OpBuilder &b, Location loc, int64_t kind, Value first,
                  int64_t lane, bool aligned) const;

  /// A requantization parameter: \p value for all channels (per-tensor)
  /// or \p table's entry for \p channel; with \p lanes > 0, a vector of
  /// the entries of channels channel, channel + stride, ...
  Value parameter(OpBuilder &b, Location loc, Value table, int32_t value,
                  Value channel, int64_t lanes, int64_t stride = 1) const;

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
    function_ref<Value(Value sum, size_t index)> finish = {});

/// The DspLayer of integer layer \p op whose kernel reads its weights in
/// \p layout: the weights by output channel, each channel's reduction row
/// in order; the bias with the input zero point folded in; the
/// requantization. Fails unless weights and bias are constants.
FailureOr<DspLayer> buildDspLayer(IntegerLayerOpInterface op,
                                  PatternRewriter &rewriter, WordLayout layout);

} // namespace tinyq::cortexm

#endif // TINYQ_LIB_TARGET_CORTEXM_CHANNELREQUANTIZER_H
