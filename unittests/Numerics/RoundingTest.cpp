//===- RoundingTest.cpp - Named rounding modes ----------------------------===//

#include "tinyq/Numerics/Rounding.h"

#include <gtest/gtest.h>

#include <cfenv>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace tinyq::numerics;

TEST(Rounding, TiesToEvenGoldenValues) {
  const float cases[][2] = {{0.5f, 0.0f},   {1.5f, 2.0f},   {2.5f, 2.0f},
                            {3.5f, 4.0f},   {-0.5f, -0.0f}, {-1.5f, -2.0f},
                            {-2.5f, -2.0f}, {2.49f, 2.0f},  {2.51f, 3.0f},
                            {-7.0f, -7.0f}, {0.0f, 0.0f}};
  for (auto [input, expected] : cases)
    EXPECT_EQ(roundToIntegral(input, RoundingMode::TiesToEven), expected)
        << "input " << input;
}

TEST(Rounding, OtherModesGoldenValues) {
  EXPECT_EQ(roundToIntegral(2.5f, RoundingMode::TiesAwayFromZero), 3.0f);
  EXPECT_EQ(roundToIntegral(-2.5f, RoundingMode::TiesAwayFromZero), -3.0f);
  EXPECT_EQ(roundToIntegral(2.7f, RoundingMode::TowardZero), 2.0f);
  EXPECT_EQ(roundToIntegral(-2.7f, RoundingMode::TowardZero), -2.0f);
}

TEST(Rounding, NonFiniteValuesPassThrough) {
  float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(roundToIntegral(inf, RoundingMode::TiesToEven), inf);
  EXPECT_EQ(roundToIntegral(-inf, RoundingMode::TiesToEven), -inf);
  EXPECT_TRUE(
      std::isnan(roundToIntegral(std::nanf(""), RoundingMode::TiesToEven)));
}

// std::nearbyint under FE_TONEAREST is IEEE roundTiesToEven: an independent
// implementation to compare against, on random values and on every
// half-integer in a range where ties are frequent.
TEST(Rounding, TiesToEvenMatchesNearbyint) {
  ASSERT_EQ(std::fegetround(), FE_TONEAREST);
  std::mt19937 rng(1234);
  std::uniform_real_distribution<float> small(-300.0f, 300.0f);
  std::uniform_int_distribution<uint32_t> bits;
  for (int i = 0; i < 200000; ++i) {
    float x = small(rng);
    ASSERT_EQ(roundToIntegral(x, RoundingMode::TiesToEven), std::nearbyint(x))
        << x;
    uint32_t pattern = bits(rng);
    float any;
    static_assert(sizeof(any) == sizeof(pattern));
    std::memcpy(&any, &pattern, sizeof(any));
    if (std::isfinite(any)) {
      ASSERT_EQ(roundToIntegral(any, RoundingMode::TiesToEven),
                std::nearbyint(any))
          << any;
      double wide = any;
      ASSERT_EQ(roundToIntegral(wide, RoundingMode::TiesToEven),
                std::nearbyint(wide))
          << wide;
    }
  }
  for (int twice = -1000; twice <= 1000; ++twice) {
    float half = float(twice) / 2.0f;
    ASSERT_EQ(roundToIntegral(half, RoundingMode::TiesToEven),
              std::nearbyint(half))
        << half;
  }
}
