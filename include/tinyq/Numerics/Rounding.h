//===- Rounding.h - Named rounding modes ------------------------*- C++ -*-===//
//
// Every rounding in TinyQ names its mode; nothing relies on the floating-point
// environment or on truncating conversions.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_NUMERICS_ROUNDING_H
#define TINYQ_NUMERICS_ROUNDING_H

namespace tinyq::numerics {

enum class RoundingMode {
  /// IEEE 754 roundTiesToEven; ONNX QuantizeLinear's rule.
  TiesToEven,
  /// std::round; TFLite's rule when it quantizes multipliers.
  TiesAwayFromZero,
  /// Truncation, as a C cast does.
  TowardZero,
};

/// Rounds \p x to an integral value with \p mode. NaN and infinities are
/// returned unchanged.
float roundToIntegral(float x, RoundingMode mode);
double roundToIntegral(double x, RoundingMode mode);

} // namespace tinyq::numerics

#endif // TINYQ_NUMERICS_ROUNDING_H
