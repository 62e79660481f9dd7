//===- FixedPoint.h - TFLite-style integer requantization -------*- C++ -*-===//
//
// Requantization rescales an int32 accumulator by a real factor using only
// 32-bit integer operations: the factor is a Q0.31 multiplier and a power of
// two, applied as a saturating rounding doubling high multiply followed by a
// rounding right shift. This is the rule of TFLite's reference kernels and
// CMSIS-NN (double rounding), so TinyQ's kernels are bit-exact with them.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_NUMERICS_FIXEDPOINT_H
#define TINYQ_NUMERICS_FIXEDPOINT_H

#include <cstdint>

namespace tinyq::numerics {

/// A real factor ~= multiplier * 2^(shift - 31). multiplier is 0 or in
/// [2^30, 2^31 - 1]; shift is in [-31, 30].
struct QuantizedMultiplier {
  int32_t multiplier;
  int32_t shift;
};

/// Smallest and largest shift a QuantizedMultiplier may carry.
constexpr int32_t kMinMultiplierShift = -31;
constexpr int32_t kMaxMultiplierShift = 30;

/// Encodes a finite real factor >= 0. The mantissa is rounded ties away from
/// zero (as TFLite's QuantizeMultiplier does); factors too small to be
/// represented become 0, and factors >= 2^30 saturate.
QuantizedMultiplier quantizeMultiplier(double realMultiplier);

/// The real factor \p m encodes.
double dequantizeMultiplier(QuantizedMultiplier m);

/// round(a * b / 2^31) with ties toward +infinity, saturating the single
/// overflowing case INT32_MIN * INT32_MIN to INT32_MAX.
int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b);

/// round(x / 2^exponent) with ties away from zero; \p exponent in [0, 31].
int32_t roundingDivideByPowerOfTwo(int32_t x, int32_t exponent);

/// x * m. A positive shift is applied first as a left shift that saturates to
/// the int32 range (TFLite leaves that overflow undefined), then the high
/// multiply, then a rounding right shift for a negative shift.
int32_t multiplyByQuantizedMultiplier(int32_t x, QuantizedMultiplier m);

/// Whether multiplyByRightShiftMultiplier computes x * m for every |x| <
/// 2^30: m is a right shift (shift in [-31, -1]) of a non-negative
/// multiplier.
bool isRightShiftMultiplier(QuantizedMultiplier m);

/// multiplyByQuantizedMultiplier(x, m) for |x| < 2^30 and a right-shift
/// multiplier, the way 32-bit code with a rounding high multiply (Arm's
/// `smmulr`) computes it in a few instructions: h = (2x * m + 2^31) >> 32
/// is the rounding doubling high multiply, and with t = h - 1 for negative
/// h (else h), ((t >> (-shift - 1)) + 1) >> 1 rounds h / 2^-shift half away
/// from zero. No step overflows.
int32_t multiplyByRightShiftMultiplier(int32_t x, QuantizedMultiplier m);

/// multiplyByRightShiftMultiplier without the sign correction t: h / 2^-shift
/// rounded half up, two instructions less. It differs only where x < 0, and
/// there both are <= 0.
int32_t multiplyByRightShiftMultiplierHalfUp(int32_t x, QuantizedMultiplier m);

/// Whether requantize's clamp maps every scaled value <= 0 to clampMin (a
/// fused ReLU: clampMin >= outputZeroPoint), so that with a right-shift
/// multiplier multiplyByRightShiftMultiplierHalfUp gives the same outputs.
bool clampHidesNegativeRounding(int32_t outputZeroPoint, int32_t clampMin);

/// clamp(x * m + outputZeroPoint, clampMin, clampMax), evaluated as
/// clamp(x * m, clampMin - z, clampMax - z) + z so that no intermediate leaves
/// 32 bits. Requires clampMin <= clampMax and both within 16 bits of range.
int32_t requantize(int32_t x, QuantizedMultiplier m, int32_t outputZeroPoint,
                   int32_t clampMin, int32_t clampMax);

} // namespace tinyq::numerics

#endif // TINYQ_NUMERICS_FIXEDPOINT_H
