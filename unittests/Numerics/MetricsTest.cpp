//===- MetricsTest.cpp - Quantization error metrics -----------------------===//

#include "tinyq/Numerics/Metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

using namespace tinyq::numerics;

TEST(Metrics, MeanSquaredError) {
  std::vector<float> a = {1, 2, 3, 4}, b = {1, 0, 3, 5};
  EXPECT_DOUBLE_EQ(meanSquaredError(a, b), (4.0 + 1.0) / 4.0);
  EXPECT_DOUBLE_EQ(meanSquaredError(a, a), 0.0);
  std::vector<float> none;
  EXPECT_DOUBLE_EQ(meanSquaredError(none, none), 0.0);
}

TEST(Metrics, SqnrOfIdenticalTensorsIsInfinite) {
  std::vector<float> a = {0.5f, -2.0f, 3.0f};
  EXPECT_EQ(sqnrDecibels(a, a), std::numeric_limits<double>::infinity());
  std::vector<float> zeros = {0, 0};
  EXPECT_EQ(sqnrDecibels(zeros, zeros),
            std::numeric_limits<double>::infinity());
}

TEST(Metrics, SqnrGoldenValues) {
  // signal 2, noise 1: 10 log10(2) dB.
  std::vector<float> ref = {1, 1}, approx = {1, 0};
  EXPECT_NEAR(sqnrDecibels(ref, approx), 10.0 * std::log10(2.0), 1e-12);
  // signal 100, noise 1: 20 dB.
  std::vector<float> ref2 = {10}, approx2 = {9};
  EXPECT_NEAR(sqnrDecibels(ref2, approx2), 20.0, 1e-12);
  std::vector<float> zeros = {0, 0}, ones = {1, 0};
  EXPECT_EQ(sqnrDecibels(zeros, ones),
            -std::numeric_limits<double>::infinity());
}

TEST(Metrics, SqnrIsScaleInvariant) {
  std::vector<float> ref = {0.3f, -1.2f, 2.5f, 0.01f};
  std::vector<float> approx = {0.25f, -1.25f, 2.5f, 0.0f};
  std::vector<float> ref8, approx8;
  for (size_t i = 0; i < ref.size(); ++i) {
    ref8.push_back(ref[i] * 8);
    approx8.push_back(approx[i] * 8);
  }
  EXPECT_NEAR(sqnrDecibels(ref, approx), sqnrDecibels(ref8, approx8), 1e-9);
}

// Ranks by value, ties by position; Spearman's rho with d^2 = (0-0)^2 +
// (1-2)^2 + (2-1)^2 = 2 over n = 3: 1 - 6 * 2 / (3 * 8) = 0.5. Identical
// orders give 1, reversed ones -1.
TEST(Metrics, SpearmanCorrelation) {
  std::vector<double> values = {3.0, 1.0, 2.0, 1.0};
  EXPECT_EQ(rankValues(values), (std::vector<double>{3, 0, 2, 1}));
  std::vector<double> a = {1.0, 2.0, 3.0}, b = {10.0, 30.0, 20.0};
  EXPECT_DOUBLE_EQ(spearmanCorrelation(a, b), 0.5);
  std::vector<double> same = {5.0, 6.0, 7.0}, reversed = {7.0, 6.0, 5.0};
  EXPECT_DOUBLE_EQ(spearmanCorrelation(a, same), 1.0);
  EXPECT_DOUBLE_EQ(spearmanCorrelation(a, reversed), -1.0);
  std::vector<double> one = {1.0};
  EXPECT_EQ(spearmanCorrelation(one, one), 0.0);
}
