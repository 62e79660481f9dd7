//===- RangeSearchTest.cpp - Histogram range-setting methods --------------===//

#include "tinyq/Calibration/RangeSearch.h"

#include "gtest/gtest.h"

using namespace tinyq;

namespace {

/// One value at the center of each of \p bins bins over [low, high].
Histogram makeUniformHistogram(double low, double high, int bins) {
  Histogram histogram(low, high, bins);
  double width = (high - low) / bins;
  for (int i = 0; i < bins; ++i)
    histogram.add(low + (i + 0.5) * width);
  return histogram;
}

TEST(HistogramTest, BinsAndClampsOutliers) {
  Histogram histogram(0, 10, 10);
  histogram.add(0.5);
  histogram.add(9.99);
  histogram.add(10); // the upper bound belongs to the last bin
  histogram.add(-3); // below: first bin
  histogram.add(25); // above: last bin
  EXPECT_DOUBLE_EQ(histogram.getBinWidth(), 1.0);
  EXPECT_DOUBLE_EQ(histogram.getCounts()[0], 2);
  EXPECT_DOUBLE_EQ(histogram.getCounts()[9], 3);
  EXPECT_DOUBLE_EQ(histogram.getTotal(), 5);
}

TEST(HistogramTest, EmptyRangeCountsInFirstBin) {
  Histogram histogram(2, 2, 4);
  histogram.add(2);
  histogram.add(2);
  EXPECT_DOUBLE_EQ(histogram.getCounts()[0], 2);
}

TEST(PercentileTest, UniformCounts) {
  // One value per bin of width 1 on [0, 100]: the 10th and 90th percentiles
  // are the edges 10 and 90.
  Histogram histogram = makeUniformHistogram(0, 100, 100);
  auto [low, high] = findPercentileRange(histogram, 90);
  EXPECT_DOUBLE_EQ(low, 10);
  EXPECT_DOUBLE_EQ(high, 90);
  // The 100th percentile keeps everything.
  auto [all, top] = findPercentileRange(histogram, 100);
  EXPECT_DOUBLE_EQ(all, 0);
  EXPECT_DOUBLE_EQ(top, 100);
}

TEST(LpRangeTest, UniformValuesKeepFullRangeAtEightBits) {
  // Uniform on [0, 1]: clipping the top 1% costs about 0.01^3 / 3 = 3.3e-7
  // per value, more than the 8-bit rounding error it saves
  // ((1 - 0.99^2) / 255^2 / 12, about 2.6e-8).
  Histogram histogram = makeUniformHistogram(0, 1, 1000);
  auto [low, high] = findLpRange(histogram, 8, 2);
  EXPECT_DOUBLE_EQ(low, 0);
  EXPECT_DOUBLE_EQ(high, 1);
}

TEST(LpRangeTest, UniformValuesClipAtTwoBits) {
  // At 2 bits (step 1/3, error 1/108) clipping to 0.9 costs 0.1^3 / 3 and
  // saves 0.19 / 108: the search clips.
  Histogram histogram = makeUniformHistogram(0, 1, 1000);
  auto [low, high] = findLpRange(histogram, 2, 2);
  EXPECT_DOUBLE_EQ(low, 0);
  EXPECT_LT(high, 1);
  EXPECT_GT(high, 0.5);
}

TEST(LpRangeTest, RangeIsExtendedToZero) {
  // Values in [2, 4]: the candidates are [0, 4 k / 100]; 4 itself wins.
  Histogram histogram = makeUniformHistogram(2, 4, 100);
  auto [low, high] = findLpRange(histogram, 8, 2);
  EXPECT_DOUBLE_EQ(low, 0);
  EXPECT_DOUBLE_EQ(high, 4);
}

TEST(KlThresholdTest, ExactlyRepresentableDistributionKeepsItsSupport) {
  // Mass only in the first 128 bins, all different: at 128 bins each level
  // is one bin, so the merged distribution equals the reference (divergence
  // 0); wider candidates merge unequal bins and diverge.
  Histogram histogram(0, 2048, 2048);
  for (int bin = 0; bin < 128; ++bin)
    for (int copy = 0; copy <= bin; ++copy)
      histogram.add(bin + 0.5);
  EXPECT_DOUBLE_EQ(findKlThreshold(histogram, 128), 128);
}

TEST(KlThresholdTest, FewerBinsThanLevelsKeepsEverything) {
  Histogram histogram(0, 3, 64);
  histogram.add(1);
  EXPECT_DOUBLE_EQ(findKlThreshold(histogram, 128), 3);
}

} // namespace
