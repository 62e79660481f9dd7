//===- WeightPacking.cpp - Weight tiles of the x86-64 kernels -------------===//

#include "tinyq/Target/X86/WeightPacking.h"

#include "llvm/Support/MathExtras.h"

using namespace tinyq;

std::vector<int8_t> x86::packDotProductTiles(llvm::ArrayRef<int8_t> weights,
                                             int64_t outputs, int64_t depth,
                                             int64_t lanes) {
  int64_t tiles = llvm::divideCeil(outputs, lanes);
  int64_t groups = llvm::divideCeil(depth, kGroupBytes);
  std::vector<int8_t> packed(tiles * groups * lanes * kGroupBytes, 0);
  for (int64_t channel = 0; channel < outputs; ++channel) {
    int64_t tile = channel / lanes, lane = channel % lanes;
    for (int64_t step = 0; step < depth; ++step) {
      int64_t group = step / kGroupBytes;
      packed[((tile * groups + group) * lanes + lane) * kGroupBytes +
             step % kGroupBytes] = weights[channel * depth + step];
    }
  }
  return packed;
}

std::vector<int32_t> x86::foldUnsignedOffset(llvm::ArrayRef<int32_t> bias,
                                             llvm::ArrayRef<int8_t> weights,
                                             int64_t outputs, int64_t depth,
                                             int32_t inputZeroPoint,
                                             int64_t lanes) {
  std::vector<int32_t> folded(llvm::divideCeil(outputs, lanes) * lanes, 0);
  uint32_t offset = uint32_t(128 + int64_t(inputZeroPoint));
  for (int64_t channel = 0; channel < outputs; ++channel) {
    uint32_t sum = 0;
    for (int64_t step = 0; step < depth; ++step)
      sum += uint32_t(int32_t(weights[channel * depth + step]));
    // Unsigned arithmetic wraps as the kernel's int32 lanes do.
    folded[channel] = int32_t(uint32_t(bias[channel]) - offset * sum);
  }
  return folded;
}

std::vector<int32_t> x86::padToTiles(llvm::ArrayRef<int32_t> values,
                                     int64_t outputs, int64_t lanes) {
  std::vector<int32_t> padded(llvm::divideCeil(outputs, lanes) * lanes,
                              values.back());
  for (int64_t channel = 0; channel < outputs; ++channel)
    padded[channel] = values.size() == 1 ? values.front() : values[channel];
  return padded;
}
