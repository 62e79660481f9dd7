//===- Reference.h - Reference integer kernels ------------------*- C++ -*-===//
//
// Plain loops over the integer operators TinyQ compiles, with the numerics
// contract's requantization. They exist only to check generated code, which
// must match them bit for bit. Layouts: activations NHWC, convolution
// weights OHWI, depthwise weights [KH, KW, C * M] (TFLite's 1HWC), fully
// connected weights [O, K]; weights are symmetric (zero point 0).
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_NUMERICS_REFERENCE_H
#define TINYQ_NUMERICS_REFERENCE_H

#include "tinyq/Numerics/FixedPoint.h"
#include "tinyq/Numerics/Span.h"
#include "tinyq/Numerics/Sparq.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace tinyq::numerics::reference {

/// For each element, in row-major order, of the transpose of a row-major
/// tensor of \p shape (output dimension d is input dimension perms[d]):
/// the flat index of its source element.
std::vector<int64_t> getTransposeSources(Span<const int64_t> shape,
                                         Span<const int32_t> perms);

/// An NHWC activation shape.
struct Shape4 {
  int64_t n, h, w, c;
  int64_t size() const { return n * h * w * c; }
};

/// Sliding-window parameters and the output's quantization.
struct WindowParams {
  int64_t kernelH = 1, kernelW = 1;
  int64_t strideH = 1, strideW = 1;
  int64_t dilationH = 1, dilationW = 1;
  /// Padding holds the input zero point, i.e. contributes nothing.
  int64_t padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
};

struct OutputParams {
  int32_t inputZeroPoint = 0;
  int32_t outputZeroPoint = 0;
  int32_t clampMin = -128;
  int32_t clampMax = 127;
  /// SPARQ on the activations (conv2d, depthwiseConv2d, fullyConnected):
  /// the magnitudes clamp(x - inputZeroPoint, 0, 255) of each output's
  /// reduction row, in (ky, kx, i) order with padding as 0, go through
  /// applySparq before they are multiplied.
  std::optional<SparqConfig> sparq;
};

/// The output extent of a window over \p input extent (floor rule).
int64_t windowOutputSize(int64_t input, int64_t kernel, int64_t stride,
                         int64_t dilation, int64_t padBefore, int64_t padAfter);

/// Convolution: out[n,y,x,o] = requantize(bias[o] + sum over (ky,kx,i) of
/// (in[n, y*sh + ky*dh - pt, x*sw + kx*dw - pl, i] - zin) * w[o,ky,kx,i]),
/// with multiplier[o] (or multiplier[0] for all channels).
void conv2d(Span<const int8_t> input, Shape4 inputShape,
            Span<const int8_t> weights, int64_t outputChannels,
            Span<const int32_t> bias,
            Span<const QuantizedMultiplier> multipliers,
            const WindowParams &window, const OutputParams &output,
            Span<int8_t> result);

/// Depthwise convolution with channel multiplier M: output channel
/// c * M + m reads input channel c with weights[ky, kx, c * M + m].
void depthwiseConv2d(Span<const int8_t> input, Shape4 inputShape,
                     Span<const int8_t> weights, int64_t multiplier,
                     Span<const int32_t> bias,
                     Span<const QuantizedMultiplier> multipliers,
                     const WindowParams &window, const OutputParams &output,
                     Span<int8_t> result);

/// Fully connected: out[r, o] = requantize(bias[o] + sum over k of
/// (in[r, k] - zin) * w[o, k]) for \p rows rows of depth \p depth.
void fullyConnected(Span<const int8_t> input, int64_t rows, int64_t depth,
                    Span<const int8_t> weights, int64_t outputs,
                    Span<const int32_t> bias,
                    Span<const QuantizedMultiplier> multipliers,
                    const OutputParams &output, Span<int8_t> result);

/// Max pooling over the window; padded positions never win (they are not
/// part of the window), as in TOSA and TFLite.
void maxPool2d(Span<const int8_t> input, Shape4 inputShape,
               const WindowParams &window, Span<int8_t> result);

/// Average pooling: for each window, the sum of (x - inputZeroPoint) over
/// its n positions inside the input (padding is not part of the window)
/// divided by n, rounded half away from zero, then requantized by
/// \p multiplier into the output zero point and clamp of \p output.
void avgPool2d(Span<const int8_t> input, Shape4 inputShape,
               const WindowParams &window, QuantizedMultiplier multiplier,
               const OutputParams &output, Span<int8_t> result);

/// Parameters of an elementwise addition of two quantized tensors with
/// TFLite's rescaling: both inputs are brought to a common scale with
/// \p leftShift bits of headroom, added exactly, then requantized.
struct AddParams {
  int32_t lhsZeroPoint = 0, rhsZeroPoint = 0, outputZeroPoint = 0;
  /// In [0, 22], so that (x - z) << leftShift fits in 31 bits.
  int32_t leftShift = 20;
  /// Input multipliers have shifts <= 0 (real factors below 1), so that the
  /// sum of the rescaled inputs cannot overflow int32.
  QuantizedMultiplier lhsMultiplier{0, 0}, rhsMultiplier{0, 0};
  QuantizedMultiplier outputMultiplier{0, 0};
  int32_t clampMin = -128, clampMax = 127;
};

/// Addition: out = requantize(mul(lhs - zl << s, ml) + mul(rhs - zr << s,
/// mr), mo) with multiplyByQuantizedMultiplier for `mul`; \p lhs and
/// \p rhs have the same number of elements as \p result.
void add(Span<const int8_t> lhs, Span<const int8_t> rhs,
         const AddParams &params, Span<int8_t> result);

} // namespace tinyq::numerics::reference

#endif // TINYQ_NUMERICS_REFERENCE_H
