//===- libm-extras.c - Math functions newlib lacks ------------------------===//
//
// Compiled models call roundevenf (C23) where the core has no rounding
// instruction; Debian's newlib 4.3 does not provide it.
//
//===----------------------------------------------------------------------===//

#include <math.h>

float roundevenf(float x) {
  float magnitude = fabsf(x);
  // From 2^23 on every float is an integer; NaN compares false too.
  if (!(magnitude < 8388608.0f))
    return x;
  // In the default round-to-nearest-even mode, adding 2^23 rounds away the
  // fraction with ties to even; subtracting it is then exact.
  volatile float shifted = magnitude + 8388608.0f;
  return copysignf(shifted - 8388608.0f, x);
}
