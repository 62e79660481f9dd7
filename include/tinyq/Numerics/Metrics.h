//===- Metrics.h - Quantization error metrics -------------------*- C++ -*-===//
//
// The local metrics that drive precision choice: mean squared error and
// signal-to-quantization-noise ratio, accumulated in double.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_NUMERICS_METRICS_H
#define TINYQ_NUMERICS_METRICS_H

#include "tinyq/Numerics/Span.h"

#include <cstdint>
#include <vector>

namespace tinyq::numerics {

/// mean((a - b)^2); 0 for empty inputs. Sizes must match.
double meanSquaredError(Span<const float> a, Span<const float> b);

/// 10 * log10(sum(ref^2) / sum((ref - approx)^2)) in dB: +infinity when the
/// two are identical (no noise), -infinity when the reference is all zeros
/// but the approximation is not. Sizes must match.
double sqnrDecibels(Span<const float> reference, Span<const float> approx);

/// Running signal and error power of a reference and its approximation,
/// element by element: the streaming form of meanSquaredError and
/// sqnrDecibels, which are defined through it.
class ErrorAccumulator {
public:
  void add(double reference, double approximation) {
    double difference = reference - approximation;
    signal += reference * reference;
    noise += difference * difference;
    ++count;
  }
  /// Mean squared error; 0 before any element.
  double getMse() const;
  /// SQNR in dB, with sqnrDecibels's conventions for no noise / no signal.
  double getSqnrDecibels() const;

private:
  double signal = 0.0, noise = 0.0;
  int64_t count = 0;
};

/// The rank of each value (0 for the smallest), ties broken by position.
std::vector<double> rankValues(Span<const double> values);

/// Spearman's rank correlation of two equally long series (Pearson's
/// correlation of their ranks, ties by position); 0 when either has fewer
/// than two values.
double spearmanCorrelation(Span<const double> a, Span<const double> b);

} // namespace tinyq::numerics

#endif // TINYQ_NUMERICS_METRICS_H
