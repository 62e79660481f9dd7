//===- Int4.h - Packing of 4-bit integers -----------------------*- C++ -*-===//
//
// int4 storage: two two's-complement values per byte, element 2k in the low
// nibble and element 2k+1 in the high nibble; an odd tail leaves the last high
// nibble zero.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_NUMERICS_INT4_H
#define TINYQ_NUMERICS_INT4_H

#include "tinyq/Numerics/Span.h"

#include <cstddef>
#include <cstdint>

namespace tinyq::numerics {

/// Bytes needed to hold \p count packed int4 values.
constexpr size_t packedInt4Size(size_t count) { return (count + 1) / 2; }

/// Packs \p values (each in [-8, 7]) into \p packed, whose size must be
/// packedInt4Size(values.size()).
void packInt4(Span<const int8_t> values, Span<uint8_t> packed);

/// Unpacks \p values.size() sign-extended values from \p packed.
void unpackInt4(Span<const uint8_t> packed, Span<int8_t> values);

/// The byte holding \p low (bits 0-3) and \p high (bits 4-7), each in
/// [-8, 7], as two's-complement nibbles; extractInt4 reads them back.
inline uint8_t packInt4Pair(int8_t low, int8_t high) {
  return static_cast<uint8_t>((static_cast<uint8_t>(high) & 0xFu) << 4 |
                              (static_cast<uint8_t>(low) & 0xFu));
}

/// The sign-extended value of the low (\p high false) or high nibble.
inline int8_t extractInt4(uint8_t byte, bool high) {
  unsigned nibble = high ? (byte >> 4) : (byte & 0xF);
  return static_cast<int8_t>(static_cast<int>(nibble ^ 0x8u) - 8);
}

} // namespace tinyq::numerics

#endif // TINYQ_NUMERICS_INT4_H
