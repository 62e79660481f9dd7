//===- Reference.cpp - Reference integer kernels --------------------------===//

#include "tinyq/Numerics/Reference.h"

#include <algorithm>
#include <cassert>
#include <climits>

using namespace tinyq::numerics;
using namespace tinyq::numerics::reference;

std::vector<int64_t> reference::getTransposeSources(Span<const int64_t> shape,
                                                    Span<const int32_t> perms) {
  size_t rank = shape.size();
  assert(perms.size() == rank && "one permutation entry per dimension");
  std::vector<int64_t> strides(rank, 1), outShape(rank);
  for (size_t d = rank; d-- > 1;)
    strides[d - 1] = strides[d] * shape[d];
  int64_t count = 1;
  for (size_t d = 0; d < rank; ++d) {
    outShape[d] = shape[perms[d]];
    count *= shape[d];
  }
  std::vector<int64_t> sources(count), index(rank, 0);
  for (int64_t flat = 0; flat < count; ++flat) {
    int64_t source = 0;
    for (size_t d = 0; d < rank; ++d)
      source += index[d] * strides[perms[d]];
    sources[flat] = source;
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < outShape[d])
        break;
      index[d] = 0;
    }
  }
  return sources;
}

int64_t reference::windowOutputSize(int64_t input, int64_t kernel,
                                    int64_t stride, int64_t dilation,
                                    int64_t padBefore, int64_t padAfter) {
  int64_t extent = (kernel - 1) * dilation + 1;
  int64_t span = input + padBefore + padAfter - extent;
  return span < 0 ? 0 : span / stride + 1;
}

/// The output height and width of a window over \p in.
static std::pair<int64_t, int64_t> getOutputSize(Shape4 in,
                                                 const WindowParams &w) {
  return {windowOutputSize(in.h, w.kernelH, w.strideH, w.dilationH, w.padTop,
                           w.padBottom),
          windowOutputSize(in.w, w.kernelW, w.strideW, w.dilationW, w.padLeft,
                           w.padRight)};
}

/// Calls \p body(ky, kx, iy, ix) for each kernel position of the window of
/// output pixel (\p y, \p x) that falls inside the input (not the padding).
template <typename Body>
static void forEachInWindow(Shape4 in, const WindowParams &w, int64_t y,
                            int64_t x, Body body) {
  for (int64_t ky = 0; ky < w.kernelH; ++ky) {
    int64_t iy = y * w.strideH + ky * w.dilationH - w.padTop;
    if (iy < 0 || iy >= in.h)
      continue;
    for (int64_t kx = 0; kx < w.kernelW; ++kx) {
      int64_t ix = x * w.strideW + kx * w.dilationW - w.padLeft;
      if (ix >= 0 && ix < in.w)
        body(ky, kx, iy, ix);
    }
  }
}

/// The requantized value of accumulator \p acc for channel \p channel.
static int8_t finish(int32_t acc, int64_t channel,
                     Span<const QuantizedMultiplier> multipliers,
                     const OutputParams &output) {
  QuantizedMultiplier m =
      multipliers.size() == 1 ? multipliers[0] : multipliers[channel];
  return static_cast<int8_t>(requantize(acc, m, output.outputZeroPoint,
                                        output.clampMin, output.clampMax));
}

/// Shared loop of the convolutions: \p weightAt(o, ky, kx, i) gives the
/// weight and \p inputChannel(o, i) the input channel it multiplies;
/// \p depth input channels contribute to each output channel.
template <typename WeightAt, typename InputChannel>
static void
slide(Span<const int8_t> input, Shape4 in, int64_t outChannels, int64_t depth,
      Span<const int32_t> bias, Span<const QuantizedMultiplier> multipliers,
      const WindowParams &w, const OutputParams &output, Span<int8_t> result,
      WeightAt weightAt, InputChannel inputChannel) {
  auto [outH, outW] = getOutputSize(in, w);
  assert(int64_t(result.size()) == in.n * outH * outW * outChannels &&
         "result size mismatch");
  assert(bias.empty() || int64_t(bias.size()) == outChannels);
  std::vector<uint8_t> row;
  for (int64_t n = 0; n < in.n; ++n)
    for (int64_t y = 0; y < outH; ++y)
      for (int64_t x = 0; x < outW; ++x)
        for (int64_t o = 0; o < outChannels; ++o) {
          // The exact sum fits in int64; int32 accumulation is the contract
          // of the kernels, so wrap as they do.
          int64_t acc = bias.empty() ? 0 : bias[o];
          if (output.sparq) {
            // The reduction row in (ky, kx, i) order; padding is 0.
            row.assign(size_t(w.kernelH * w.kernelW * depth), 0);
            forEachInWindow(
                in, w, y, x,
                [&](int64_t ky, int64_t kx, int64_t iy, int64_t ix) {
                  for (int64_t i = 0; i < depth; ++i) {
                    int32_t value = input[((n * in.h + iy) * in.w + ix) * in.c +
                                          inputChannel(o, i)];
                    row[(ky * w.kernelW + kx) * depth + i] =
                        sparqMagnitude(value, output.inputZeroPoint);
                  }
                });
            applySparq({row.data(), row.size()}, *output.sparq);
            for (int64_t ky = 0; ky < w.kernelH; ++ky)
              for (int64_t kx = 0; kx < w.kernelW; ++kx)
                for (int64_t i = 0; i < depth; ++i)
                  acc += int64_t(row[(ky * w.kernelW + kx) * depth + i]) *
                         weightAt(o, ky, kx, i);
          } else {
            forEachInWindow(
                in, w, y, x,
                [&](int64_t ky, int64_t kx, int64_t iy, int64_t ix) {
                  for (int64_t i = 0; i < depth; ++i) {
                    int64_t c = inputChannel(o, i);
                    int32_t value =
                        input[((n * in.h + iy) * in.w + ix) * in.c + c];
                    acc += int64_t(value - output.inputZeroPoint) *
                           weightAt(o, ky, kx, i);
                  }
                });
          }
          result[((n * outH + y) * outW + x) * outChannels + o] =
              finish(static_cast<int32_t>(static_cast<uint32_t>(acc)), o,
                     multipliers, output);
        }
}

void reference::conv2d(Span<const int8_t> input, Shape4 inputShape,
                       Span<const int8_t> weights, int64_t outputChannels,
                       Span<const int32_t> bias,
                       Span<const QuantizedMultiplier> multipliers,
                       const WindowParams &window, const OutputParams &output,
                       Span<int8_t> result) {
  int64_t kh = window.kernelH, kw = window.kernelW, c = inputShape.c;
  assert(int64_t(weights.size()) == outputChannels * kh * kw * c);
  slide(
      input, inputShape, outputChannels, c, bias, multipliers, window, output,
      result,
      [&](int64_t o, int64_t ky, int64_t kx, int64_t i) -> int32_t {
        return weights[((o * kh + ky) * kw + kx) * c + i];
      },
      [](int64_t, int64_t i) { return i; });
}

void reference::depthwiseConv2d(Span<const int8_t> input, Shape4 inputShape,
                                Span<const int8_t> weights, int64_t multiplier,
                                Span<const int32_t> bias,
                                Span<const QuantizedMultiplier> multipliers,
                                const WindowParams &window,
                                const OutputParams &output,
                                Span<int8_t> result) {
  int64_t kw = window.kernelW, outC = inputShape.c * multiplier;
  assert(int64_t(weights.size()) == window.kernelH * kw * outC);
  slide(
      input, inputShape, outC, 1, bias, multipliers, window, output, result,
      [&](int64_t o, int64_t ky, int64_t kx, int64_t) -> int32_t {
        return weights[(ky * kw + kx) * outC + o];
      },
      [&](int64_t o, int64_t) { return o / multiplier; });
}

void reference::fullyConnected(Span<const int8_t> input, int64_t rows,
                               int64_t depth, Span<const int8_t> weights,
                               int64_t outputs, Span<const int32_t> bias,
                               Span<const QuantizedMultiplier> multipliers,
                               const OutputParams &output,
                               Span<int8_t> result) {
  // A fully connected layer is a 1x1 convolution over rows x 1 pixels.
  conv2d(input, {1, rows, 1, depth}, weights, outputs, bias, multipliers,
         WindowParams(), output, result);
}

/// The pooling loop: result element (n, y, x, c) is \p pool(forEach), where
/// forEach(visit) calls visit(value) for the input elements of channel c
/// in the window (padding is not part of it).
template <typename Pool>
static void poolWindows(Span<const int8_t> input, Shape4 in,
                        const WindowParams &w, Span<int8_t> result, Pool pool) {
  auto [outH, outW] = getOutputSize(in, w);
  assert(int64_t(result.size()) == in.n * outH * outW * in.c &&
         "result size mismatch");
  for (int64_t n = 0; n < in.n; ++n)
    for (int64_t y = 0; y < outH; ++y)
      for (int64_t x = 0; x < outW; ++x)
        for (int64_t c = 0; c < in.c; ++c)
          result[((n * outH + y) * outW + x) * in.c + c] =
              pool([&](auto visit) {
                forEachInWindow(
                    in, w, y, x, [&](int64_t, int64_t, int64_t iy, int64_t ix) {
                      visit(int32_t(
                          input[((n * in.h + iy) * in.w + ix) * in.c + c]));
                    });
              });
}

void reference::maxPool2d(Span<const int8_t> input, Shape4 in,
                          const WindowParams &w, Span<int8_t> result) {
  poolWindows(input, in, w, result, [](auto forEach) {
    int32_t best = INT32_MIN;
    forEach([&](int32_t value) { best = std::max(best, value); });
    // A window entirely in the padding has no element; TOSA forbids it
    // (pad < kernel), so any value would do.
    return static_cast<int8_t>(best == INT32_MIN ? INT8_MIN : best);
  });
}

void reference::avgPool2d(Span<const int8_t> input, Shape4 in,
                          const WindowParams &w, QuantizedMultiplier multiplier,
                          const OutputParams &output, Span<int8_t> result) {
  poolWindows(input, in, w, result, [&](auto forEach) {
    int32_t acc = 0, count = 0;
    forEach([&](int32_t value) {
      acc += value - output.inputZeroPoint;
      ++count;
    });
    assert(count > 0 && "window entirely in the padding");
    int32_t half = count / 2;
    int32_t average = acc >= 0 ? (acc + half) / count : (acc - half) / count;
    return static_cast<int8_t>(requantize(average, multiplier,
                                          output.outputZeroPoint,
                                          output.clampMin, output.clampMax));
  });
}

void reference::add(Span<const int8_t> lhs, Span<const int8_t> rhs,
                    const AddParams &params, Span<int8_t> result) {
  assert(lhs.size() == result.size() && rhs.size() == result.size() &&
         "operand size mismatch");
  assert(params.leftShift >= 0 && params.leftShift <= 22 &&
         params.lhsMultiplier.shift <= 0 && params.rhsMultiplier.shift <= 0 &&
         "addition parameters outside the overflow-free range");
  for (size_t i = 0; i < result.size(); ++i) {
    int32_t headroom = int32_t(1) << params.leftShift;
    int32_t lhsShifted = (int32_t(lhs[i]) - params.lhsZeroPoint) * headroom;
    int32_t rhsShifted = (int32_t(rhs[i]) - params.rhsZeroPoint) * headroom;
    int32_t sum =
        multiplyByQuantizedMultiplier(lhsShifted, params.lhsMultiplier) +
        multiplyByQuantizedMultiplier(rhsShifted, params.rhsMultiplier);
    result[i] = static_cast<int8_t>(
        requantize(sum, params.outputMultiplier, params.outputZeroPoint,
                   params.clampMin, params.clampMax));
  }
}
