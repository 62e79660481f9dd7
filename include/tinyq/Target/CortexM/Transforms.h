//===- Transforms.h - Cortex-M pattern families -----------------*- C++ -*-===//
//
// The rewrite patterns of the Cortex-M back end, for passes, pipelines and
// tests to compose.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_TARGET_CORTEXM_TRANSFORMS_H
#define TINYQ_TARGET_CORTEXM_TRANSFORMS_H

#include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.h"

#include "mlir/IR/PatternMatch.h"

#include <cstdint>

namespace tinyq {

/// Whether \p target (null: none) is an Arm core with the DSP extension,
/// whose kernels tinyq-lower-cortex-m emits.
inline bool hasDspExtension(TargetAttr target) {
  return target && target.hasFeature("+dsp");
}

/// Whether \p target (null: none) has Helium (M-profile vector extension).
inline bool hasHelium(TargetAttr target) {
  return target && target.hasFeature("+mve");
}

/// Patterns of tinyq-lower-cortex-m; int8 layers whose weights take at most
/// \p unpackedWeightsLimit bytes as int16 halves store them so; with
/// \p mve, reductions of whole 16-byte vectors use Helium dot products;
/// with \p skipZeroActivations, fully connected and pointwise layers skip
/// the products of zero activations; with \p twoOfFourWeights, those with
/// 2:4-sparse int8 weights multiply only the non-zero ones.
void populateLowerCortexMPatterns(mlir::RewritePatternSet &patterns,
                                  int64_t unpackedWeightsLimit, bool mve,
                                  bool skipZeroActivations = false,
                                  bool twoOfFourWeights = true);

/// Four byte loads or-ed into a little-endian word, or a vector of
/// consecutive loads -> one vector.load (loads at other constant distances
/// -> one vector.gather); a word's four bytes stored at consecutive places
/// -> one vector.store (a vector's at other distances -> vector.scatter).
void populateCombineByteAccessesPatterns(mlir::RewritePatternSet &patterns);

/// LLVM masked gathers and scatters of 4 bytes at a base plus i32 offsets
/// -> the Helium intrinsics in 32-bit lanes.
void populateLowerMveGathersPatterns(mlir::RewritePatternSet &patterns);

} // namespace tinyq

#endif // TINYQ_TARGET_CORTEXM_TRANSFORMS_H
