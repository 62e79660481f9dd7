//===- ReferenceTest.cpp - Reference integer kernels ----------------------===//

#include "tinyq/Numerics/Reference.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace tinyq::numerics;
using namespace tinyq::numerics::reference;

namespace {
std::vector<int8_t> randomInt8(std::mt19937 &rng, size_t count, int lo = -128,
                               int hi = 127) {
  std::uniform_int_distribution<int> dist(lo, hi);
  std::vector<int8_t> values(count);
  for (int8_t &v : values)
    v = int8_t(dist(rng));
  return values;
}

const QuantizedMultiplier kOne = {1 << 30, 1}; // 1.0
} // namespace

// 3x3 input (zero point 1), 2x2 kernel [[1, 2], [3, 4]], bias 10, scale 1,
// output zero point -3. With a = in - 1 = [[1,2,3],[4,5,6],[7,8,9]]:
//   [0][0] = 1 + 4 + 12 + 20 = 37, [0][1] = 2 + 6 + 15 + 24 = 47,
//   [1][0] = 4 + 10 + 21 + 32 = 67, [1][1] = 5 + 12 + 24 + 36 = 77;
// + 10 - 3 -> 44, 54, 74, 84.
TEST(Reference, Conv2dByHand) {
  std::vector<int8_t> input = {2, 3, 4, 5, 6, 7, 8, 9, 10};
  std::vector<int8_t> weights = {1, 2, 3, 4};
  std::vector<int32_t> bias = {10};
  std::vector<QuantizedMultiplier> multipliers = {kOne};
  WindowParams window;
  window.kernelH = window.kernelW = 2;
  OutputParams output;
  output.inputZeroPoint = 1;
  output.outputZeroPoint = -3;
  std::vector<int8_t> result(4);
  conv2d(input, {1, 3, 3, 1}, weights, 1, bias, multipliers, window, output,
         result);
  EXPECT_EQ(result, (std::vector<int8_t>{44, 54, 74, 84}));
}

// Padding holds the input zero point: a padded convolution equals the same
// convolution of the input explicitly padded with its zero point.
TEST(Reference, PaddingIsTheZeroPoint) {
  std::mt19937 rng(1);
  Shape4 in = {2, 5, 6, 3};
  std::vector<int8_t> input = randomInt8(rng, in.size());
  std::vector<int8_t> weights = randomInt8(rng, 4 * 3 * 3 * 3, -127, 127);
  std::vector<int32_t> bias = {5, -7, 100, 0};
  std::vector<QuantizedMultiplier> multipliers = {
      quantizeMultiplier(0.003), quantizeMultiplier(0.01),
      quantizeMultiplier(0.002), quantizeMultiplier(0.02)};
  OutputParams output;
  output.inputZeroPoint = -20;
  output.outputZeroPoint = 7;
  WindowParams padded;
  padded.kernelH = padded.kernelW = 3;
  padded.strideH = 2;
  padded.padTop = 1;
  padded.padBottom = 2;
  padded.padLeft = 2;
  padded.padRight = 1;
  int64_t outH = windowOutputSize(5, 3, 2, 1, 1, 2);
  int64_t outW = windowOutputSize(6, 3, 1, 1, 2, 1);
  std::vector<int8_t> a(in.n * outH * outW * 4), b(a.size());
  conv2d(input, in, weights, 4, bias, multipliers, padded, output, a);

  Shape4 big = {2, 5 + 3, 6 + 3, 3};
  std::vector<int8_t> explicitPad(big.size(), int8_t(output.inputZeroPoint));
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t y = 0; y < 5; ++y)
      for (int64_t x = 0; x < 6; ++x)
        for (int64_t c = 0; c < 3; ++c)
          explicitPad[((n * big.h + y + 1) * big.w + x + 2) * 3 + c] =
              input[((n * 5 + y) * 6 + x) * 3 + c];
  WindowParams unpadded = padded;
  unpadded.padTop = unpadded.padBottom = unpadded.padLeft = unpadded.padRight =
      0;
  conv2d(explicitPad, big, weights, 4, bias, multipliers, unpadded, output, b);
  EXPECT_EQ(a, b);
}

// Against an im2col formulation: accumulators as a matrix product of
// gathered patches, then the same requantization.
TEST(Reference, Conv2dMatchesIm2col) {
  std::mt19937 rng(2);
  for (int trial = 0; trial < 20; ++trial) {
    Shape4 in = {1, 7, 6, 5};
    int64_t outC = 3, kh = 3, kw = 2;
    WindowParams w;
    w.kernelH = kh;
    w.kernelW = kw;
    w.strideH = 1 + trial % 2;
    w.dilationW = 1 + trial % 3;
    std::vector<int8_t> input = randomInt8(rng, in.size());
    std::vector<int8_t> weights = randomInt8(rng, outC * kh * kw * in.c);
    std::vector<int32_t> bias = {int32_t(trial), -300, 77};
    std::vector<QuantizedMultiplier> m = {quantizeMultiplier(0.0041)};
    OutputParams output;
    output.inputZeroPoint = trial - 10;
    output.outputZeroPoint = -5;
    int64_t outH = windowOutputSize(in.h, kh, w.strideH, 1, 0, 0);
    int64_t outW = windowOutputSize(in.w, kw, 1, w.dilationW, 0, 0);
    std::vector<int8_t> result(outH * outW * outC);
    conv2d(input, in, weights, outC, bias, m, w, output, result);
    for (int64_t y = 0; y < outH; ++y)
      for (int64_t x = 0; x < outW; ++x) {
        std::vector<int32_t> patch;
        for (int64_t ky = 0; ky < kh; ++ky)
          for (int64_t kx = 0; kx < kw; ++kx)
            for (int64_t c = 0; c < in.c; ++c)
              patch.push_back(
                  input[((y * w.strideH + ky) * in.w + x + kx * w.dilationW) *
                            in.c +
                        c] -
                  output.inputZeroPoint);
        for (int64_t o = 0; o < outC; ++o) {
          int32_t acc = bias[o];
          for (size_t k = 0; k < patch.size(); ++k)
            acc += patch[k] * weights[o * patch.size() + k];
          ASSERT_EQ(result[(y * outW + x) * outC + o],
                    requantize(acc, m[0], -5, -128, 127))
              << trial << " " << y << " " << x << " " << o;
        }
      }
  }
}

// Depthwise with multiplier M equals, per input channel, an ordinary
// convolution of that channel alone with its M filters.
TEST(Reference, DepthwiseIsPerChannelConvolution) {
  std::mt19937 rng(3);
  Shape4 in = {1, 6, 6, 4};
  int64_t mult = 2, outC = in.c * mult;
  WindowParams w;
  w.kernelH = w.kernelW = 3;
  w.padTop = w.padBottom = w.padLeft = w.padRight = 1;
  std::vector<int8_t> input = randomInt8(rng, in.size());
  std::vector<int8_t> weights = randomInt8(rng, 3 * 3 * outC);
  std::vector<int32_t> bias(outC, 12);
  std::vector<QuantizedMultiplier> m;
  for (int64_t o = 0; o < outC; ++o)
    m.push_back(quantizeMultiplier(0.002 * (o + 1)));
  OutputParams output;
  output.inputZeroPoint = 3;
  std::vector<int8_t> result(6 * 6 * outC);
  depthwiseConv2d(input, in, weights, mult, bias, m, w, output, result);
  for (int64_t c = 0; c < in.c; ++c) {
    std::vector<int8_t> channel(36);
    for (int64_t p = 0; p < 36; ++p)
      channel[p] = input[p * in.c + c];
    std::vector<int8_t> filters(mult * 9);
    for (int64_t j = 0; j < mult; ++j)
      for (int64_t k = 0; k < 9; ++k)
        filters[j * 9 + k] = weights[k * outC + c * mult + j];
    std::vector<int32_t> b(bias.begin() + c * mult,
                           bias.begin() + (c + 1) * mult);
    std::vector<QuantizedMultiplier> cm(m.begin() + c * mult,
                                        m.begin() + (c + 1) * mult);
    std::vector<int8_t> single(36 * mult);
    conv2d(channel, {1, 6, 6, 1}, filters, mult, b, cm, w, output, single);
    for (int64_t p = 0; p < 36; ++p)
      for (int64_t j = 0; j < mult; ++j)
        ASSERT_EQ(result[p * outC + c * mult + j], single[p * mult + j]);
  }
}

// Two rows, depth 3, two outputs, by hand: with zin = -1, inputs + 1 are
// [1, 2, 3] and [0, -1, 4]; weights [[1, 0, -1], [2, 2, 2]], bias [0, 1],
// scale 0.5 (multiplier 2^30, shift 0, so the high multiply rounds and
// ties go up): row 0 -> [-2, 13] * 0.5 = [-1, 6.5 -> 7]; row 1 ->
// [-4, 7] * 0.5 = [-2, 3.5 -> 4].
TEST(Reference, FullyConnectedByHand) {
  std::vector<int8_t> input = {0, 1, 2, -1, -2, 3};
  std::vector<int8_t> weights = {1, 0, -1, 2, 2, 2};
  std::vector<int32_t> bias = {0, 1};
  std::vector<QuantizedMultiplier> m = {quantizeMultiplier(0.5)};
  OutputParams output;
  output.inputZeroPoint = -1;
  std::vector<int8_t> result(4);
  fullyConnected(input, 2, 3, weights, 2, bias, m, output, result);
  EXPECT_EQ(result, (std::vector<int8_t>{-1, 7, -2, 4}));
}

// Scales 0.5 (zero point 2) and 0.25 (zero point -4) into scale 1 (zero
// point 3), TFLite's parameters: twice the larger input scale is 1, so the
// inputs are scaled by 0.5 and 0.25 and the sum by 2^-20. 12 and 8 stand for
// (12 - 2) * 0.5 = 5 and (8 + 4) * 0.25 = 3: 8 + 3 = 11. -128 and -128 stand
// for -65 and -31: -96 + 3 = -93, clamped to -90.
TEST(Reference, AddByHand) {
  AddParams params;
  params.lhsZeroPoint = 2;
  params.rhsZeroPoint = -4;
  params.outputZeroPoint = 3;
  params.lhsMultiplier = quantizeMultiplier(0.5);
  params.rhsMultiplier = quantizeMultiplier(0.25);
  params.outputMultiplier = quantizeMultiplier(1.0 / (1 << 20));
  params.clampMin = -90;
  std::vector<int8_t> lhs = {12, -128}, rhs = {8, -128}, result(2);
  add(lhs, rhs, params, result);
  EXPECT_EQ(result, (std::vector<int8_t>{11, -90}));
}

// With TFLite's parameters the integer sum is within one step of the real
// sum, for random scales and every pair of inputs.
TEST(Reference, AddTracksTheRealSum) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> scaleDist(0.005, 0.2);
  std::uniform_int_distribution<int> zeroDist(-128, 127);
  for (int trial = 0; trial < 20; ++trial) {
    double lhsScale = scaleDist(rng), rhsScale = scaleDist(rng),
           outScale = scaleDist(rng);
    AddParams params;
    params.lhsZeroPoint = zeroDist(rng);
    params.rhsZeroPoint = zeroDist(rng);
    params.outputZeroPoint = zeroDist(rng);
    double twiceMax = 2 * std::max(lhsScale, rhsScale);
    params.lhsMultiplier = quantizeMultiplier(lhsScale / twiceMax);
    params.rhsMultiplier = quantizeMultiplier(rhsScale / twiceMax);
    params.outputMultiplier =
        quantizeMultiplier(twiceMax / (double(1 << 20) * outScale));
    std::vector<int8_t> lhs, rhs;
    for (int a = -128; a < 128; ++a)
      for (int b = -128; b < 128; ++b) {
        lhs.push_back(int8_t(a));
        rhs.push_back(int8_t(b));
      }
    std::vector<int8_t> result(lhs.size());
    add(lhs, rhs, params, result);
    for (size_t i = 0; i < result.size(); ++i) {
      double real = (lhs[i] - params.lhsZeroPoint) * lhsScale +
                    (rhs[i] - params.rhsZeroPoint) * rhsScale;
      double exact =
          std::clamp(real / outScale + params.outputZeroPoint, -128.0, 127.0);
      ASSERT_LE(std::abs(result[i] - exact), 1.0)
          << "trial " << trial << ", inputs " << int(lhs[i]) << ", "
          << int(rhs[i]);
    }
  }
}

// 2x2 windows, stride 2, over a 1x4x4x1 input with one row of padding at
// the bottom and right: the padded windows take the maximum of their real
// elements only, even when all of those are negative.
TEST(Reference, MaxPoolByHand) {
  std::vector<int8_t> input = {1,  5,  -3, -7, //
                               2,  0,  -9, -8, //
                               -5, -6, 4,  3,  //
                               -2, -4, 2,  1};
  WindowParams window;
  window.kernelH = window.kernelW = 2;
  window.strideH = window.strideW = 2;
  std::vector<int8_t> result(4);
  maxPool2d(input, {1, 4, 4, 1}, window, result);
  EXPECT_EQ(result, (std::vector<int8_t>{5, -3, -2, 4}));

  // 3x3 input, pad bottom/right by 1: windows {(0,0)-(1,1)}, {(0,2)},
  // {(2,0)}, {(2,2)}.
  std::vector<int8_t> small = {-10, -20, -30, -40, -50, -60, -70, -80, -90};
  window.padBottom = window.padRight = 1;
  maxPool2d(small, {1, 3, 3, 1}, window, result);
  EXPECT_EQ(result, (std::vector<int8_t>{-10, -30, -70, -90}));
}

// 2x2 windows, stride 2, on a 1x3x3x1 input with zero point 1 and one row
// and column of padding at the end; x - 1 is [[0, 1, 2], [3, 4, 5],
// [6, 7, -9]]. Windows: {0, 1, 3, 4} -> 8 / 4 = 2; {2, 5} -> 7 / 2 = 3.5 ->
// 4; {6, 7} -> 6.5 -> 7; {-9} -> -9. Halves round away from zero: a
// window summing to -7 over 2 gives -4. Scale 1, output zero point -1.
TEST(Reference, AvgPoolByHand) {
  std::vector<int8_t> input = {1, 2, 3, 4, 5, 6, 7, 8, -8};
  WindowParams window;
  window.kernelH = window.kernelW = 2;
  window.strideH = window.strideW = 2;
  window.padBottom = window.padRight = 1;
  OutputParams output;
  output.inputZeroPoint = 1;
  output.outputZeroPoint = -1;
  std::vector<int8_t> result(4);
  avgPool2d(input, {1, 3, 3, 1}, window, kOne, output, result);
  EXPECT_EQ(result, (std::vector<int8_t>{1, 3, 6, -10}));

  std::vector<int8_t> negative = {-3, -4}; // x - 1 = -4, -5: -9 / 2 = -4.5
  WindowParams row;
  row.kernelW = 2;
  std::vector<int8_t> one(1);
  avgPool2d(negative, {1, 1, 2, 1}, row, kOne, output, one);
  EXPECT_EQ(one[0], -5 - 1);
}

// A 2x3 matrix [[0, 1, 2], [3, 4, 5]] transposed reads 0, 3, 1, 4, 2, 5;
// the NCHW -> NHWC permutation of a 1x2x2x2 tensor interleaves channels.
TEST(Reference, TransposeSources) {
  std::vector<int64_t> matrix = {2, 3};
  std::vector<int32_t> swap = {1, 0};
  EXPECT_EQ(getTransposeSources(matrix, swap),
            (std::vector<int64_t>{0, 3, 1, 4, 2, 5}));
  std::vector<int64_t> nchw = {1, 2, 2, 2};
  std::vector<int32_t> toNhwc = {0, 2, 3, 1};
  EXPECT_EQ(getTransposeSources(nchw, toNhwc),
            (std::vector<int64_t>{0, 4, 1, 5, 2, 6, 3, 7}));
}

// SPARQ on a depthwise row, by hand: one channel, a 3x3 input with the
// zero point -128 and a 3x3 window of ones, so the row is the nine
// magnitudes [0, 200, 37, 0, 5, 9, 255, 1, 130] in (ky, kx) order. With
// n = 4, 5opt, truncate and pairs: (0, 200) and (37, 0) keep the non-zero
// member whole; 5 and 9 fit the window at shift 0; 255 keeps bits 4..7
// (240) and 1 stays 1; 130 pairs with a virtual zero and stays whole. The
// sum is 200 + 37 + 5 + 9 + 240 + 1 + 130 = 622; the multiplier 2^30
// with shift -2 (1/8) first halves with rounding (311), then divides by 4
// with rounding: 77.75 -> 78.
TEST(Reference, SparqDepthwiseRowByHand) {
  std::vector<int> magnitudes = {0, 200, 37, 0, 5, 9, 255, 1, 130};
  std::vector<int8_t> input;
  for (int a : magnitudes)
    input.push_back(int8_t(a - 128));
  std::vector<int8_t> weights(9, 1);
  std::vector<QuantizedMultiplier> m = {{1 << 30, -2}}; // 1/8
  WindowParams window;
  window.kernelH = window.kernelW = 3;
  OutputParams output;
  output.inputZeroPoint = -128;
  output.sparq = SparqConfig{4, 0b11111, SparqRounding::Truncate, true};
  std::vector<int8_t> result(1);
  depthwiseConv2d(input, {1, 3, 3, 1}, weights, 1, {}, m, window, output,
                  result);
  EXPECT_EQ(result[0], 78);
  // Without pairs 200 keeps bits 4..7 (192), 37 bits 2..5 (36), 130 bits
  // 4..7 (128): 192 + 36 + 5 + 9 + 240 + 1 + 128 = 611; halved with
  // rounding 305.5 -> 306, then 306 / 4 = 76.5 -> 77 (TFLite's two
  // roundings, see docs/Numerics.md).
  output.sparq->pairs = false;
  depthwiseConv2d(input, {1, 3, 3, 1}, weights, 1, {}, m, window, output,
                  result);
  EXPECT_EQ(result[0], 77);
}

// With an even channel count, a convolution's pairs never straddle two
// pixels, so SPARQ on the rows equals SPARQ on each pixel's channels
// before a plain convolution (padding is magnitude 0 either way).
TEST(Reference, SparqConvPairsStayInsidePixels) {
  std::mt19937 rng(7);
  Shape4 in{1, 5, 5, 4};
  int64_t outC = 3;
  std::vector<int8_t> input = randomInt8(rng, size_t(in.size()));
  std::vector<int8_t> weights =
      randomInt8(rng, size_t(outC * 3 * 3 * 4), -7, 7);
  std::vector<QuantizedMultiplier> m = {quantizeMultiplier(0.003)};
  WindowParams window;
  window.kernelH = window.kernelW = 3;
  window.padTop = window.padBottom = window.padLeft = window.padRight = 1;
  OutputParams output;
  output.inputZeroPoint = -128;
  output.sparq = SparqConfig{4, 0b10101, SparqRounding::NearestEven, true};
  std::vector<int8_t> sparq(size_t(in.n * 5 * 5 * outC));
  conv2d(input, in, weights, outC, {}, m, window, output, sparq);

  std::vector<int8_t> coded = input;
  for (size_t pixel = 0; pixel < coded.size(); pixel += 4) {
    uint8_t row[4];
    for (int c = 0; c < 4; ++c)
      row[c] = uint8_t(coded[pixel + c] + 128);
    applySparq({row, 4}, *output.sparq);
    for (int c = 0; c < 4; ++c)
      coded[pixel + c] = int8_t(int(row[c]) - 128);
  }
  output.sparq.reset();
  std::vector<int8_t> plain(sparq.size());
  conv2d(coded, in, weights, outC, {}, m, window, output, plain);
  EXPECT_EQ(sparq, plain);
  // And SPARQ changed something.
  std::vector<int8_t> untouched(sparq.size());
  conv2d(input, in, weights, outC, {}, m, window, output, untouched);
  EXPECT_NE(sparq, untouched);
}
