//===- Sparq.h - Sparsity-aware activation quantization ---------*- C++ -*-===//
//
// SPARQ (Shomron et al., 2021) keeps an n-bit window of an 8-bit activation
// magnitude, placed at one of a set of allowed shifts so that it starts at the
// leading one (bSPARQ), and gives a value the full budget of a pair when its
// partner is zero (vSPARQ). These are TinyQ's exact rules; generated code must
// match them bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_NUMERICS_SPARQ_H
#define TINYQ_NUMERICS_SPARQ_H

#include "tinyq/Numerics/Span.h"

#include <cstdint>
#include <string>

namespace tinyq::numerics {

enum class SparqRounding {
  /// Clear the bits below the window.
  Truncate,
  /// Round at the window's lowest bit, ties to even; a carry out of the
  /// window saturates to the window's all-ones value.
  NearestEven,
};

struct SparqConfig {
  /// Window width n in [2, 6].
  unsigned windowBits;
  /// Bit s set when shift s (the window's lowest bit) is allowed.
  uint8_t shiftMask;
  SparqRounding rounding;
  /// vSPARQ: adjacent pairs (0,1), (2,3), ... share a 2n-bit budget.
  bool pairs;
};

/// Smallest and largest window widths.
constexpr unsigned kMinSparqWindowBits = 2;
constexpr unsigned kMaxSparqWindowBits = 6;

/// Returns an empty string when \p shifts (in the order given) is a valid
/// shift set for windows of \p windowBits bits, otherwise a description of
/// the first problem: a width outside [2, 6], an empty set, a negative,
/// unsorted or duplicate shift, a window that passes bit 7, or a set whose
/// largest window does not reach bit 7.
std::string verifySparqShifts(unsigned windowBits, Span<const int64_t> shifts);

/// The mask of \p shifts; they must pass verifySparqShifts.
uint8_t sparqShiftMask(Span<const int64_t> shifts);

/// The magnitude SPARQ codes for a stored activation \p value with
/// \p zeroPoint: value - zeroPoint, clamped to [0, 255] (a value below the
/// zero point, which a post-ReLU activation never has, counts as 0).
inline uint8_t sparqMagnitude(int64_t value, int64_t zeroPoint) {
  int64_t magnitude = value - zeroPoint;
  return static_cast<uint8_t>(magnitude < 0     ? 0
                              : magnitude > 255 ? 255
                                                : magnitude);
}

/// bSPARQ of one magnitude with a window of \p windowBits bits.
uint8_t applyBitSparq(uint8_t magnitude, unsigned windowBits, uint8_t shiftMask,
                      SparqRounding rounding);

/// bSPARQ with \p config's window (its pairs flag is ignored).
uint8_t applyBitSparq(uint8_t magnitude, const SparqConfig &config);

/// vSPARQ of one pair: when one member is zero, the other goes through the
/// doubled 2n-bit window (every shift allowed), or stays whole when 2n >= 8;
/// otherwise both go through bSPARQ.
void applyPairSparq(uint8_t &first, uint8_t &second, const SparqConfig &config);

/// Applies \p config to a row of magnitudes in place: in pairs (0,1), (2,3),
/// ... when config.pairs is set (an odd last element pairs with a virtual
/// zero), elementwise otherwise.
void applySparq(Span<uint8_t> row, const SparqConfig &config);

/// SPARQ on stored integers, as tinyq.sparq defines it: the magnitudes
/// clamp(v - zeroPoint, 0, 255) of each row of \p rowLength consecutive
/// values go through applySparq; each result is the magnitude plus
/// \p zeroPoint, saturated to [storageMin, storageMax].
void applySparqToStorage(Span<int64_t> values, size_t rowLength,
                         int64_t zeroPoint, int64_t storageMin,
                         int64_t storageMax, const SparqConfig &config);

} // namespace tinyq::numerics

#endif // TINYQ_NUMERICS_SPARQ_H
