//===- RangeSearch.h - Clipping ranges from value histograms ----*- C++ -*-===//
//
// Range-setting methods that look at the distribution of a tensor's values,
// not only its extremes: percentile, Lp-error search and KL divergence
// (TensorRT's entropy calibration). They work on a histogram gathered during
// calibration. Plain C++, no MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_CALIBRATION_RANGESEARCH_H
#define TINYQ_CALIBRATION_RANGESEARCH_H

#include <cstdint>
#include <utility>
#include <vector>

namespace tinyq {

/// Counts of values in `bins` equal bins over [low, high]; values outside
/// go to the first or last bin. With low == high every value counts in bin
/// 0.
class Histogram {
public:
  Histogram(double low, double high, int bins);
  void add(double value);
  double getLow() const { return low; }
  double getHigh() const { return high; }
  double getBinWidth() const { return binWidth; }
  const std::vector<double> &getCounts() const { return counts; }
  double getTotal() const;

private:
  double low, high, binWidth;
  std::vector<double> counts;
};

/// [the (100 - p)-th, the p-th] percentile of the histogrammed values,
/// interpolated linearly inside a bin; \p percentile is in (50, 100].
std::pair<double, double> findPercentileRange(const Histogram &histogram,
                                              double percentile);

/// The range, among [low, high] (extended to contain 0) scaled by k / 100
/// for k = 1..100, whose uniform asymmetric quantization to \p bits bits has
/// the least expected Lp error (exponent \p norm): a clipped value costs its
/// distance to the range to the power p, a value inside the range the
/// expected rounding error (step / 2)^p / (p + 1).
std::pair<double, double> findLpRange(const Histogram &histogram, int bits,
                                      double norm);

/// TensorRT's entropy calibration on a histogram of absolute values over
/// [0, high]: the threshold whose clipped distribution, merged into
/// \p levels levels, diverges least (Kullback-Leibler) from the reference.
/// Candidates are the bin edges from max(\p levels, 128) bins up; with
/// fewer bins than that, the whole range.
double findKlThreshold(const Histogram &absoluteValues, int levels);

} // namespace tinyq

#endif // TINYQ_CALIBRATION_RANGESEARCH_H
