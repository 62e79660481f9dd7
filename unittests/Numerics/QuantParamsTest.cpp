//===- QuantParamsTest.cpp - Affine quantization and parameter choice -----===//

#include "tinyq/Numerics/QuantParams.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace tinyq::numerics;

TEST(QuantParams, StorageRanges) {
  EXPECT_EQ(signedRange(8).min, -128);
  EXPECT_EQ(signedRange(8).max, 127);
  EXPECT_EQ(signedRange(8, /*narrow=*/true).min, -127);
  EXPECT_EQ(signedRange(4).min, -8);
  EXPECT_EQ(signedRange(4).max, 7);
  EXPECT_EQ(signedRange(4, /*narrow=*/true).min, -7);
  EXPECT_EQ(signedRange(2).min, -2);
  EXPECT_EQ(signedRange(32).min, std::numeric_limits<int32_t>::min());
  EXPECT_EQ(unsignedRange(8).max, 255);
}

// The example of the ONNX QuantizeLinear operator documentation (uint8).
TEST(QuantParams, QuantizeMatchesOnnxExample) {
  const float inputs[] = {0, 2, 3, 1000, -254, -1000};
  const int32_t expected[] = {128, 129, 130, 255, 1, 0};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(quantize(inputs[i], {2.0f, 128}, unsignedRange(8)), expected[i]);
}

TEST(QuantParams, QuantizeSpecialValues) {
  IntegerRange range = signedRange(8);
  float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(quantize(inf, {0.5f, 3}, range), 127);
  EXPECT_EQ(quantize(-inf, {0.5f, 3}, range), -128);
  EXPECT_EQ(quantize(std::nanf(""), {0.5f, 3}, range), 3);
  EXPECT_EQ(quantize(1e30f, {1e-30f, 0}, range), 127);
}

// Reference: the formula of the numerics contract with std::nearbyint for
// rounding and 64-bit clamping, on random inputs and parameters.
TEST(QuantParams, QuantizeMatchesFormula) {
  ASSERT_EQ(std::fegetround(), FE_TONEAREST);
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> values(-50.0f, 50.0f);
  std::uniform_real_distribution<float> scales(0.001f, 2.0f);
  std::uniform_int_distribution<int32_t> zeroPoints(-128, 127);
  for (unsigned bits : {2u, 4u, 8u}) {
    IntegerRange range = signedRange(bits);
    for (int i = 0; i < 100000; ++i) {
      float x = values(rng), scale = scales(rng);
      int32_t zeroPoint = std::clamp(zeroPoints(rng), range.min, range.max);
      double expected = std::nearbyint(x / scale) + zeroPoint;
      expected =
          std::min<double>(std::max<double>(expected, range.min), range.max);
      ASSERT_EQ(quantize(x, {scale, zeroPoint}, range), int32_t(expected))
          << x << " / " << scale << " + " << zeroPoint;
    }
  }
}

// Every int8 (and int4) value dequantizes and quantizes back to itself.
TEST(QuantParams, EveryIntegerRoundTrips) {
  const QuantParams params[] = {
      {0.1f, 0}, {0.0039215689f, -128}, {3.5f, 17}, {1e-6f, 100}, {250.0f, -3}};
  for (unsigned bits : {4u, 8u}) {
    IntegerRange range = signedRange(bits);
    for (QuantParams p : params) {
      p.zeroPoint = std::clamp(p.zeroPoint, range.min, range.max);
      for (int32_t q = range.min; q <= range.max; ++q)
        ASSERT_EQ(quantize(dequantize(q, p), p, range), q)
            << "q " << q << " scale " << p.scale << " zp " << p.zeroPoint;
    }
  }
}

TEST(QuantParams, FakeQuantizeIsDequantizeOfQuantize) {
  QuantParams p{0.25f, -2};
  IntegerRange range = signedRange(4);
  EXPECT_EQ(fakeQuantize(0.3f, p, range), 0.25f);
  EXPECT_EQ(fakeQuantize(0.375f, p, range), 0.5f);   // 1.5 -> 2 (ties to even)
  EXPECT_EQ(fakeQuantize(100.0f, p, range), 2.25f);  // (7 + 2) * 0.25
  EXPECT_EQ(fakeQuantize(-100.0f, p, range), -1.5f); // (-8 + 2) * 0.25
}

TEST(QuantParams, AsymmetricParamsRepresentZeroAndTheRange) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> bounds(-20.0f, 20.0f);
  for (unsigned bits : {4u, 8u}) {
    IntegerRange range = signedRange(bits);
    for (int i = 0; i < 20000; ++i) {
      float a = bounds(rng), b = bounds(rng);
      float min = std::min(a, b), max = std::max(a, b);
      QuantParams p = chooseAsymmetricParams(min, max, range);
      ASSERT_GT(p.scale, 0.0f);
      ASSERT_GE(p.zeroPoint, range.min);
      ASSERT_LE(p.zeroPoint, range.max);
      // 0 is exact.
      ASSERT_EQ(fakeQuantize(0.0f, p, range), 0.0f);
      // The widened range [min(min,0), max(max,0)] is covered within the
      // rounding of the zero point (at most one step).
      float lo = std::min(min, 0.0f), hi = std::max(max, 0.0f);
      ASSERT_LE(std::fabs(fakeQuantize(lo, p, range) - lo), p.scale * 1.0001f);
      ASSERT_LE(std::fabs(fakeQuantize(hi, p, range) - hi), p.scale * 1.0001f);
    }
  }
  QuantParams empty = chooseAsymmetricParams(0.0f, 0.0f, signedRange(8));
  EXPECT_EQ(empty.scale, 1.0f);
  EXPECT_EQ(empty.zeroPoint, 0);
  // [0, 255 * s] on int8 is the uint8-style range: zero point -128.
  QuantParams relu = chooseAsymmetricParams(0.0f, 25.5f, signedRange(8));
  EXPECT_EQ(relu.zeroPoint, -128);
  EXPECT_FLOAT_EQ(relu.scale, 0.1f);
}

TEST(QuantParams, SymmetricParams) {
  QuantParams p = chooseSymmetricParams(12.7f, signedRange(8, true));
  EXPECT_FLOAT_EQ(p.scale, 0.1f);
  EXPECT_EQ(p.zeroPoint, 0);
  EXPECT_EQ(chooseSymmetricParams(0.0f, signedRange(4, true)).scale, 1.0f);
  EXPECT_FLOAT_EQ(chooseSymmetricParams(7.0f, signedRange(4, true)).scale,
                  1.0f);
}

TEST(QuantParams, SymmetricPerChannelParams) {
  // A 2x3 tensor: per row (axis 0) and per column (axis 1).
  std::vector<float> values = {1.0f, -4.0f, 2.0f, -0.5f, 0.25f, 8.0f};
  std::vector<int64_t> shape = {2, 3};
  IntegerRange range = signedRange(8, true);
  std::vector<QuantParams> rows(2), columns(3);
  chooseSymmetricPerChannelParams(values, shape, 0, range, rows);
  chooseSymmetricPerChannelParams(values, shape, 1, range, columns);
  EXPECT_FLOAT_EQ(rows[0].scale, 4.0f / 127);
  EXPECT_FLOAT_EQ(rows[1].scale, 8.0f / 127);
  EXPECT_FLOAT_EQ(columns[0].scale, 1.0f / 127);
  EXPECT_FLOAT_EQ(columns[1].scale, 4.0f / 127);
  EXPECT_FLOAT_EQ(columns[2].scale, 8.0f / 127);
  for (const QuantParams &p : rows)
    EXPECT_EQ(p.zeroPoint, 0);
}

TEST(QuantParams, QuantizeBias) {
  // 1 / (0.5 * 0.25) = 8; -0.5 / 0.0625 = -8.
  EXPECT_EQ(quantizeBias(1.0f, 0.5, 0.25), 8);
  EXPECT_EQ(quantizeBias(-0.5f, 0.5, 0.125), -8);
  // Ties go to even: 2.5 -> 2, 3.5 -> 4, -2.5 -> -2.
  EXPECT_EQ(quantizeBias(2.5f, 1.0, 1.0), 2);
  EXPECT_EQ(quantizeBias(3.5f, 1.0, 1.0), 4);
  EXPECT_EQ(quantizeBias(-2.5f, 1.0, 1.0), -2);
  // Saturation instead of overflow.
  EXPECT_EQ(quantizeBias(1e30f, 1e-3, 1e-3),
            std::numeric_limits<int32_t>::max());
  EXPECT_EQ(quantizeBias(-1e30f, 1e-3, 1e-3),
            std::numeric_limits<int32_t>::min());
}
