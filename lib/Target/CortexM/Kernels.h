//===- Kernels.h - The Cortex-M kernel families -----------------*- C++ -*-===//
//
// The options of the Cortex-M lowering, the pattern families of its kernels,
// and the kernels the dense family hands whole rows to (sparse activations,
// 2:4-sparse weights).
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_LIB_TARGET_CORTEXM_KERNELS_H
#define TINYQ_LIB_TARGET_CORTEXM_KERNELS_H

#include "ChannelRequantizer.h"

#include "mlir/IR/PatternMatch.h"

namespace tinyq::cortexm {

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

/// Whether \p layer, whose inputs are whole rows of \p depth values, runs
/// computeSkippingZeros: when asked to, except where Helium dot products
/// apply (16 products per instruction, which skipping does not beat), and
/// its entries hold k in 16 bits.
bool skipsZeroActivations(const DspLayer &layer, int64_t depth,
                          const ArmKernelOptions &options);

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
                           int64_t outputs, int64_t depth);

/// Whether \p layer, whose inputs are whole rows of \p depth values, runs
/// computeWithTwoOfFour: its weights are 2:4 sparse, their stream (2 bytes
/// per weight, as int16 weights take) fits the unpacked-weights limit,
/// and Helium dot products do not apply (they do 16 products per
/// instruction).
bool takesTwoOfFour(const DspLayer &layer, int64_t depth,
                    const ArmKernelOptions &options);

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
                           int64_t outputs, int64_t depth);

/// Starts a line of tinyq-lower-cortex-m's debug output about \p op: the
/// pass, the op's name and its location.
llvm::raw_ostream &debugLayer(mlir::Operation *op);

/// Fully connected layers and convolutions -> the dense DSP and Helium
/// kernels (or, for whole rows, the sparse ones above).
void populateDensePatterns(mlir::RewritePatternSet &patterns,
                           const ArmKernelOptions &options);

/// Depthwise convolutions -> the DSP and Helium depthwise kernels.
void populateDepthwisePatterns(mlir::RewritePatternSet &patterns, bool mve);

} // namespace tinyq::cortexm

#endif // TINYQ_LIB_TARGET_CORTEXM_KERNELS_H
