//===- QuantParams.h - Affine quantization and parameter choice -*- C++ -*-===//
//
// Quantize: q = clamp(round_ties_to_even(x / s) + z, qmin, qmax), computed in
// float32 as ONNX QuantizeLinear specifies. Dequantize: (q - z) * s in float32.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_NUMERICS_QUANTPARAMS_H
#define TINYQ_NUMERICS_QUANTPARAMS_H

#include "tinyq/Numerics/Span.h"

#include <cstdint>

namespace tinyq::numerics {

/// The closed range of values a quantized storage type may hold.
struct IntegerRange {
  int32_t min;
  int32_t max;
};

/// [-2^(bits-1), 2^(bits-1) - 1], or with \p narrow the symmetric range
/// [-(2^(bits-1) - 1), 2^(bits-1) - 1] (int8: [-127, 127]; int4: [-7, 7]).
/// \p bits is in [2, 32].
IntegerRange signedRange(unsigned bits, bool narrow = false);

/// [0, 2^bits - 1]; \p bits is in [1, 31].
IntegerRange unsignedRange(unsigned bits);

/// Scale and zero point of one tensor or one channel.
struct QuantParams {
  float scale;
  int32_t zeroPoint;
};

/// Quantizes with ties-to-even rounding and saturation. NaN maps to the zero
/// point; infinities saturate.
int32_t quantize(float x, QuantParams params, IntegerRange range);

/// (q - z) * s in float32.
float dequantize(int32_t q, QuantParams params);

/// dequantize(quantize(x)): the value simulated quantization produces.
float fakeQuantize(float x, QuantParams params, IntegerRange range);

/// Asymmetric per-tensor parameters for the observed range [min, max]. The
/// range is first widened to contain 0, so that 0 is exactly representable;
/// the zero point is rounded ties-to-even and clamped into \p range. An empty
/// range (min == max == 0) gets scale 1. Requires finite min <= max.
QuantParams chooseAsymmetricParams(float min, float max, IntegerRange range);

/// Symmetric parameters (zero point 0) for values in [-absMax, absMax]:
/// scale = absMax / range.max. absMax == 0 gets scale 1. Requires finite
/// absMax >= 0 and range.max > 0.
QuantParams chooseSymmetricParams(float absMax, IntegerRange range);

/// Symmetric per-channel parameters of a dense row-major tensor of \p shape,
/// one per index of dimension \p axis, written to \p params (whose size must
/// equal shape[axis]).
void chooseSymmetricPerChannelParams(Span<const float> values,
                                     Span<const int64_t> shape, unsigned axis,
                                     IntegerRange range,
                                     Span<QuantParams> params);

/// The int32 bias of an integer layer whose accumulator has scale
/// \p inputScale * \p weightScale: bias / (inputScale * weightScale) in
/// double, rounded ties-to-even and saturated to the int32 range. Scales are
/// positive.
int32_t quantizeBias(double bias, double inputScale, double weightScale);

} // namespace tinyq::numerics

#endif // TINYQ_NUMERICS_QUANTPARAMS_H
