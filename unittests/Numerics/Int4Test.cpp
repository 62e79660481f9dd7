//===- Int4Test.cpp - Packing of 4-bit integers ---------------------------===//

#include "tinyq/Numerics/Int4.h"

#include <gtest/gtest.h>

#include <vector>

using namespace tinyq::numerics;

TEST(Int4, ElementTwoKGoesInTheLowNibble) {
  std::vector<int8_t> values = {1, -1, 7, -8, 3};
  std::vector<uint8_t> packed(packedInt4Size(values.size()));
  packInt4(values, packed);
  ASSERT_EQ(packed.size(), 3u);
  EXPECT_EQ(packed[0], 0xF1);
  EXPECT_EQ(packed[1], 0x87);
  EXPECT_EQ(packed[2], 0x03); // odd tail: high nibble zero
}

// Every pair of int4 values packs into the byte lo | hi << 4 (two's
// complement nibbles) and unpacks back.
TEST(Int4, EveryPairRoundTrips) {
  for (int lo = -8; lo <= 7; ++lo) {
    for (int hi = -8; hi <= 7; ++hi) {
      std::vector<int8_t> values = {int8_t(lo), int8_t(hi)};
      std::vector<uint8_t> packed(1);
      packInt4(values, packed);
      uint8_t expected = uint8_t((lo & 0xF) | ((hi & 0xF) << 4));
      ASSERT_EQ(packed[0], expected) << lo << ", " << hi;
      std::vector<int8_t> unpacked(2);
      unpackInt4(packed, unpacked);
      ASSERT_EQ(unpacked[0], lo);
      ASSERT_EQ(unpacked[1], hi);
      ASSERT_EQ(extractInt4(packed[0], false), lo);
      ASSERT_EQ(extractInt4(packed[0], true), hi);
    }
  }
}

// Every byte unpacks to two values that pack back into the same byte.
TEST(Int4, EveryByteRoundTrips) {
  for (int byte = 0; byte < 256; ++byte) {
    std::vector<uint8_t> packed = {uint8_t(byte)};
    std::vector<int8_t> values(2);
    unpackInt4(packed, values);
    ASSERT_GE(values[0], -8);
    ASSERT_LE(values[1], 7);
    std::vector<uint8_t> repacked(1);
    packInt4(values, repacked);
    ASSERT_EQ(repacked[0], byte);
  }
}
