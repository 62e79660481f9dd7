//===- FixedPointTest.cpp - TFLite-style integer requantization -----------===//
//
// Each operation is checked against an exact formulation in 128-bit integer
// arithmetic written independently of the implementation's nudge-and-mask
// style.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Numerics/FixedPoint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace tinyq::numerics;

using Int128 = __int128;
static constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
static constexpr int32_t kMax = std::numeric_limits<int32_t>::max();

/// floor(n / d) for d > 0.
static Int128 floorDiv(Int128 n, Int128 d) {
  Int128 q = n / d;
  return (n % d != 0 && n < 0) ? q - 1 : q;
}

/// round(a * b / 2^31), ties toward +infinity, saturated to int32.
static int64_t exactDoublingHighMul(int32_t a, int32_t b) {
  Int128 product = Int128(a) * Int128(b);
  Int128 rounded = floorDiv(product + (Int128(1) << 30), Int128(1) << 31);
  return int64_t(std::min<Int128>(std::max<Int128>(rounded, kMin), kMax));
}

/// round(x / 2^e), ties away from zero.
static int64_t exactDivideByPowerOfTwo(int64_t x, int e) {
  if (e == 0)
    return x;
  Int128 magnitude = x < 0 ? -Int128(x) : Int128(x);
  Int128 rounded = (magnitude + (Int128(1) << (e - 1))) >> e;
  return int64_t(x < 0 ? -rounded : rounded);
}

static int64_t exactMultiply(int32_t x, QuantizedMultiplier m) {
  int leftShift = std::max(m.shift, 0), rightShift = std::max(-m.shift, 0);
  Int128 shifted = Int128(x) << leftShift;
  shifted = std::min<Int128>(std::max<Int128>(shifted, kMin), kMax);
  return exactDivideByPowerOfTwo(
      exactDoublingHighMul(int32_t(shifted), m.multiplier), rightShift);
}

static std::vector<int32_t> edgeValues() {
  return {kMin,
          kMin + 1,
          -(1 << 30) - 1,
          -(1 << 30),
          -65536,
          -257,
          -256,
          -129,
          -128,
          -2,
          -1,
          0,
          1,
          2,
          127,
          128,
          255,
          65535,
          1 << 30,
          (1 << 30) + 1,
          kMax - 1,
          kMax};
}

TEST(FixedPoint, DoublingHighMulSaturatesTheOneOverflow) {
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kMin, kMin), kMax);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kMin, kMax), -kMax);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kMax, kMax), kMax - 1);
}

TEST(FixedPoint, DoublingHighMulTiesGoUp) {
  // 2^30 * 1 / 2^31 = 0.5 -> 1; -0.5 -> 0; -1.5 -> -1.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(1 << 30, 1), 1);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-(1 << 30), 1), 0);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-(1 << 30), 3), -1);
}

TEST(FixedPoint, DoublingHighMulMatchesExactArithmetic) {
  std::vector<int32_t> edges = edgeValues();
  for (int32_t a : edges)
    for (int32_t b : edges)
      ASSERT_EQ(saturatingRoundingDoublingHighMul(a, b),
                exactDoublingHighMul(a, b))
          << a << " * " << b;
  std::mt19937 rng(99);
  std::uniform_int_distribution<int32_t> any(kMin, kMax);
  for (int i = 0; i < 1000000; ++i) {
    int32_t a = any(rng), b = any(rng);
    ASSERT_EQ(saturatingRoundingDoublingHighMul(a, b),
              exactDoublingHighMul(a, b))
        << a << " * " << b;
  }
}

TEST(FixedPoint, RoundingDivideMatchesExactArithmetic) {
  EXPECT_EQ(roundingDivideByPowerOfTwo(5, 1), 3);   // 2.5 -> 3
  EXPECT_EQ(roundingDivideByPowerOfTwo(-5, 1), -3); // -2.5 -> -3
  EXPECT_EQ(roundingDivideByPowerOfTwo(kMin, 31), -1);
  EXPECT_EQ(roundingDivideByPowerOfTwo(kMax, 31), 1);
  std::mt19937 rng(5);
  std::uniform_int_distribution<int32_t> any(kMin, kMax);
  for (int exponent = 0; exponent <= 31; ++exponent) {
    for (int32_t x : edgeValues())
      ASSERT_EQ(roundingDivideByPowerOfTwo(x, exponent),
                exactDivideByPowerOfTwo(x, exponent))
          << x << " >> " << exponent;
    for (int i = 0; i < 20000; ++i) {
      int32_t x = any(rng);
      ASSERT_EQ(roundingDivideByPowerOfTwo(x, exponent),
                exactDivideByPowerOfTwo(x, exponent))
          << x << " >> " << exponent;
    }
  }
}

TEST(FixedPoint, QuantizeMultiplierGoldenValues) {
  auto check = [](double real, int32_t multiplier, int32_t shift) {
    QuantizedMultiplier m = quantizeMultiplier(real);
    EXPECT_EQ(m.multiplier, multiplier) << real;
    EXPECT_EQ(m.shift, shift) << real;
  };
  check(0.0, 0, 0);
  check(0.5, 1 << 30, 0);
  check(1.0, 1 << 30, 1);
  check(0.75, 3 << 29, 0);
  check(0.25, 1 << 30, -1);
  check(std::ldexp(1.0, -40), 0, 0);           // below 2^-32: zero
  check(std::ldexp(1.0, 40), kMax, 30);        // saturates
  check(std::nextafter(1.0, 0.0), 1 << 30, 1); // mantissa rounds up to 1.0
}

TEST(FixedPoint, QuantizeMultiplierIsAccurate) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> exponents(-30.0, 20.0);
  for (int i = 0; i < 100000; ++i) {
    double real = std::pow(2.0, exponents(rng));
    QuantizedMultiplier m = quantizeMultiplier(real);
    ASSERT_GE(m.multiplier, 1 << 30);
    ASSERT_GE(m.shift, kMinMultiplierShift);
    ASSERT_LE(m.shift, kMaxMultiplierShift);
    // Half a unit in the last place of a 31-bit mantissa.
    ASSERT_LE(std::fabs(dequantizeMultiplier(m) - real) / real,
              std::ldexp(1.0, -31))
        << real;
  }
}

TEST(FixedPoint, MultiplyMatchesExactArithmetic) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int32_t> any(kMin, kMax);
  std::uniform_int_distribution<int32_t> multipliers(1 << 30, kMax);
  std::uniform_int_distribution<int32_t> shifts(kMinMultiplierShift,
                                                kMaxMultiplierShift);
  std::vector<QuantizedMultiplier> ms = {
      {0, 0},         {1 << 30, 0}, {kMax, 30},       {kMax, -31},
      {1 << 30, -31}, {1 << 30, 1}, {1395864371, -7}, {kMax, 0}};
  for (QuantizedMultiplier m : ms)
    for (int32_t x : edgeValues())
      ASSERT_EQ(multiplyByQuantizedMultiplier(x, m), exactMultiply(x, m))
          << x << " * (" << m.multiplier << ", " << m.shift << ")";
  for (int i = 0; i < 1000000; ++i) {
    QuantizedMultiplier m{multipliers(rng), shifts(rng)};
    int32_t x = any(rng) >> (i % 24); // many small accumulators too
    ASSERT_EQ(multiplyByQuantizedMultiplier(x, m), exactMultiply(x, m))
        << x << " * (" << m.multiplier << ", " << m.shift << ")";
  }
}

/// Largest accumulator magnitude of the right-shift forms.
static constexpr int32_t kRightShiftLimit = (1 << 30) - 1;

/// Seeded random right-shift multipliers and accumulators in their domain,
/// case \p i of a run shifted right by i % 24 (many small ones too).
class RandomRightShiftCases {
public:
  explicit RandomRightShiftCases(unsigned seed) : rng(seed) {}

  QuantizedMultiplier multiplier() {
    // In order: the multiplier, then the shift.
    int32_t value = multipliers(rng);
    return {value, shifts(rng)};
  }
  int32_t accumulator(int i) { return accumulators(rng) >> (i % 24); }
  std::mt19937 &engine() { return rng; }

private:
  std::mt19937 rng;
  std::uniform_int_distribution<int32_t> accumulators{-kRightShiftLimit,
                                                      kRightShiftLimit};
  std::uniform_int_distribution<int32_t> multipliers{0, kMax};
  std::uniform_int_distribution<int32_t> shifts{-31, -1};
};

// The short form kernels use, against the exact product and against
// multiplyByQuantizedMultiplier, on the edges of its domain and at random.
TEST(FixedPoint, RightShiftMultiplierMatchesExactArithmetic) {
  RandomRightShiftCases cases(13);
  std::vector<int32_t> xs = {
      0,       1,         -1, 2, -2, kRightShiftLimit, -kRightShiftLimit,
      1 << 20, -(1 << 20)};
  for (int32_t shift = -31; shift <= -1; ++shift)
    for (int32_t multiplier : {0, 1, 1 << 30, kMax, 1395864371})
      for (int32_t x : xs) {
        QuantizedMultiplier m{multiplier, shift};
        ASSERT_TRUE(isRightShiftMultiplier(m));
        ASSERT_EQ(multiplyByRightShiftMultiplier(x, m), exactMultiply(x, m))
            << x << " * (" << multiplier << ", " << shift << ")";
      }
  for (int i = 0; i < 2000000; ++i) {
    QuantizedMultiplier m = cases.multiplier();
    int32_t x = cases.accumulator(i);
    ASSERT_EQ(multiplyByRightShiftMultiplier(x, m),
              multiplyByQuantizedMultiplier(x, m))
        << x << " * (" << m.multiplier << ", " << m.shift << ")";
    ASSERT_EQ(multiplyByRightShiftMultiplier(x, m), exactMultiply(x, m));
  }
  // Ties of the final rounding: m = 2^30 halves exactly, so x / 2^(1-shift)
  // lands on every half for odd x.
  for (int32_t shift = -8; shift <= -1; ++shift)
    for (int32_t x = -4096; x <= 4096; ++x)
      ASSERT_EQ(multiplyByRightShiftMultiplier(x, {1 << 30, shift}),
                exactMultiply(x, {1 << 30, shift}))
          << x << " >> " << -shift;
  EXPECT_FALSE(isRightShiftMultiplier({1 << 30, 0}));
  EXPECT_FALSE(isRightShiftMultiplier({1 << 30, -32}));
  EXPECT_FALSE(isRightShiftMultiplier({-1, -3}));
}

// The Arm kernels' requantization under a fused ReLU (clamp minimum at or
// above the output zero point) leaves out the sign correction of
// multiplyByRightShiftMultiplier: the high word rounded half up instead of
// half away from zero. Negative accumulators then scale to some value <= 0,
// which the clamp maps to its minimum all the same: the stored outputs equal
// requantize's.
TEST(FixedPoint, ReluClampHidesRoundingOfNegatives) {
  RandomRightShiftCases cases(29);
  std::uniform_int_distribution<int32_t> zeroPoints(-128, 127);
  int64_t differed = 0;
  for (int i = 0; i < 2000000; ++i) {
    QuantizedMultiplier m = cases.multiplier();
    int32_t x = cases.accumulator(i);
    int32_t zeroPoint = zeroPoints(cases.engine());
    // ReLU: from the zero point (or above, as ReLU6-like clamps start),
    // never past the maximum.
    int32_t clampMin = std::min(zeroPoint + (i % 3 == 0 ? i % 7 : 0), 127);
    ASSERT_TRUE(clampHidesNegativeRounding(zeroPoint, clampMin));
    int32_t shortForm =
        std::clamp(multiplyByRightShiftMultiplierHalfUp(x, m) + zeroPoint,
                   clampMin, int32_t(127));
    ASSERT_EQ(shortForm, requantize(x, m, zeroPoint, clampMin, 127))
        << x << " * (" << m.multiplier << ", " << m.shift << ") + "
        << zeroPoint;
    differed += multiplyByRightShiftMultiplierHalfUp(x, m) !=
                multiplyByRightShiftMultiplier(x, m);
  }
  // The unclamped values do differ (ties of negative values), so the clamp
  // is what makes the outputs equal.
  EXPECT_GT(differed, 0);
  EXPECT_FALSE(clampHidesNegativeRounding(/*outputZeroPoint=*/0, -1));
}

// Every accumulator in [-2^17, 2^17] through typical conv multipliers, and
// the int8 and int4 outputs against exact arithmetic plus clamping.
TEST(FixedPoint, RequantizeExhaustiveOverSmallAccumulators) {
  std::vector<QuantizedMultiplier> ms = {
      quantizeMultiplier(0.0123), quantizeMultiplier(0.5),
      quantizeMultiplier(1.0 / 3.0), quantizeMultiplier(0.00071),
      quantizeMultiplier(1.7)};
  struct Output {
    int32_t zeroPoint, min, max;
  };
  const Output outputs[] = {{-128, -128, 127},
                            {5, -128, 127},
                            {-128, -128, -70},
                            {0, -8, 7},
                            {-3, -7, 7}};
  for (QuantizedMultiplier m : ms)
    for (Output out : outputs)
      for (int32_t x = -(1 << 17); x <= (1 << 17); ++x) {
        int64_t expected = exactMultiply(x, m) + out.zeroPoint;
        expected =
            std::min<int64_t>(std::max<int64_t>(expected, out.min), out.max);
        ASSERT_EQ(requantize(x, m, out.zeroPoint, out.min, out.max), expected)
            << x;
      }
}

TEST(FixedPoint, RequantizeSaturatesExtremeAccumulators) {
  QuantizedMultiplier m{kMax, 30};
  EXPECT_EQ(requantize(kMax, m, 127, -128, 127), 127);
  EXPECT_EQ(requantize(kMin, m, -128, -128, 127), -128);
  EXPECT_EQ(requantize(kMin, {kMax, 0}, 127, -128, 127), -128);
}
