//===- SparqTest.cpp - Sparsity-aware activation quantization -------------===//
//
// bSPARQ is checked on all 256 magnitudes for each named option set and both
// roundings against a reference written in arithmetic terms (integer
// division and remainders) rather than the implementation's bit operations.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Numerics/Sparq.h"

#include <gtest/gtest.h>

#include <vector>

using namespace tinyq::numerics;

namespace {
struct NamedSet {
  const char *name;
  unsigned bits;
  std::vector<int64_t> shifts;
};

const std::vector<NamedSet> &namedSets() {
  static const std::vector<NamedSet> sets = {
      {"4-bit 5opt", 4, {0, 1, 2, 3, 4}},  {"4-bit 3opt", 4, {0, 2, 4}},
      {"4-bit 2opt", 4, {0, 4}},           {"3-bit", 3, {0, 1, 2, 3, 4, 5}},
      {"2-bit", 2, {0, 1, 2, 3, 4, 5, 6}},
  };
  return sets;
}

/// The window a magnitude uses: the first allowed shift s whose window
/// [s, s + n) holds a, i.e. a < 2^(s + n).
unsigned referenceShift(unsigned a, unsigned n,
                        const std::vector<int64_t> &shifts) {
  for (int64_t s : shifts)
    if (a < (1u << (s + n)))
      return unsigned(s);
  ADD_FAILURE() << "no window holds " << a;
  return 0;
}

unsigned referenceSparq(unsigned a, unsigned n,
                        const std::vector<int64_t> &shifts, bool nearest) {
  if (a == 0)
    return 0;
  unsigned s = referenceShift(a, n, shifts);
  unsigned unit = 1u << s;
  unsigned quotient = a / unit, remainder = a % unit;
  if (nearest && s > 0) {
    unsigned half = unit / 2;
    if (remainder > half || (remainder == half && quotient % 2 == 1))
      ++quotient;
    if (quotient == (1u << n)) // the carry left the window
      quotient = (1u << n) - 1;
  }
  return quotient * unit;
}

SparqConfig makeConfig(const NamedSet &set, SparqRounding rounding,
                       bool pairs) {
  return {set.bits, sparqShiftMask(set.shifts), rounding, pairs};
}

unsigned significantBits(unsigned v) {
  if (v == 0)
    return 0;
  unsigned high = 7, low = 0;
  while (!(v >> high & 1u))
    --high;
  while (!(v >> low & 1u))
    ++low;
  return high - low + 1;
}
} // namespace

TEST(Sparq, NamedSetsAreValid) {
  for (const NamedSet &set : namedSets())
    EXPECT_EQ(verifySparqShifts(set.bits, set.shifts), "") << set.name;
}

TEST(Sparq, InvalidSetsAreDescribed) {
  auto problem = [](unsigned bits, std::vector<int64_t> shifts) {
    return verifySparqShifts(bits, shifts);
  };
  EXPECT_EQ(problem(7, {0, 1}), "window width 7 is outside [2, 6] bits");
  EXPECT_EQ(problem(1, {0, 7}), "window width 1 is outside [2, 6] bits");
  EXPECT_EQ(problem(4, {}), "the shift set is empty");
  EXPECT_EQ(problem(4, {-1, 4}), "shift -1 is negative");
  EXPECT_EQ(problem(4, {0, 2, 2, 4}), "shift 2 appears twice");
  EXPECT_EQ(problem(4, {0, 4, 2}), "shifts are not sorted: 2 follows 4");
  EXPECT_EQ(problem(4, {0, 5}),
            "the window at shift 5 covers bits 5..8, past bit 7");
  EXPECT_EQ(problem(4, {0, 3}),
            "no window reaches bit 7: the largest shift must be 4");
}

TEST(Sparq, AllMagnitudesMatchTheReference) {
  for (const NamedSet &set : namedSets()) {
    for (SparqRounding rounding :
         {SparqRounding::Truncate, SparqRounding::NearestEven}) {
      SparqConfig config = makeConfig(set, rounding, false);
      bool nearest = rounding == SparqRounding::NearestEven;
      for (unsigned a = 0; a < 256; ++a)
        ASSERT_EQ(applyBitSparq(uint8_t(a), config),
                  referenceSparq(a, set.bits, set.shifts, nearest))
            << set.name << (nearest ? " nearest_even " : " truncate ") << a;
    }
  }
}

TEST(Sparq, GoldenValues) {
  SparqConfig fiveOpt =
      makeConfig(namedSets()[0], SparqRounding::NearestEven, false);
  // 100 = 0b1100100: window at shift 3 keeps 0b1100000; bit 2 is a tie and
  // bit 3 is even, so it stays. 108 = 0b1101100: the tie rounds up to odd+1.
  EXPECT_EQ(applyBitSparq(100, fiveOpt), 96);
  EXPECT_EQ(applyBitSparq(108, fiveOpt), 112);
  EXPECT_EQ(applyBitSparq(255, fiveOpt), 240); // carry saturates to 0xF0
  EXPECT_EQ(applyBitSparq(0b10011000, fiveOpt), 0b10100000); // tie -> even
  EXPECT_EQ(applyBitSparq(0b10001000, fiveOpt), 0b10000000); // tie -> even
  SparqConfig twoOpt =
      makeConfig(namedSets()[2], SparqRounding::Truncate, false);
  EXPECT_EQ(applyBitSparq(100, twoOpt), 96);
  EXPECT_EQ(applyBitSparq(15, twoOpt), 15);
}

TEST(Sparq, Invariants) {
  for (const NamedSet &set : namedSets()) {
    for (SparqRounding rounding :
         {SparqRounding::Truncate, SparqRounding::NearestEven}) {
      SparqConfig config = makeConfig(set, rounding, false);
      unsigned previous = 0;
      for (unsigned a = 0; a < 256; ++a) {
        unsigned r = applyBitSparq(uint8_t(a), config);
        unsigned s = a ? referenceShift(a, set.bits, set.shifts) : 0;
        ASSERT_LE(significantBits(r), set.bits) << set.name << " " << a;
        ASSERT_EQ(r % (1u << s), 0u) << set.name << " " << a;
        ASSERT_EQ(applyBitSparq(uint8_t(r), config), r) << "idempotent " << a;
        ASSERT_GE(r, previous) << "monotone at " << a;
        if (a < (1u << set.bits)) {
          ASSERT_EQ(r, a) << "small values unchanged";
        }
        if (rounding == SparqRounding::Truncate) {
          ASSERT_LE(r, a);
        }
        previous = r;
      }
    }
  }
}

TEST(Sparq, PairRules) {
  for (const NamedSet &set : namedSets()) {
    SparqConfig config = makeConfig(set, SparqRounding::NearestEven, true);
    for (unsigned a = 0; a < 256; ++a) {
      // With a zero partner: n = 4 keeps all 8 bits; n = 3 uses a 6-bit
      // window with shifts {0, 1, 2}; n = 2 uses the 4-bit 5opt window.
      uint8_t first = uint8_t(a), second = 0;
      applyPairSparq(first, second, config);
      unsigned expected = set.bits == 4 ? a
                          : set.bits == 3
                              ? referenceSparq(a, 6, {0, 1, 2}, true)
                              : referenceSparq(a, 4, {0, 1, 2, 3, 4}, true);
      ASSERT_EQ(first, expected) << set.name << " " << a;
      ASSERT_EQ(second, 0);
      uint8_t left = 0, right = uint8_t(a);
      applyPairSparq(left, right, config);
      ASSERT_EQ(right, expected) << "symmetric";
      // Two non-zero values each go through bSPARQ.
      if (a != 0) {
        uint8_t x = uint8_t(a), y = 201;
        applyPairSparq(x, y, config);
        ASSERT_EQ(x, applyBitSparq(uint8_t(a), config));
        ASSERT_EQ(y, applyBitSparq(201, config));
      }
    }
  }
}

TEST(Sparq, RowPairsAdjacentElementsAndAVirtualZero) {
  SparqConfig config =
      makeConfig(namedSets()[2], SparqRounding::Truncate, true); // 2opt
  std::vector<uint8_t> row = {0, 0xAB, 0x37, 0xAB, 0xAB};
  applySparq(row, config);
  // (0, 0xAB): 0xAB kept whole; (0x37, 0xAB): both 2opt-truncated;
  // (0xAB, virtual 0): kept whole.
  EXPECT_EQ(row[1], 0xAB);
  EXPECT_EQ(row[2], 0x30);
  EXPECT_EQ(row[3], 0xA0);
  EXPECT_EQ(row[4], 0xAB);
  std::vector<uint8_t> unpaired = {0, 0xAB};
  applySparq(unpaired,
             makeConfig(namedSets()[2], SparqRounding::Truncate, false));
  EXPECT_EQ(unpaired[1], 0xA0);
}
