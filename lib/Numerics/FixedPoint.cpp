//===- FixedPoint.cpp - TFLite-style integer requantization ---------------===//

#include "tinyq/Numerics/FixedPoint.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

using namespace tinyq::numerics;

static constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
static constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

QuantizedMultiplier tinyq::numerics::quantizeMultiplier(double realMultiplier) {
  assert(std::isfinite(realMultiplier) && realMultiplier >= 0 &&
         "multiplier must be finite and non-negative");
  if (realMultiplier == 0)
    return {0, 0};
  int exponent = 0;
  double mantissa = std::frexp(realMultiplier, &exponent); // in [0.5, 1)
  int64_t fixed = std::llround(mantissa * double(int64_t(1) << 31));
  if (fixed == (int64_t(1) << 31)) {
    fixed /= 2;
    ++exponent;
  }
  // Below 2^-32 every product rounds to zero; represent that directly rather
  // than with a right shift of more than 31 bits.
  if (exponent < kMinMultiplierShift)
    return {0, 0};
  if (exponent > kMaxMultiplierShift)
    return {static_cast<int32_t>(kInt32Max), kMaxMultiplierShift};
  return {static_cast<int32_t>(fixed), exponent};
}

double tinyq::numerics::dequantizeMultiplier(QuantizedMultiplier m) {
  return std::ldexp(double(m.multiplier), m.shift - 31);
}

int32_t tinyq::numerics::saturatingRoundingDoublingHighMul(int32_t a,
                                                           int32_t b) {
  if (a == b && a == kInt32Min)
    return static_cast<int32_t>(kInt32Max);
  int64_t product = int64_t(a) * int64_t(b);
  // The nudge makes truncating division round to nearest; for negative
  // products it is 1 - 2^30, which sends ties toward +infinity.
  int64_t nudge = product >= 0 ? (int64_t(1) << 30) : (1 - (int64_t(1) << 30));
  return static_cast<int32_t>((product + nudge) / (int64_t(1) << 31));
}

int32_t tinyq::numerics::roundingDivideByPowerOfTwo(int32_t x,
                                                    int32_t exponent) {
  assert(exponent >= 0 && exponent <= 31 && "exponent out of range");
  int64_t mask = (int64_t(1) << exponent) - 1;
  int64_t remainder = int64_t(x) & mask;
  int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  int64_t quotient = int64_t(x) >> exponent; // floor division
  return static_cast<int32_t>(quotient + (remainder > threshold ? 1 : 0));
}

int32_t tinyq::numerics::multiplyByQuantizedMultiplier(int32_t x,
                                                       QuantizedMultiplier m) {
  assert(m.shift >= kMinMultiplierShift && m.shift <= kMaxMultiplierShift &&
         "shift out of range");
  int32_t leftShift = m.shift > 0 ? m.shift : 0;
  int32_t rightShift = m.shift > 0 ? 0 : -m.shift;
  int64_t shifted =
      std::clamp(int64_t(x) * (int64_t(1) << leftShift), kInt32Min, kInt32Max);
  return roundingDivideByPowerOfTwo(
      saturatingRoundingDoublingHighMul(static_cast<int32_t>(shifted),
                                        m.multiplier),
      rightShift);
}

bool tinyq::numerics::isRightShiftMultiplier(QuantizedMultiplier m) {
  return m.multiplier >= 0 && m.shift >= -31 && m.shift <= -1;
}

/// The rounding doubling high word (2x * m + 2^31) >> 32 of the right-shift
/// forms.
static int32_t roundingDoublingHighWord(int32_t x, QuantizedMultiplier m) {
  assert(tinyq::numerics::isRightShiftMultiplier(m) &&
         "not a right-shift multiplier");
  assert(x > -(int32_t(1) << 30) && x < (int32_t(1) << 30) &&
         "accumulator out of range");
  int64_t doubledProduct = int64_t(2 * x) * m.multiplier;
  return static_cast<int32_t>((doubledProduct + (int64_t(1) << 31)) >> 32);
}

int32_t tinyq::numerics::multiplyByRightShiftMultiplier(int32_t x,
                                                        QuantizedMultiplier m) {
  int32_t high = roundingDoublingHighWord(x, m);
  int32_t biased = high + (high >> 31);
  return ((biased >> (-m.shift - 1)) + 1) >> 1;
}

int32_t
tinyq::numerics::multiplyByRightShiftMultiplierHalfUp(int32_t x,
                                                      QuantizedMultiplier m) {
  return ((roundingDoublingHighWord(x, m) >> (-m.shift - 1)) + 1) >> 1;
}

bool tinyq::numerics::clampHidesNegativeRounding(int32_t outputZeroPoint,
                                                 int32_t clampMin) {
  return clampMin >= outputZeroPoint;
}

int32_t tinyq::numerics::requantize(int32_t x, QuantizedMultiplier m,
                                    int32_t outputZeroPoint, int32_t clampMin,
                                    int32_t clampMax) {
  assert(clampMin <= clampMax && "empty clamp range");
  int32_t scaled = multiplyByQuantizedMultiplier(x, m);
  return std::clamp(scaled, clampMin - outputZeroPoint,
                    clampMax - outputZeroPoint) +
         outputZeroPoint;
}
