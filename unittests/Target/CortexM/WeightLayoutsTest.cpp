//===- WeightLayoutsTest.cpp - Cortex-M kernels' constant tables ----------===//
//
// Each layout is checked the way the kernel uses it: the Arm instructions
// the kernels emit (sxtb16, smlad, smlabb, smlatt, smlatb, vmlava) are
// emulated here from their architectural definitions, run over the packed
// words and random inputs, and their sums compared with plain dot products
// of the unpacked weights; exhaustively where the domain is small (every
// int4 value in every nibble, every int8 halfword pair, every 2:4 pattern).
// The tables the lowering tests used to spell out are checked here too.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Target/CortexM/WeightLayouts.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

using namespace tinyq::cortexm;

namespace {
//===----------------------------------------------------------------------===//
// The instructions, from the Armv7-M Architecture Reference Manual.
//===----------------------------------------------------------------------===//

int32_t low(int32_t x) { return int16_t(uint32_t(x) & 0xFFFF); }
int32_t high(int32_t x) { return int16_t(uint32_t(x) >> 16); }
int32_t halves(int32_t lo, int32_t hi) {
  return int32_t((uint32_t(lo) & 0xFFFF) | (uint32_t(hi) << 16));
}
/// Bytes 0 and 2, sign-extended to the halfwords.
int32_t sxtb16(int32_t x) {
  return halves(int8_t(uint32_t(x)), int8_t(uint32_t(x) >> 16));
}
int32_t ror8(int32_t x) {
  return int32_t(uint32_t(x) >> 8 | uint32_t(x) << 24);
}
int32_t smlad(int32_t a, int32_t b, int32_t acc) {
  return int32_t(uint32_t(acc) + uint32_t(low(a) * low(b)) +
                 uint32_t(high(a) * high(b)));
}
int32_t smlabb(int32_t a, int32_t b, int32_t acc) {
  return acc + low(a) * low(b);
}
int32_t smlatt(int32_t a, int32_t b, int32_t acc) {
  return acc + high(a) * high(b);
}
int32_t smlatb(int32_t a, int32_t b, int32_t acc) {
  return acc + high(a) * low(b);
}
/// The little-endian word of 4 input bytes.
int32_t word(const int8_t *x) {
  uint32_t w = 0;
  for (int i = 0; i < 4; ++i)
    w |= uint32_t(uint8_t(x[i])) << (8 * i);
  return int32_t(w);
}

std::vector<int8_t> randomValues(std::mt19937 &rng, size_t count, int lo,
                                 int hi) {
  std::uniform_int_distribution<int> value(lo, hi);
  std::vector<int8_t> values(count);
  for (int8_t &v : values)
    v = int8_t(value(rng));
  return values;
}

/// What the dense kernel's tile sums for channel `channel` of the tile
/// (\p channels wide) over input \p x, from the tile's \p words: per step,
/// the input unpacked once and each channel's words in \p layout, as
/// DenseKernels.cpp's computeTile reads them. The sum carries the layout's
/// product scale.
int64_t kernelSum(ArrayRef<int32_t> words, WordLayout layout,
                  const std::vector<int8_t> &x, int64_t channels,
                  int64_t channel) {
  int64_t perStep = getWeightsPerStep(layout);
  int64_t wordsPerStep = getWordsPerStep(layout);
  int64_t steps = int64_t(x.size()) / perStep;
  int64_t sum = 0;
  for (int64_t step = 0; step < steps; ++step) {
    const int32_t *w =
        words.data() + (step * channels + channel) * wordsPerStep;
    const int8_t *in = x.data() + step * perStep;
    if (layout == WordLayout::MveBytes) {
      // vmlava.s8: the 16 bytes of four little-endian words.
      for (int64_t i = 0; i < kMveBytes; ++i)
        sum += int64_t(in[i]) * int8_t(uint32_t(w[i / 4]) >> (8 * (i % 4)));
      continue;
    }
    std::vector<int32_t> xs;
    for (int64_t half = 0; half < perStep / 4; ++half) {
      int32_t xw = word(in + 4 * half);
      xs.push_back(sxtb16(xw));
      xs.push_back(sxtb16(ror8(xw)));
    }
    std::vector<int32_t> ws;
    if (layout == WordLayout::Int16) {
      ws = {w[0], w[1]};
    } else if (layout == WordLayout::Int4Halves) {
      for (int p = 0; p < 4; ++p)
        ws.push_back(int32_t((uint32_t(w[0]) << (4 * p)) & 0xF000F000u));
    } else {
      std::vector<int32_t> bytes = {w[0]};
      if (layout == WordLayout::Int4)
        bytes = {int32_t(uint32_t(w[0]) & 0xF0F0F0F0u),
                 int32_t((uint32_t(w[0]) << 4) & 0xF0F0F0F0u)};
      for (int32_t b : bytes) {
        ws.push_back(sxtb16(b));
        ws.push_back(sxtb16(ror8(b)));
      }
    }
    int32_t acc = 0;
    for (size_t i = 0; i < xs.size(); ++i)
      acc = smlad(xs[i], ws[i], acc);
    sum += acc;
  }
  return sum;
}

/// Checks that \p layout's words of random weights in [lo, hi] give every
/// channel of a tile its dot product with random inputs, times the
/// layout's scale (and \p factor for Int16 halves).
void checkDotProducts(WordLayout layout, int64_t depth, int64_t channels,
                      int lo, int hi, int16_t factor = 1) {
  std::mt19937 rng(depth * 31 + channels);
  std::vector<int8_t> weights = randomValues(rng, channels * depth, lo, hi);
  SmallVector<int32_t> words =
      packWeightWords(weights, depth, 0, channels, layout, factor);
  EXPECT_EQ(int64_t(words.size()), depth / getWeightsPerStep(layout) *
                                       getWordsPerStep(layout) * channels);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<int8_t> x = randomValues(rng, depth, -128, 127);
    for (int64_t channel = 0; channel < channels; ++channel) {
      int64_t expected = 0;
      for (int64_t k = 0; k < depth; ++k)
        expected += int64_t(weights[channel * depth + k]) * x[k];
      int64_t scale =
          getProductScale(layout) * (layout == WordLayout::Int16 ? factor : 1);
      EXPECT_EQ(kernelSum(words, layout, x, channels, channel),
                expected * scale)
          << "channel " << channel << ", trial " << trial;
    }
  }
}
} // namespace

//===----------------------------------------------------------------------===//
// Dense kernels' words
//===----------------------------------------------------------------------===//

TEST(WeightLayouts, EveryLayoutGivesTheDotProducts) {
  checkDotProducts(WordLayout::Int8, 24, 4, -128, 127);
  checkDotProducts(WordLayout::Int16, 24, 4, -128, 127);
  checkDotProducts(WordLayout::Int16, 16, 1, -128, 127, /*factor=*/2);
  checkDotProducts(WordLayout::Int4, 32, 4, -8, 7);
  checkDotProducts(WordLayout::Int4Halves, 32, 4, -8, 7);
  checkDotProducts(WordLayout::MveBytes, 48, 8, -128, 127);
  checkDotProducts(WordLayout::MveBytes, 32, 4, -8, 7);
}

TEST(WeightLayouts, Int4HalvesHoldEveryNibbleInPlace) {
  // (word << 4p) & 0xF000F000 is 4096 times the pair (w[a], w[b]) that
  // sxtb16 pair p of the input meets: (0, 2), (1, 3), (4, 6), (5, 7).
  constexpr int kPairs[4][2] = {{0, 2}, {1, 3}, {4, 6}, {5, 7}};
  for (int position = 0; position < 8; ++position) {
    for (int value = -8; value <= 7; ++value) {
      int8_t w[8] = {};
      w[position] = int8_t(value);
      int32_t packed = packWeightWords(ArrayRef<int8_t>(w, 8), 8, 0, 1,
                                       WordLayout::Int4Halves)[0];
      for (int p = 0; p < 4; ++p) {
        int32_t pair = int32_t((uint32_t(packed) << (4 * p)) & 0xF000F000u);
        EXPECT_EQ(low(pair), 4096 * w[kPairs[p][0]]);
        EXPECT_EQ(high(pair), 4096 * w[kPairs[p][1]]);
      }
    }
  }
}

TEST(WeightLayouts, Int4BytesHoldEveryPairOfNibbles) {
  // Byte i holds w[i] in the high nibble, w[4 + i] in the low one.
  for (int highValue = -8; highValue <= 7; ++highValue) {
    for (int lowValue = -8; lowValue <= 7; ++lowValue) {
      int8_t w[8] = {};
      w[1] = int8_t(highValue);
      w[5] = int8_t(lowValue);
      uint32_t packed = uint32_t(packWeightWords(ArrayRef<int8_t>(w, 8), 8, 0,
                                                 1, WordLayout::Int4)[0]);
      EXPECT_EQ(int8_t((packed >> 8) & 0xF0), 16 * highValue);
      EXPECT_EQ(int8_t(((packed << 4) >> 8) & 0xF0), 16 * lowValue);
    }
  }
}

TEST(WeightLayouts, HalfwordPairsHoldEveryInt8Pair) {
  for (int a = -128; a <= 127; ++a) {
    for (int b = -128; b <= 127; ++b) {
      int32_t pair = packHalves(int16_t(a), int16_t(b));
      ASSERT_EQ(low(pair), a);
      ASSERT_EQ(high(pair), b);
    }
  }
}

TEST(WeightLayouts, FullyConnectedTablesOfTheLoweringTest) {
  // lower-cortex-m.mlir's @fully_connected: six channels of depth 8, a
  // tile of 4 then two single channels.
  const int8_t weights[] = {1,   2,    3,  4,  5, 6, 7, 8, -1, -2, -3, -4,
                            -5,  -6,   -7, -8, 0, 1, 0, 1, 0,  1,  0,  1,
                            127, -127, 1,  2,  3, 4, 5, 6, 2,  2,  2,  2,
                            2,   2,    2,  2,  9, 8, 7, 6, 5,  4,  3,  2};
  ChannelTiling tiling(/*outputs=*/6, /*wideTile=*/kChannelTile);
  EXPECT_EQ(packTiledWeightWords(weights, 8, tiling, WordLayout::Int16,
                                 /*factor=*/2),
            (SmallVector<int32_t>{393218,  524292,  -327682, -458756, 0,
                                  131074,  131326,  327426,  917514,  1048588,
                                  -851978, -983052, 0,       131074,  655366,
                                  786440,  262148,  262148,  262148,  262148,
                                  917522,  786448,  393226,  262152}));
  EXPECT_EQ(packTiledWeightWords(weights, 8, tiling, WordLayout::Int8, 1),
            (SmallVector<int32_t>{67305985, -50462977, 16777472, 33653119,
                                  134678021, -117835013, 16777472, 100992003,
                                  33686018, 33686018, 101124105, 33752069}));
  // The bias (doubled) in one table of whole tiles, per-tensor.
  EXPECT_EQ(
      packTileMajorParameters({9236, -9176, 1084, 5456, 4196, 11384}, {}, {}),
      (SmallVector<int32_t>{9236, -9176, 1084, 5456, 4196, 11384, 0, 0}));
}

TEST(WeightLayouts, TilingPutsWideTilesFirst) {
  ChannelTiling tiling(/*outputs=*/19, /*wideTile=*/8);
  EXPECT_EQ(tiling.wideEnd, 16);
  EXPECT_EQ(tiling.tiledEnd, 16);
  std::vector<int64_t> widths;
  for (int64_t first = 0; first < 19; first += tiling.getWidth(first))
    widths.push_back(tiling.getWidth(first));
  EXPECT_EQ(widths, (std::vector<int64_t>{8, 8, 1, 1, 1}));
  ChannelTiling narrow(/*outputs=*/14, /*wideTile=*/8);
  widths.clear();
  for (int64_t first = 0; first < 14; first += narrow.getWidth(first))
    widths.push_back(narrow.getWidth(first));
  EXPECT_EQ(widths, (std::vector<int64_t>{8, 4, 1, 1}));
  // Channel c's tile starts at word c * words per channel.
  std::mt19937 rng(3);
  std::vector<int8_t> weights = randomValues(rng, 14 * 32, -128, 127);
  SmallVector<int32_t> all =
      packTiledWeightWords(weights, 32, narrow, WordLayout::MveBytes, 1);
  int64_t perChannel = 32 / kMveBytes * 4;
  SmallVector<int32_t> tile =
      packWeightWords(weights, 32, /*first=*/8,
                      /*channels=*/4, WordLayout::MveBytes);
  EXPECT_EQ(ArrayRef<int32_t>(all).slice(8 * perChannel, tile.size()),
            ArrayRef<int32_t>(tile));
}

TEST(WeightLayouts, TileMajorParametersAreAtFixedOffsets) {
  // lower-cortex-m.mlir's @per_channel_tables: five channels, doubled
  // biases and the short form's -shift - 1.
  SmallVector<int32_t> table = packTileMajorParameters(
      {20, 40, 60, 80, 100},
      {1073741824, 1200000000, 1300000000, 1400000000, 1500000000},
      {6, 7, 8, 9, 10});
  EXPECT_EQ(table, (SmallVector<int32_t>{
                       20,         40,         60, 80, 1073741824, 1200000000,
                       1300000000, 1400000000, 6,  7,  8,          9,
                       100,        0,          0,  0,  1500000000, 0,
                       0,          0,          10, 0,  0,          0}));
  EXPECT_EQ(getTileMajorStride(/*perChannel=*/true), 12);
  EXPECT_EQ(getTileMajorStride(/*perChannel=*/false), 4);
  // Entry k of channel c: (c / 4) * 12 + 4k + c % 4.
  for (int channel = 0; channel < 5; ++channel)
    EXPECT_EQ(table[channel / 4 * 12 + 8 + channel % 4], 6 + channel);
}

//===----------------------------------------------------------------------===//
// Sparse kernels
//===----------------------------------------------------------------------===//

TEST(WeightLayouts, ColumnsGiveTheSkippingKernelsSums) {
  // lower-cortex-m-skip-zeros.mlir's table: six channels of depth 8.
  const int8_t weights[] = {1,   2,    3,  4,  5, 6, 7, 8, -1, -2, -3, -4,
                            -5,  -6,   -7, -8, 0, 1, 0, 1, 0,  1,  0,  1,
                            127, -127, 1,  2,  3, 4, 5, 6, 2,  2,  2,  2,
                            2,   2,    2,  2,  9, 8, 7, 6, 5,  4,  3,  2};
  SmallVector<int32_t> columns = packColumnWords(weights, 6, 8);
  EXPECT_EQ(columns,
            (SmallVector<int32_t>{2130771713, -2130575870, 16841987, 33684484,
                                  50395909, 67238406, 83949831, 100792328, 2306,
                                  2050, 1794, 1538, 1282, 1026, 770, 514}));
  // The kernel: entries (x - z) << 16 | k; per tile and entry, the column
  // unpacked into (w0, w2), (w1, w3) and multiplied by the entry's top
  // halfword.
  std::mt19937 rng(11);
  std::vector<int8_t> x = randomValues(rng, 8, -128, 127);
  int32_t z = -7;
  for (int64_t tile = 0; tile < 2; ++tile) {
    int32_t sums[4] = {};
    for (int64_t k = 0; k < 8; ++k) {
      int32_t entry = int32_t(uint32_t(x[k] - z) << 16 | uint32_t(k));
      int32_t w = columns[tile * 8 + k];
      int32_t even = sxtb16(w), odd = sxtb16(ror8(w));
      sums[0] = smlatb(entry, even, sums[0]);
      sums[1] = smlatb(entry, odd, sums[1]);
      sums[2] = smlatt(entry, even, sums[2]);
      sums[3] = smlatt(entry, odd, sums[3]);
    }
    for (int64_t lane = 0; lane < 4; ++lane) {
      int64_t channel = tile * 4 + lane;
      int32_t expected = 0;
      for (int64_t k = 0; channel < 6 && k < 8; ++k)
        expected += weights[channel * 8 + k] * (x[k] - z);
      EXPECT_EQ(sums[lane], expected) << "channel " << channel;
    }
  }
  // bias - z * sum(w), with the zero-point term taken back out.
  SmallVector<int32_t> folded;
  for (int64_t channel = 0; channel < 6; ++channel) {
    int32_t sum = 0;
    for (int64_t k = 0; k < 8; ++k)
      sum += weights[channel * 8 + k];
    folded.push_back(10 * (channel + 1) - z * sum);
  }
  EXPECT_EQ(unfoldInputZeroPoint(folded, weights, 8, z),
            (SmallVector<int32_t>{10, 20, 30, 40, 50, 60}));
}

TEST(WeightLayouts, TwoOfFourStreamCoversEveryPattern) {
  // Every group of 4 weights with at most 2 non-zero, from values
  // {-3, 0, 5}: the stream's weight pair times the input pair it names
  // (from the expanded row: kGroupPairs of sxtb16's halves) is the group's
  // dot product.
  std::vector<std::vector<int8_t>> groups;
  const int8_t values[] = {-3, 0, 5};
  for (int a : values)
    for (int b : values)
      for (int c : values)
        for (int d : values) {
          std::vector<int8_t> g = {int8_t(a), int8_t(b), int8_t(c), int8_t(d)};
          if (std::count_if(g.begin(), g.end(),
                            [](int8_t w) { return w != 0; }) <= 2)
            groups.push_back(g);
        }
  // 1 + 4 * 2 + 6 * 4 = 33 patterns of at most 2 non-zeros.
  ASSERT_EQ(groups.size(), 33u);
  std::mt19937 rng(5);
  for (const std::vector<int8_t> &group : groups) {
    // One channel of depth 8: the group, then a random group of 2.
    std::vector<int8_t> weights = group;
    weights.insert(weights.end(), {0, 7, 0, -2});
    ASSERT_TRUE(isTwoOfFourSparse(weights, 8));
    SmallVector<int32_t> stream = packTwoOfFourStream(weights, 1, 8);
    // Tile of 4 channels (3 padding), 2 groups, 2 words each.
    ASSERT_EQ(stream.size(), 2u * 4 * 2);
    std::vector<int8_t> x = randomValues(rng, 8, -128, 127);
    int32_t sum = 0;
    for (int64_t g = 0; g < 2; ++g) {
      int32_t xw = word(x.data() + 4 * g);
      int32_t even = sxtb16(xw), odd = sxtb16(ror8(xw));
      int32_t expanded[kGroupPairCount] = {even,
                                           odd,
                                           halves(low(even), low(odd)),
                                           halves(high(even), high(odd)),
                                           halves(low(even), high(odd)),
                                           halves(low(odd), high(even))};
      int32_t weightPair = stream[g * 8];
      int32_t place = stream[g * 8 + 1];
      ASSERT_EQ(place / kGroupPairCount, g);
      sum = smlad(expanded[place % kGroupPairCount], weightPair, sum);
    }
    int32_t expected = 0;
    for (int64_t k = 0; k < 8; ++k)
      expected += weights[k] * x[k];
    EXPECT_EQ(sum, expected);
  }
  EXPECT_FALSE(isTwoOfFourSparse(std::vector<int8_t>{1, 2, 3, 0}, 4));
  EXPECT_FALSE(isTwoOfFourSparse(std::vector<int8_t>{1, 0, 0, 0, 0, 0}, 6));
}

TEST(WeightLayouts, TwoOfFourStreamOfTheLoweringTest) {
  // lower-cortex-m-two-of-four.mlir: two channels of depth 8.
  const int8_t weights[] = {1, 0, 2, 0, 0, 3, 0, -4, 0, 5, 6, 0, 7, 0, 0, 0};
  EXPECT_EQ(packTwoOfFourStream(weights, 2, 8),
            (SmallVector<int32_t>{131073, 0, 393221, 5, 0, 0, 0, 0, -262141, 7,
                                  7, 6, 0, 6, 0, 6}));
}

//===----------------------------------------------------------------------===//
// Depthwise kernels
//===----------------------------------------------------------------------===//

TEST(WeightLayouts, DepthwiseHalfwordsMeetTheInputPairs) {
  // 8 channels, 9 taps: per tile and tap, smlabb / smlatt of the input's
  // (c0, c2), (c1, c3) with the two words.
  std::mt19937 rng(9);
  int64_t channels = 8, taps = 9;
  std::vector<int8_t> weights = randomValues(rng, channels * taps, -128, 127);
  SmallVector<int32_t> words =
      packDepthwiseHalfwords(weights, channels, taps, /*factor=*/2);
  ASSERT_EQ(int64_t(words.size()), channels / 4 * taps * 2);
  std::vector<int8_t> x = randomValues(rng, channels * taps, -128, 127);
  for (int64_t tile = 0; tile < channels / 4; ++tile) {
    int32_t sums[4] = {};
    for (int64_t tap = 0; tap < taps; ++tap) {
      int8_t in[4];
      for (int64_t lane = 0; lane < 4; ++lane)
        in[lane] = x[tap * channels + tile * 4 + lane];
      int32_t xw = word(in);
      int32_t x02 = sxtb16(xw), x13 = sxtb16(ror8(xw));
      int32_t w02 = words[2 * (tile * taps + tap)];
      int32_t w13 = words[2 * (tile * taps + tap) + 1];
      sums[0] = smlabb(x02, w02, sums[0]);
      sums[2] = smlatt(x02, w02, sums[2]);
      sums[1] = smlabb(x13, w13, sums[1]);
      sums[3] = smlatt(x13, w13, sums[3]);
    }
    for (int64_t lane = 0; lane < 4; ++lane) {
      int64_t channel = tile * 4 + lane;
      int32_t expected = 0;
      for (int64_t tap = 0; tap < taps; ++tap)
        expected += weights[channel * taps + tap] * x[tap * channels + channel];
      EXPECT_EQ(sums[lane], 2 * expected) << "channel " << channel;
    }
  }
  // lower-cortex-m.mlir's @depthwise: w[tap][c] = 4 * tap + c + 1, doubled.
  std::vector<int8_t> byChannel(4 * 9);
  for (int64_t tap = 0; tap < 9; ++tap)
    for (int64_t c = 0; c < 4; ++c)
      byChannel[c * 9 + tap] = int8_t(4 * tap + c + 1);
  SmallVector<int32_t> table = packDepthwiseHalfwords(byChannel, 4, 9, 2);
  EXPECT_EQ(ArrayRef<int32_t>(table).take_front(4),
            (ArrayRef<int32_t>{393218, 524292, 917514, 1048588}));
}

TEST(WeightLayouts, DepthwiseBytesAndEvenThenOdd) {
  // Per tile of 8 channels and tap, the tile's weights in channel order.
  std::vector<int8_t> byChannel(16 * 3);
  for (int64_t c = 0; c < 16; ++c)
    for (int64_t tap = 0; tap < 3; ++tap)
      byChannel[c * 3 + tap] = int8_t(10 * tap + c);
  SmallVector<int8_t> bytes = packDepthwiseBytes(byChannel, 16, 3, 8);
  ASSERT_EQ(bytes.size(), 48u);
  for (int64_t tile = 0; tile < 2; ++tile)
    for (int64_t tap = 0; tap < 3; ++tap)
      for (int64_t lane = 0; lane < 8; ++lane)
        EXPECT_EQ(bytes[(tile * 3 + tap) * 8 + lane],
                  10 * tap + tile * 8 + lane);
  // lower-cortex-m-depthwise8.mlir's bias and shifts.
  EXPECT_EQ(orderEvenThenOdd({10, 11, 12, 13, 14, 15, 16, 17}),
            (SmallVector<int32_t>{10, 12, 14, 16, 11, 13, 15, 17}));
  EXPECT_EQ(orderEvenThenOdd(
                {-7, -8, -9, -10, -11, -12, -13, -14, 0, 1, 2, 3, 4, 5, 6, 7}),
            (SmallVector<int32_t>{-7, -9, -11, -13, -8, -10, -12, -14, 0, 2, 4,
                                  6, 1, 3, 5, 7}));
}
