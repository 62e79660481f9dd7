//===- Metrics.cpp - Quantization error metrics ---------------------------===//

#include "tinyq/Numerics/Metrics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

using namespace tinyq::numerics;

double ErrorAccumulator::getMse() const {
  return count == 0 ? 0.0 : noise / double(count);
}

double ErrorAccumulator::getSqnrDecibels() const {
  if (noise == 0.0)
    return std::numeric_limits<double>::infinity();
  if (signal == 0.0)
    return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal / noise);
}

/// The accumulated errors of \p approx against \p reference.
static ErrorAccumulator accumulate(Span<const float> reference,
                                   Span<const float> approx) {
  assert(reference.size() == approx.size() && "size mismatch");
  ErrorAccumulator errors;
  for (size_t i = 0; i < reference.size(); ++i)
    errors.add(reference[i], approx[i]);
  return errors;
}

double tinyq::numerics::meanSquaredError(Span<const float> a,
                                         Span<const float> b) {
  return accumulate(a, b).getMse();
}

double tinyq::numerics::sqnrDecibels(Span<const float> reference,
                                     Span<const float> approx) {
  return accumulate(reference, approx).getSqnrDecibels();
}

std::vector<double> tinyq::numerics::rankValues(Span<const double> values) {
  std::vector<size_t> order(values.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return values[a] < values[b] || (values[a] == values[b] && a < b);
  });
  std::vector<double> ranks(values.size());
  for (size_t rank = 0; rank < order.size(); ++rank)
    ranks[order[rank]] = double(rank);
  return ranks;
}

double tinyq::numerics::spearmanCorrelation(Span<const double> a,
                                            Span<const double> b) {
  assert(a.size() == b.size() && "series of different lengths");
  size_t n = a.size();
  if (n < 2)
    return 0.0;
  std::vector<double> ra = rankValues(a), rb = rankValues(b);
  // Without ties the ranks are a permutation of 0..n-1.
  double sumOfSquares = 0;
  for (size_t i = 0; i < n; ++i)
    sumOfSquares += (ra[i] - rb[i]) * (ra[i] - rb[i]);
  double nn = double(n);
  return 1.0 - 6.0 * sumOfSquares / (nn * (nn * nn - 1.0));
}
