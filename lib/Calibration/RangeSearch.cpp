//===- RangeSearch.cpp - Clipping ranges from value histograms ------------===//

#include "tinyq/Calibration/RangeSearch.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

using namespace tinyq;

Histogram::Histogram(double low, double high, int bins)
    : low(low), high(high), binWidth((high - low) / bins), counts(bins, 0.0) {
  assert(bins > 0 && low <= high && "bad histogram bounds");
}

void Histogram::add(double value) {
  int last = int(counts.size()) - 1;
  int bin = binWidth > 0 ? int(std::floor((value - low) / binWidth)) : 0;
  counts[std::clamp(bin, 0, last)] += 1;
}

double Histogram::getTotal() const {
  return std::accumulate(counts.begin(), counts.end(), 0.0);
}

/// The value below which a fraction \p fraction of the counts lie.
static double findQuantile(const Histogram &histogram, double fraction) {
  const std::vector<double> &counts = histogram.getCounts();
  double target = fraction * histogram.getTotal(), seen = 0;
  for (size_t bin = 0; bin < counts.size(); ++bin) {
    if (counts[bin] > 0 && seen + counts[bin] >= target) {
      double inside = (target - seen) / counts[bin];
      return histogram.getLow() +
             (double(bin) + inside) * histogram.getBinWidth();
    }
    seen += counts[bin];
  }
  return histogram.getHigh();
}

std::pair<double, double> tinyq::findPercentileRange(const Histogram &histogram,
                                                     double percentile) {
  double low = findQuantile(histogram, 1.0 - percentile / 100.0);
  double high = findQuantile(histogram, percentile / 100.0);
  return {std::min(low, high), std::max(low, high)};
}

std::pair<double, double> tinyq::findLpRange(const Histogram &histogram,
                                             int bits, double norm) {
  double fullLow = std::min(histogram.getLow(), 0.0);
  double fullHigh = std::max(histogram.getHigh(), 0.0);
  double levels = std::ldexp(1.0, bits) - 1;
  const std::vector<double> &counts = histogram.getCounts();
  std::pair<double, double> best = {fullLow, fullHigh};
  double bestError = INFINITY;
  for (int k = 100; k >= 1; --k) {
    double low = fullLow * k / 100, high = fullHigh * k / 100;
    double step = (high - low) / levels;
    double inRangeError = std::pow(step / 2, norm) / (norm + 1);
    double error = 0;
    for (size_t bin = 0; bin < counts.size(); ++bin) {
      if (counts[bin] == 0)
        continue;
      double center =
          histogram.getLow() + (double(bin) + 0.5) * histogram.getBinWidth();
      if (center < low)
        error += counts[bin] * std::pow(low - center, norm);
      else if (center > high)
        error += counts[bin] * std::pow(center - high, norm);
      else
        error += counts[bin] * inRangeError;
    }
    // Ties keep the wider range.
    if (error < bestError) {
      bestError = error;
      best = {low, high};
    }
  }
  return best;
}

static constexpr int kMinKlBins = 128;

double tinyq::findKlThreshold(const Histogram &absoluteValues, int levels) {
  const std::vector<double> &counts = absoluteValues.getCounts();
  int bins = int(counts.size());
  if (bins <= std::max(levels, kMinKlBins))
    return absoluteValues.getHigh();
  double bestDivergence = INFINITY;
  int bestBins = bins;
  std::vector<double> reference, expanded;
  // Like TensorRT, never try fewer than 128 bins: with few levels (4-bit)
  // tiny thresholds that fold almost everything into the last bin would
  // otherwise diverge least.
  for (int used = std::max(levels, kMinKlBins); used <= bins; ++used) {
    // The reference: the first `used` bins, outliers folded into the last.
    reference.assign(counts.begin(), counts.begin() + used);
    reference.back() +=
        std::accumulate(counts.begin() + used, counts.end(), 0.0);
    // The candidate: the same bins (without outliers) merged into `levels`
    // levels, each level's mass spread over its non-empty bins.
    expanded.assign(used, 0.0);
    for (int level = 0; level < levels; ++level) {
      int start = int(int64_t(level) * used / levels);
      int end = int(int64_t(level + 1) * used / levels);
      double mass = 0;
      int nonEmpty = 0;
      for (int bin = start; bin < end; ++bin) {
        mass += counts[bin];
        nonEmpty += counts[bin] > 0;
      }
      for (int bin = start; bin < end; ++bin)
        if (counts[bin] > 0)
          expanded[bin] = mass / nonEmpty;
    }
    double referenceTotal =
        std::accumulate(reference.begin(), reference.end(), 0.0);
    double expandedTotal =
        std::accumulate(expanded.begin(), expanded.end(), 0.0);
    if (referenceTotal == 0 || expandedTotal == 0)
      continue;
    double divergence = 0;
    for (int bin = 0; bin < used; ++bin) {
      if (reference[bin] == 0)
        continue;
      double p = reference[bin] / referenceTotal;
      // The folded outliers can land in an empty last bin: a tiny mass
      // keeps the divergence finite, as in TensorRT.
      double q = std::max(expanded[bin] / expandedTotal, 1e-12);
      divergence += p * std::log(p / q);
    }
    if (divergence < bestDivergence) {
      bestDivergence = divergence;
      bestBins = used;
    }
  }
  return absoluteValues.getLow() + bestBins * absoluteValues.getBinWidth();
}
