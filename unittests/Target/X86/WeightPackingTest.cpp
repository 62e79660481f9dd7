//===- WeightPackingTest.cpp - x86-64 kernels' constant tables ------------===//
//
// The tables are checked the way the kernel uses them: vpdpbusd is
// emulated from its definition in Intel's SDM (per 32-bit lane, four
// products of an unsigned byte of the first source by a signed byte of the
// second, summed into the lane without saturation), run tile by tile over
// the packed weights with the activations offset to unsigned bytes, and
// compared with the plain sums (x - zero point) * w + bias, for shapes
// that are and are not whole tiles and groups.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Target/X86/WeightPacking.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

using namespace tinyq::x86;

namespace {
/// One vpdpbusd: acc[i] += sum_j zext(a[4i + j]) * sext(b[4i + j]).
void vpdpbusd(std::vector<int32_t> &acc, const uint8_t *a, const int8_t *b) {
  for (size_t lane = 0; lane < acc.size(); ++lane) {
    uint32_t sum = uint32_t(acc[lane]);
    for (int64_t j = 0; j < kGroupBytes; ++j)
      sum += uint32_t(int32_t(a[lane * kGroupBytes + j]) *
                      int32_t(b[lane * kGroupBytes + j]));
    acc[lane] = int32_t(sum);
  }
}

TEST(WeightPacking, DotProductTilesGiveTheLayerSums) {
  std::mt19937 engine(7);
  std::uniform_int_distribution<int> byte(-128, 127);
  for (int64_t lanes : {8, 16})
    for (int64_t outputs : {1, 3, 8, 16, 17, 37})
      for (int64_t depth : {1, 3, 4, 5, 16, 63, 64, 70}) {
        int32_t zeroPoint = byte(engine);
        std::vector<int8_t> weights(outputs * depth), input(depth);
        std::vector<int32_t> bias(outputs);
        for (int8_t &w : weights)
          w = int8_t(byte(engine));
        for (int8_t &x : input)
          x = int8_t(byte(engine));
        for (int32_t &b : bias)
          b = byte(engine) * 1000;
        std::vector<int8_t> packed =
            packDotProductTiles(weights, outputs, depth, lanes);
        std::vector<int32_t> folded =
            foldUnsignedOffset(bias, weights, outputs, depth, zeroPoint, lanes);
        int64_t groups = (depth + kGroupBytes - 1) / kGroupBytes;
        int64_t tiles = (outputs + lanes - 1) / lanes;
        ASSERT_EQ(int64_t(packed.size()), tiles * groups * lanes * kGroupBytes);
        ASSERT_EQ(int64_t(folded.size()), tiles * lanes);
        for (int64_t tile = 0; tile < tiles; ++tile) {
          std::vector<int32_t> acc(folded.begin() + tile * lanes,
                                   folded.begin() + (tile + 1) * lanes);
          for (int64_t group = 0; group < groups; ++group) {
            // The group's 4 activations + 128 in every lane; past the depth
            // the kernel reads -128, so 0 (the weights there are 0 too).
            std::vector<uint8_t> broadcast(lanes * kGroupBytes);
            for (int64_t lane = 0; lane < lanes; ++lane)
              for (int64_t j = 0; j < kGroupBytes; ++j) {
                int64_t step = group * kGroupBytes + j;
                broadcast[lane * kGroupBytes + j] =
                    uint8_t((step < depth ? input[step] : -128) + 128);
              }
            vpdpbusd(acc, broadcast.data(),
                     &packed[(tile * groups + group) * lanes * kGroupBytes]);
          }
          for (int64_t lane = 0; lane < lanes; ++lane) {
            int64_t channel = tile * lanes + lane;
            if (channel >= outputs) {
              EXPECT_EQ(acc[lane], 0) << "padding channel " << channel;
              continue;
            }
            int32_t expected = bias[channel];
            for (int64_t step = 0; step < depth; ++step)
              expected +=
                  (input[step] - zeroPoint) * weights[channel * depth + step];
            EXPECT_EQ(acc[lane], expected)
                << "lanes " << lanes << ", " << outputs << "x" << depth
                << ", channel " << channel;
          }
        }
      }
}

TEST(WeightPacking, TablesRepeatPerTensorValuesAndPadWithTheLast) {
  EXPECT_EQ(padToTiles({5}, 3, 4), (std::vector<int32_t>{5, 5, 5, 5}));
  EXPECT_EQ(padToTiles({1, 2, 3}, 3, 2), (std::vector<int32_t>{1, 2, 3, 3}));
}
} // namespace
