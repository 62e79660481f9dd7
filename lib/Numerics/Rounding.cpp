//===- Rounding.cpp - Named rounding modes --------------------------------===//

#include "tinyq/Numerics/Rounding.h"

#include <cmath>

using namespace tinyq::numerics;

template <typename T>
static T roundImpl(T x, RoundingMode mode) {
  if (!std::isfinite(x))
    return x;
  switch (mode) {
  case RoundingMode::TowardZero:
    return std::trunc(x);
  case RoundingMode::TiesAwayFromZero:
    return std::round(x);
  case RoundingMode::TiesToEven: {
    // The fractional part of a binary float is exactly representable, so the
    // comparisons against one half are exact.
    T floorX = std::floor(x);
    T fraction = x - floorX;
    if (fraction > T(0.5))
      return floorX + 1;
    if (fraction < T(0.5))
      return floorX;
    return std::fmod(floorX, T(2)) == 0 ? floorX : floorX + 1;
  }
  }
  return x;
}

float tinyq::numerics::roundToIntegral(float x, RoundingMode mode) {
  return roundImpl(x, mode);
}

double tinyq::numerics::roundToIntegral(double x, RoundingMode mode) {
  return roundImpl(x, mode);
}
