//===- WeightLayouts.h - Cortex-M kernels' constant tables ------*- C++ -*-===//
//
// How the Cortex-M kernels lay out their compile-time constants (weights,
// per-channel parameters) in the order their loops read them. Plain C++ on
// integer vectors, independent of MLIR, so that each layout is unit-tested
// against what `sxtb16`, `smlad` and Helium's `vmlava` do with it.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_TARGET_CORTEXM_WEIGHTLAYOUTS_H
#define TINYQ_TARGET_CORTEXM_WEIGHTLAYOUTS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <iterator>
#include <utility>

namespace tinyq::cortexm {

using llvm::ArrayRef;
using llvm::SmallVector;
using llvm::SmallVectorImpl;

/// Output channels accumulated together: each input word is loaded and
/// unpacked once for all of them.
constexpr int64_t kChannelTile = 4;

/// Bytes of a Helium (MVE) vector register.
constexpr int64_t kMveBytes = 16;

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

/// The name of \p layout, as debug output prints it: int8, int16, int4,
/// int4-halves, mve-bytes.
const char *getWordLayoutName(WordLayout layout);

/// Whether \p layout holds int4 weights, and the factor its products carry.
int64_t getProductScale(WordLayout layout);

/// The word of int16 halves \p low and \p high, as `smlad` and `smlabb` /
/// `smlatt` read it.
int32_t packHalves(int16_t low, int16_t high);

/// Appends 4 weights \p w, times \p factor, as the halfword pairs
/// (w0, w2), (w1, w3) that sxtb16(x) and sxtb16(x ror 8) meet.
void appendHalfwordPairs(SmallVectorImpl<int32_t> &words, const int8_t *w,
                         int16_t factor);

/// Weights of a channel one reduction step consumes.
int64_t getWeightsPerStep(WordLayout layout);

/// Words of a channel one reduction step reads.
int64_t getWordsPerStep(WordLayout layout);

/// The weights of \p channels output channels from \p first, \p depth
/// each, as words in loop order: step s of the reduction, then channel.
/// Int16 halves hold \p factor times the weights.
SmallVector<int32_t> packWeightWords(ArrayRef<int8_t> weights, int64_t depth,
                                     int64_t first, int64_t channels,
                                     WordLayout layout, int16_t factor = 1);

/// How \p outputs channels split into register tiles: tiles of
/// \p wideTile channels from channel 0, then tiles of kChannelTile, then
/// single channels. Each tile's weights follow the previous tile's, so
/// channel c's tile starts at word c * (words per channel).
struct ChannelTiling {
  ChannelTiling(int64_t outputs, int64_t wideTile);

  /// The width of the tile that starts at channel \p first.
  int64_t getWidth(int64_t first) const;

  int64_t outputs, wideTile;
  /// Where the wide tiles end, and the tiles of kChannelTile.
  int64_t wideEnd, tiledEnd;
};

/// The weights of all \p tiling's tiles in \p layout (packWeightWords),
/// tile after tile; Int16 halves hold \p factor times the weights.
SmallVector<int32_t> packTiledWeightWords(ArrayRef<int8_t> weights,
                                          int64_t depth,
                                          const ChannelTiling &tiling,
                                          WordLayout layout, int16_t factor);

/// The words a register tile's requantization constants take when read
/// from one table, tile-major: per tile of kChannelTile channels, their
/// biases, then (with per-channel requantization) their multipliers, then
/// their shifts; a last partial tile is padded with zeros. One tile's
/// constants are then at fixed offsets from one address.
SmallVector<int32_t> packTileMajorParameters(ArrayRef<int32_t> bias,
                                             ArrayRef<int32_t> multipliers,
                                             ArrayRef<int32_t> shifts);

/// The words per tile of packTileMajorParameters: kChannelTile, three times
/// that with per-channel multipliers and shifts.
int64_t getTileMajorStride(bool perChannel);

/// The int8 weights of \p outputs channels of \p depth values
/// (channel-major) as columns for the kernel that skips zero activations:
/// per tile of kChannelTile channels and input k, one word whose byte i is
/// channel i's weight of input k (0 past the last channel).
SmallVector<int32_t> packColumnWords(ArrayRef<int8_t> weights, int64_t outputs,
                                     int64_t depth);

/// \p foldedBias (bias - z * sum of a channel's weights) with the
/// input zero-point term \p inputZeroPoint taken back out, in int32's
/// wrapping arithmetic as the kernels' sums: for products of (x - z).
SmallVector<int32_t> unfoldInputZeroPoint(ArrayRef<int32_t> foldedBias,
                                          ArrayRef<int8_t> weights,
                                          int64_t depth,
                                          int32_t inputZeroPoint);

/// The input pairs of a group of 4 consecutive inputs, as the words
/// (x[first], x[second]) of halfwords the 2:4 kernel reads: index 0 and 1
/// are what sxtb16 gives, the others are packed from those.
constexpr std::pair<int64_t, int64_t> kGroupPairs[] = {{0, 2}, {1, 3}, {0, 1},
                                                       {2, 3}, {0, 3}, {1, 2}};
constexpr int64_t kGroupPairCount = std::size(kGroupPairs);

/// Whether every group of 4 consecutive weights along each channel's
/// \p depth values has at most 2 non-zero (2:4 sparsity).
bool isTwoOfFourSparse(ArrayRef<int8_t> weights, int64_t depth);

/// 2:4-sparse weights (isTwoOfFourSparse) of \p outputs channels as the
/// 2:4 kernel's stream of word pairs, in loop order (tile of kChannelTile
/// channels, group of 4 inputs, channel): the halfword pair of the group's
/// two weights that may be non-zero, and the index of the input pair that
/// meets them (group * kGroupPairCount + index in kGroupPairs). Channels
/// past the last one have zero weights.
SmallVector<int32_t> packTwoOfFourStream(ArrayRef<int8_t> weights,
                                         int64_t outputs, int64_t depth);

/// A depthwise layer's weights (\p channels rows of \p taps,
/// channel-major) for the DSP tiles: per tile of 4 channels c0..c3 and
/// tap, the halfword pairs (w[c0], w[c2]) and (w[c1], w[c3]), times
/// \p factor, which `smlabb` / `smlatt` take with the input's (c0, c2),
/// (c1, c3).
SmallVector<int32_t> packDepthwiseHalfwords(ArrayRef<int8_t> weights,
                                            int64_t channels, int64_t taps,
                                            int16_t factor);

/// The same weights for the Helium tiles of \p tile channels: per tile and
/// tap, the tile's weights as bytes (one row of \p tile bytes).
SmallVector<int8_t> packDepthwiseBytes(ArrayRef<int8_t> weights,
                                       int64_t channels, int64_t taps,
                                       int64_t tile);

/// \p table (one entry per channel, a multiple of 8) with each 8 channels'
/// even ones first, then their odd ones: the order the 8-channel Helium
/// depthwise tiles read their per-channel constants in.
SmallVector<int32_t> orderEvenThenOdd(ArrayRef<int32_t> table);

} // namespace tinyq::cortexm

#endif // TINYQ_TARGET_CORTEXM_WEIGHTLAYOUTS_H
