//===- QuantParams.cpp - Affine quantization and parameter choice ---------===//

#include "tinyq/Numerics/QuantParams.h"
#include "tinyq/Numerics/Rounding.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <vector>

using namespace tinyq::numerics;

IntegerRange tinyq::numerics::signedRange(unsigned bits, bool narrow) {
  assert(bits >= 2 && bits <= 32 && "signed storage needs 2 to 32 bits");
  int64_t max = (int64_t(1) << (bits - 1)) - 1;
  int64_t min = narrow ? -max : -max - 1;
  return {static_cast<int32_t>(min), static_cast<int32_t>(max)};
}

IntegerRange tinyq::numerics::unsignedRange(unsigned bits) {
  assert(bits >= 1 && bits <= 31 && "unsigned storage needs 1 to 31 bits");
  return {0, static_cast<int32_t>((int64_t(1) << bits) - 1)};
}

int32_t tinyq::numerics::quantize(float x, QuantParams params,
                                  IntegerRange range) {
  float scaled = x / params.scale;
  if (std::isnan(scaled))
    return std::clamp(params.zeroPoint, range.min, range.max);
  // Rounded values are integral, so adding the zero point in double is exact
  // and the clamp happens before any conversion to an integer type.
  double shifted = double(roundToIntegral(scaled, RoundingMode::TiesToEven)) +
                   params.zeroPoint;
  shifted = std::clamp(shifted, double(range.min), double(range.max));
  return static_cast<int32_t>(shifted);
}

float tinyq::numerics::dequantize(int32_t q, QuantParams params) {
  return float(int64_t(q) - params.zeroPoint) * params.scale;
}

float tinyq::numerics::fakeQuantize(float x, QuantParams params,
                                    IntegerRange range) {
  return dequantize(quantize(x, params, range), params);
}

QuantParams tinyq::numerics::chooseAsymmetricParams(float min, float max,
                                                    IntegerRange range) {
  assert(std::isfinite(min) && std::isfinite(max) && min <= max &&
         "range must be finite and ordered");
  assert(range.min < range.max && "storage range must hold two values");
  double lo = std::min(double(min), 0.0);
  double hi = std::max(double(max), 0.0);
  if (lo == hi)
    return {1.0f, std::clamp(0, range.min, range.max)};
  float scale = float((hi - lo) / (double(range.max) - double(range.min)));
  if (!(scale > 0.0f))
    scale = std::numeric_limits<float>::min();
  double zeroPoint = roundToIntegral(double(range.min) - lo / double(scale),
                                     RoundingMode::TiesToEven);
  zeroPoint = std::clamp(zeroPoint, double(range.min), double(range.max));
  return {scale, static_cast<int32_t>(zeroPoint)};
}

QuantParams tinyq::numerics::chooseSymmetricParams(float absMax,
                                                   IntegerRange range) {
  assert(std::isfinite(absMax) && absMax >= 0 && "absMax must be finite");
  assert(range.max > 0 && "storage range must hold positive values");
  if (absMax == 0)
    return {1.0f, 0};
  float scale = float(double(absMax) / double(range.max));
  if (!(scale > 0.0f))
    scale = std::numeric_limits<float>::min();
  return {scale, 0};
}

void tinyq::numerics::chooseSymmetricPerChannelParams(
    Span<const float> values, Span<const int64_t> shape, unsigned axis,
    IntegerRange range, Span<QuantParams> params) {
  assert(axis < shape.size() && "axis out of range");
  int64_t channels = shape[axis];
  assert(size_t(channels) == params.size() && "one parameter per channel");
  // Row-major: index = (outer * channels + channel) * inner + innerIndex.
  int64_t inner = 1;
  for (size_t i = axis + 1; i < shape.size(); ++i)
    inner *= shape[i];
  std::vector<float> absMax(channels, 0.0f);
  for (size_t i = 0; i < values.size(); ++i) {
    int64_t channel = (int64_t(i) / inner) % channels;
    absMax[channel] = std::max(absMax[channel], std::fabs(values[i]));
  }
  for (int64_t channel = 0; channel < channels; ++channel)
    params[channel] = chooseSymmetricParams(absMax[channel], range);
}

int32_t tinyq::numerics::quantizeBias(double bias, double inputScale,
                                      double weightScale) {
  assert(inputScale > 0 && weightScale > 0 && "scales must be positive");
  double scaled = roundToIntegral(bias / (inputScale * weightScale),
                                  RoundingMode::TiesToEven);
  return static_cast<int32_t>(
      std::clamp(scaled, double(std::numeric_limits<int32_t>::min()),
                 double(std::numeric_limits<int32_t>::max())));
}
