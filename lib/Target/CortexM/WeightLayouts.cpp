//===- WeightLayouts.cpp - Cortex-M kernels' constant tables --------------===//

#include "tinyq/Target/CortexM/WeightLayouts.h"
#include "tinyq/Numerics/Int4.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <cassert>

using namespace llvm;
using namespace tinyq::cortexm;

const char *tinyq::cortexm::getWordLayoutName(WordLayout layout) {
  switch (layout) {
  case WordLayout::Int8:
    return "int8";
  case WordLayout::Int16:
    return "int16";
  case WordLayout::Int4:
    return "int4";
  case WordLayout::Int4Halves:
    return "int4-halves";
  case WordLayout::MveBytes:
    return "mve-bytes";
  }
  llvm_unreachable("unknown word layout");
}

int64_t tinyq::cortexm::getProductScale(WordLayout layout) {
  switch (layout) {
  case WordLayout::Int4:
    return 16;
  case WordLayout::Int4Halves:
    return 4096;
  default:
    return 1;
  }
}

int32_t tinyq::cortexm::packHalves(int16_t low, int16_t high) {
  return int32_t(uint32_t(uint16_t(low)) | uint32_t(uint16_t(high)) << 16);
}

void tinyq::cortexm::appendHalfwordPairs(SmallVectorImpl<int32_t> &words,
                                         const int8_t *w, int16_t factor) {
  words.append({packHalves(factor * w[0], factor * w[2]),
                packHalves(factor * w[1], factor * w[3])});
}

int64_t tinyq::cortexm::getWeightsPerStep(WordLayout layout) {
  if (layout == WordLayout::MveBytes)
    return kMveBytes;
  return getProductScale(layout) > 1 ? 8 : 4;
}

int64_t tinyq::cortexm::getWordsPerStep(WordLayout layout) {
  if (layout == WordLayout::MveBytes)
    return kMveBytes / 4;
  return layout == WordLayout::Int16 ? 2 : 1;
}

SmallVector<int32_t>
tinyq::cortexm::packWeightWords(ArrayRef<int8_t> weights, int64_t depth,
                                int64_t first, int64_t channels,
                                WordLayout layout, int16_t factor) {
  int64_t perStep = getWeightsPerStep(layout);
  SmallVector<int32_t> words;
  for (int64_t step = 0; step < depth / perStep; ++step) {
    for (int64_t channel = first; channel < first + channels; ++channel) {
      const int8_t *w = weights.data() + channel * depth + step * perStep;
      if (layout == WordLayout::Int16) {
        appendHalfwordPairs(words, w, factor);
        continue;
      }
      if (layout == WordLayout::Int4Halves) {
        uint32_t word = 0;
        constexpr int64_t kNibbleOrder[] = {5, 4, 1, 0, 7, 6, 3, 2};
        for (auto [nibble, index] : llvm::enumerate(kNibbleOrder))
          word |= (uint32_t(w[index]) & 15u) << (4 * nibble);
        words.push_back(int32_t(word));
        continue;
      }
      if (layout == WordLayout::MveBytes) {
        for (int64_t word = 0; word < kMveBytes / 4; ++word) {
          uint32_t bytes = 0;
          for (int64_t i = 0; i < 4; ++i)
            bytes |= uint32_t(uint8_t(w[4 * word + i])) << (8 * i);
          words.push_back(int32_t(bytes));
        }
        continue;
      }
      uint32_t word = 0;
      for (int64_t i = 0; i < 4; ++i) {
        uint32_t byte = layout == WordLayout::Int8
                            ? uint8_t(w[i])
                            : numerics::packInt4Pair(/*low=*/w[4 + i],
                                                     /*high=*/w[i]);
        word |= byte << (8 * i);
      }
      words.push_back(int32_t(word));
    }
  }
  return words;
}

ChannelTiling::ChannelTiling(int64_t outputs, int64_t wideTile)
    : outputs(outputs), wideTile(wideTile),
      wideEnd(outputs - outputs % wideTile),
      tiledEnd(outputs - outputs % kChannelTile) {}

int64_t ChannelTiling::getWidth(int64_t first) const {
  return first < wideEnd ? wideTile : first < tiledEnd ? kChannelTile : 1;
}

SmallVector<int32_t>
tinyq::cortexm::packTiledWeightWords(ArrayRef<int8_t> weights, int64_t depth,
                                     const ChannelTiling &tiling,
                                     WordLayout layout, int16_t factor) {
  SmallVector<int32_t> words;
  for (int64_t first = 0; first < tiling.outputs;
       first += tiling.getWidth(first))
    words.append(packWeightWords(weights, depth, first, tiling.getWidth(first),
                                 layout, factor));
  return words;
}

SmallVector<int32_t>
tinyq::cortexm::packTileMajorParameters(ArrayRef<int32_t> bias,
                                        ArrayRef<int32_t> multipliers,
                                        ArrayRef<int32_t> shifts) {
  bool perChannel = !multipliers.empty();
  int64_t stride = getTileMajorStride(perChannel);
  int64_t tiles = divideCeil(bias.size(), kChannelTile);
  SmallVector<int32_t> table(tiles * stride, 0);
  for (int64_t channel = 0; channel < int64_t(bias.size()); ++channel) {
    int64_t base = channel / kChannelTile * stride + channel % kChannelTile;
    table[base] = bias[channel];
    if (perChannel) {
      table[base + kChannelTile] = multipliers[channel];
      table[base + 2 * kChannelTile] = shifts[channel];
    }
  }
  return table;
}

int64_t tinyq::cortexm::getTileMajorStride(bool perChannel) {
  return (perChannel ? 3 : 1) * kChannelTile;
}

SmallVector<int32_t> tinyq::cortexm::packColumnWords(ArrayRef<int8_t> weights,
                                                     int64_t outputs,
                                                     int64_t depth) {
  int64_t tiles = divideCeil(outputs, kChannelTile);
  SmallVector<int32_t> columns(tiles * depth, 0);
  for (int64_t channel = 0; channel < outputs; ++channel) {
    for (auto [k, weight] : enumerate(weights.slice(channel * depth, depth))) {
      auto byte = uint32_t(uint8_t(weight)) << (8 * (channel % kChannelTile));
      columns[channel / kChannelTile * depth + k] |= int32_t(byte);
    }
  }
  return columns;
}

SmallVector<int32_t>
tinyq::cortexm::unfoldInputZeroPoint(ArrayRef<int32_t> foldedBias,
                                     ArrayRef<int8_t> weights, int64_t depth,
                                     int32_t inputZeroPoint) {
  SmallVector<int32_t> bias;
  for (auto [channel, folded] : enumerate(foldedBias)) {
    int64_t sum = 0;
    for (int8_t weight : weights.slice(channel * depth, depth))
      sum += weight;
    bias.push_back(
        int32_t(uint32_t(folded) + uint32_t(int64_t(inputZeroPoint) * sum)));
  }
  return bias;
}

bool tinyq::cortexm::isTwoOfFourSparse(ArrayRef<int8_t> weights,
                                       int64_t depth) {
  if (depth % 4 != 0)
    return false;
  for (size_t start = 0; start < weights.size(); start += 4)
    if (count_if(weights.slice(start, 4), [](int8_t w) { return w != 0; }) > 2)
      return false;
  return true;
}

SmallVector<int32_t>
tinyq::cortexm::packTwoOfFourStream(ArrayRef<int8_t> weights, int64_t outputs,
                                    int64_t depth) {
  int64_t groups = depth / 4;
  int64_t tiles = divideCeil(outputs, kChannelTile);
  SmallVector<int32_t> stream;
  for (int64_t tile = 0; tile < tiles; ++tile) {
    for (int64_t group = 0; group < groups; ++group) {
      for (int64_t channel = tile * kChannelTile;
           channel < (tile + 1) * kChannelTile; ++channel) {
        if (channel >= outputs) {
          stream.append({0, int32_t(group * kGroupPairCount)});
          continue;
        }
        const int8_t *w = weights.data() + channel * depth + 4 * group;
        // The first pair that holds every non-zero weight of the group.
        const auto *pair = find_if(kGroupPairs, [&](auto positions) {
          for (int64_t i = 0; i < 4; ++i)
            if (w[i] != 0 && i != positions.first && i != positions.second)
              return false;
          return true;
        });
        assert(pair != std::end(kGroupPairs) && "not 2:4 sparse");
        stream.append({packHalves(w[pair->first], w[pair->second]),
                       int32_t(group * kGroupPairCount +
                               (pair - std::begin(kGroupPairs)))});
      }
    }
  }
  return stream;
}

SmallVector<int32_t> tinyq::cortexm::packDepthwiseHalfwords(
    ArrayRef<int8_t> weights, int64_t channels, int64_t taps, int16_t factor) {
  SmallVector<int32_t> words;
  for (int64_t first = 0; first < channels; first += kChannelTile) {
    for (int64_t tap = 0; tap < taps; ++tap) {
      int8_t w[kChannelTile];
      for (int64_t lane = 0; lane < kChannelTile; ++lane)
        w[lane] = weights[(first + lane) * taps + tap];
      appendHalfwordPairs(words, w, factor);
    }
  }
  return words;
}

SmallVector<int8_t> tinyq::cortexm::packDepthwiseBytes(ArrayRef<int8_t> weights,
                                                       int64_t channels,
                                                       int64_t taps,
                                                       int64_t tile) {
  SmallVector<int8_t> bytes;
  for (int64_t first = 0; first < channels; first += tile)
    for (int64_t tap = 0; tap < taps; ++tap)
      for (int64_t lane = 0; lane < tile; ++lane)
        bytes.push_back(weights[(first + lane) * taps + tap]);
  return bytes;
}

SmallVector<int32_t> tinyq::cortexm::orderEvenThenOdd(ArrayRef<int32_t> table) {
  SmallVector<int32_t> ordered(table.size());
  for (int64_t channel = 0; channel < int64_t(table.size()); ++channel) {
    int64_t lane = channel % 8;
    ordered[channel - lane + (lane % 2) * 4 + lane / 2] = table[channel];
  }
  return ordered;
}
