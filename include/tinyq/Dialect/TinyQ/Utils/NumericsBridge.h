//===- NumericsBridge.h - MLIR attributes to numerics structs ---*- C++ -*-===//
//
// The only header that includes both MLIR and the numerics library: it turns
// TinyQ attributes and upstream quantized types into the plain structs the
// numerics library takes, so that folders and passes share its arithmetic.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_DIALECT_TINYQ_UTILS_NUMERICSBRIDGE_H
#define TINYQ_DIALECT_TINYQ_UTILS_NUMERICSBRIDGE_H

#include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.h"
#include "tinyq/Numerics/QuantParams.h"
#include "tinyq/Numerics/Sparq.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"

namespace tinyq {

inline numerics::SparqRounding toNumerics(SparqRounding rounding) {
  return rounding == SparqRounding::Truncate
             ? numerics::SparqRounding::Truncate
             : numerics::SparqRounding::NearestEven;
}

/// The numerics form of a verified #tinyq.sparq.
inline numerics::SparqConfig getSparqConfig(SparqAttr attr) {
  llvm::ArrayRef<int64_t> shifts = attr.getShifts();
  return {attr.getBits(),
          numerics::sparqShiftMask({shifts.data(), shifts.size()}),
          toNumerics(attr.getRounding()), attr.getPairs()};
}

/// The storage range of a quantized type, honouring narrow ranges.
inline numerics::IntegerRange getStorageRange(mlir::quant::QuantizedType type) {
  return {static_cast<int32_t>(type.getStorageTypeMin()),
          static_cast<int32_t>(type.getStorageTypeMax())};
}

/// The two's-complement range of a signless integer type of 2 to 32 bits.
inline numerics::IntegerRange getSignedRange(mlir::IntegerType type) {
  return numerics::signedRange(type.getWidth());
}

/// The numerics library's view of an LLVM array.
template <typename T>
inline numerics::Span<const T> toSpan(llvm::ArrayRef<T> array) {
  return {array.data(), array.size()};
}

} // namespace tinyq

#endif // TINYQ_DIALECT_TINYQ_UTILS_NUMERICSBRIDGE_H
