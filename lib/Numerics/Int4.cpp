//===- Int4.cpp - Packing of 4-bit integers -------------------------------===//

#include "tinyq/Numerics/Int4.h"

#include <cassert>

using namespace tinyq::numerics;

void tinyq::numerics::packInt4(Span<const int8_t> values,
                               Span<uint8_t> packed) {
  assert(packed.size() == packedInt4Size(values.size()) &&
         "packed buffer size mismatch");
  for (size_t i = 0; i < values.size(); ++i)
    assert(values[i] >= -8 && values[i] <= 7 && "value does not fit in int4");
  for (size_t i = 0; i < packed.size(); ++i)
    packed[i] = packInt4Pair(values[2 * i],
                             2 * i + 1 < values.size() ? values[2 * i + 1] : 0);
}

void tinyq::numerics::unpackInt4(Span<const uint8_t> packed,
                                 Span<int8_t> values) {
  assert(packed.size() >= packedInt4Size(values.size()) &&
         "packed buffer too small");
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = extractInt4(packed[i / 2], i % 2);
}
