//===- QuantArithmetic.h - Quantization as elementwise code -----*- C++ -*-===//
//
// Builds the linalg.generic that quantizes, dequantizes, or does both, with
// the numerics library's exact rules: x / s in float32, math.roundeven (ties
// to even), + z, clamp to the storage range (NaN -> z); (q - z) * s back.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_LIB_DIALECT_TINYQ_TRANSFORMS_QUANTARITHMETIC_H
#define TINYQ_LIB_DIALECT_TINYQ_TRANSFORMS_QUANTARITHMETIC_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"

namespace tinyq {

enum class QuantStep {
  /// float32 -> float32 through the quantized grid (fake quantization).
  QuantizeDequantize,
  /// float32 -> signless integer storage.
  Quantize,
  /// signless integer storage -> float32.
  Dequantize,
};

/// The elementwise \p step for uniform \p type (per tensor or per axis) on
/// the ranked tensor \p input; returns the result tensor.
mlir::Value buildQuantStep(mlir::OpBuilder &builder, mlir::Location loc,
                           mlir::Value input, mlir::quant::QuantizedType type,
                           QuantStep step);

} // namespace tinyq

#endif // TINYQ_LIB_DIALECT_TINYQ_TRANSFORMS_QUANTARITHMETIC_H
