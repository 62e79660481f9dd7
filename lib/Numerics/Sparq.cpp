//===- Sparq.cpp - Sparsity-aware activation quantization -----------------===//

#include "tinyq/Numerics/Sparq.h"

#include <algorithm>
#include <cassert>
#include <vector>

using namespace tinyq::numerics;

std::string tinyq::numerics::verifySparqShifts(unsigned windowBits,
                                               Span<const int64_t> shifts) {
  if (windowBits < kMinSparqWindowBits || windowBits > kMaxSparqWindowBits)
    return "window width " + std::to_string(windowBits) +
           " is outside [2, 6] bits";
  if (shifts.empty())
    return "the shift set is empty";
  for (size_t i = 0; i < shifts.size(); ++i) {
    int64_t shift = shifts[i];
    if (shift < 0)
      return "shift " + std::to_string(shift) + " is negative";
    if (i > 0 && shift <= shifts[i - 1])
      return shift == shifts[i - 1]
                 ? "shift " + std::to_string(shift) + " appears twice"
                 : "shifts are not sorted: " + std::to_string(shift) +
                       " follows " + std::to_string(shifts[i - 1]);
    if (shift + int64_t(windowBits) - 1 > 7)
      return "the window at shift " + std::to_string(shift) + " covers bits " +
             std::to_string(shift) + ".." +
             std::to_string(shift + windowBits - 1) + ", past bit 7";
  }
  int64_t top = shifts[shifts.size() - 1];
  if (top + int64_t(windowBits) - 1 != 7)
    return "no window reaches bit 7: the largest shift must be " +
           std::to_string(8 - windowBits);
  return {};
}

uint8_t tinyq::numerics::sparqShiftMask(Span<const int64_t> shifts) {
  uint8_t mask = 0;
  for (int64_t shift : shifts) {
    assert(shift >= 0 && shift < 8 && "shift out of range");
    mask |= uint8_t(1u << shift);
  }
  return mask;
}

uint8_t tinyq::numerics::applyBitSparq(uint8_t magnitude, unsigned windowBits,
                                       uint8_t shiftMask,
                                       SparqRounding rounding) {
  if (magnitude == 0)
    return 0;
  unsigned leading = 7;
  while (!(magnitude & (1u << leading)))
    --leading;
  // The smallest allowed shift whose window still holds the leading one.
  unsigned shift = 0;
  while (shift < 8 &&
         !(((shiftMask >> shift) & 1u) && leading <= shift + windowBits - 1))
    ++shift;
  assert(shift < 8 && "shift set does not cover bit 7");
  unsigned windowMask = ((1u << windowBits) - 1u) << shift;
  unsigned result = magnitude & windowMask;
  if (rounding == SparqRounding::NearestEven && shift > 0) {
    bool roundBit = (magnitude >> (shift - 1)) & 1u;
    bool sticky = (magnitude & ((1u << (shift - 1)) - 1u)) != 0;
    bool lowestKept = (magnitude >> shift) & 1u;
    if (roundBit && (sticky || lowestKept))
      result += 1u << shift;
    if (result == (1u << (shift + windowBits)))
      result = windowMask;
  }
  return static_cast<uint8_t>(result);
}

uint8_t tinyq::numerics::applyBitSparq(uint8_t magnitude,
                                       const SparqConfig &config) {
  return applyBitSparq(magnitude, config.windowBits, config.shiftMask,
                       config.rounding);
}

void tinyq::numerics::applyPairSparq(uint8_t &first, uint8_t &second,
                                     const SparqConfig &config) {
  if (first != 0 && second != 0) {
    first = applyBitSparq(first, config);
    second = applyBitSparq(second, config);
    return;
  }
  // One member is zero: the other gets the pair's whole 2n-bit budget, with
  // every shift that keeps the doubled window inside the byte.
  unsigned doubled = 2 * config.windowBits;
  if (doubled >= 8)
    return;
  uint8_t allShifts = static_cast<uint8_t>((1u << (8 - doubled + 1)) - 1u);
  uint8_t &nonZero = first != 0 ? first : second;
  nonZero = applyBitSparq(nonZero, doubled, allShifts, config.rounding);
}

void tinyq::numerics::applySparq(Span<uint8_t> row, const SparqConfig &config) {
  if (!config.pairs) {
    for (uint8_t &value : row)
      value = applyBitSparq(value, config);
    return;
  }
  size_t i = 0;
  for (; i + 1 < row.size(); i += 2)
    applyPairSparq(row[i], row[i + 1], config);
  if (i < row.size()) {
    uint8_t virtualZero = 0;
    applyPairSparq(row[i], virtualZero, config);
  }
}

void tinyq::numerics::applySparqToStorage(Span<int64_t> values,
                                          size_t rowLength, int64_t zeroPoint,
                                          int64_t storageMin,
                                          int64_t storageMax,
                                          const SparqConfig &config) {
  std::vector<uint8_t> row;
  for (size_t start = 0; start < values.size(); start += rowLength) {
    size_t end = std::min(start + rowLength, values.size());
    row.clear();
    for (size_t i = start; i < end; ++i)
      row.push_back(sparqMagnitude(values[i], zeroPoint));
    applySparq({row.data(), row.size()}, config);
    for (size_t i = start; i < end; ++i)
      values[i] = std::clamp<int64_t>(row[i - start] + zeroPoint, storageMin,
                                      storageMax);
  }
}
