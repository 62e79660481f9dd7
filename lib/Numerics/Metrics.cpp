//===- Metrics.cpp - Quantization error metrics ---------------------------===//

#include "tinyq/Numerics/Metrics.h"

#include <cassert>
#include <cmath>
#include <limits>

using namespace tinyq::numerics;

double tinyq::numerics::meanSquaredError(Span<const float> a,
                                         Span<const float> b) {
  assert(a.size() == b.size() && "size mismatch");
  if (a.empty())
    return 0.0;
  double sum = 0.0;
  for (size_t i = 0; i < a.size(); ++i) {
    double diff = double(a[i]) - double(b[i]);
    sum += diff * diff;
  }
  return sum / double(a.size());
}

double tinyq::numerics::sqnrDecibels(Span<const float> reference,
                                     Span<const float> approx) {
  assert(reference.size() == approx.size() && "size mismatch");
  double signal = 0.0, noise = 0.0;
  for (size_t i = 0; i < reference.size(); ++i) {
    double ref = reference[i];
    double diff = ref - double(approx[i]);
    signal += ref * ref;
    noise += diff * diff;
  }
  if (noise == 0.0)
    return std::numeric_limits<double>::infinity();
  if (signal == 0.0)
    return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal / noise);
}
