//===- WeightPacking.h - Weight tiles of the x86-64 kernels -----*- C++ -*-===//
//
// The constants the x86-64 dense kernel reads, laid out at compile time in
// the order it reads them. Plain C++ (unittests/Target/X86).
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_TARGET_X86_WEIGHTPACKING_H
#define TINYQ_TARGET_X86_WEIGHTPACKING_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace tinyq::x86 {

/// Bytes of the reduction one 32-bit lane of a VNNI dot product takes.
constexpr int64_t kGroupBytes = 4;

/// Weights [outputs][depth] (int8 values) in tiles of \p lanes output
/// channels: per tile, per group g of 4 reduction steps, lane after lane,
/// the lane's channel's 4 weights of the group (0 past the depth or the
/// last channel). So one vector load of lanes * 4 bytes is one VNNI
/// operand: the element at ((tile * groups + g) * lanes + lane) * 4 + j is
/// weights[tile * lanes + lane][4 * g + j], groups = ceil(depth / 4).
std::vector<int8_t> packDotProductTiles(llvm::ArrayRef<int8_t> weights,
                                        int64_t outputs, int64_t depth,
                                        int64_t lanes);

/// The bias of each output channel with the activations' offset folded in,
/// padded with 0 to whole tiles of \p lanes: the kernel multiplies unsigned
/// bytes x + 128, so sum((x - inputZeroPoint) * w) + bias =
/// sum((x + 128) * w) + bias - (128 + inputZeroPoint) * sum(w), in int32
/// with wrapping (as the accumulation itself).
std::vector<int32_t> foldUnsignedOffset(llvm::ArrayRef<int32_t> bias,
                                        llvm::ArrayRef<int8_t> weights,
                                        int64_t outputs, int64_t depth,
                                        int32_t inputZeroPoint, int64_t lanes);

/// \p values (one per output channel, or one for all) repeated per channel
/// and padded with the last to whole tiles of \p lanes.
std::vector<int32_t> padToTiles(llvm::ArrayRef<int32_t> values, int64_t outputs,
                                int64_t lanes);

} // namespace tinyq::x86

#endif // TINYQ_TARGET_X86_WEIGHTPACKING_H
