//===- IntegerLowering.h - Shared pieces of integer layer lowerings C++ -*-===//
//
// What the portable lowering (tinyq-lower-integer-ops) and the target
// kernels (tinyq-lower-cortex-m) share: 32-bit integer arithmetic with the
// numerics library's rules, the bias with the input zero point folded in,
// and the requantization that ends a layer.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_CONVERSION_TINYQTOLINALG_INTEGERLOWERING_H
#define TINYQ_CONVERSION_TINYQTOLINALG_INTEGERLOWERING_H

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Numerics/Sparq.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace tinyq {

/// Emits 32-bit integer arithmetic: the exact rules of the numerics
/// library (requantization, SPARQ) as arith operations.
class Int32Builder {
public:
  /// Builds int32 arithmetic on scalars, or on vectors of \p lanes int32
  /// lanes (constants splat, comparisons widen to them) when \p lanes > 0.
  Int32Builder(mlir::OpBuilder &builder, mlir::Location loc, int64_t lanes = 0)
      : b(builder), loc(loc),
        type(lanes > 0 ? mlir::Type(mlir::VectorType::get({lanes},
                                                          builder.getI32Type()))
                       : mlir::Type(builder.getI32Type())) {}

  mlir::Value constant(int64_t value) {
    if (auto vector = mlir::dyn_cast<mlir::VectorType>(type))
      return mlir::arith::ConstantOp::create(
          b, loc,
          mlir::DenseElementsAttr::get(vector,
                                       b.getI32IntegerAttr(int32_t(value))));
    return mlir::arith::ConstantIntOp::create(b, loc, b.getI32Type(), value);
  }
  mlir::Value add(mlir::Value x, mlir::Value y) {
    return mlir::arith::AddIOp::create(b, loc, x, y);
  }
  mlir::Value sub(mlir::Value x, mlir::Value y) {
    return mlir::arith::SubIOp::create(b, loc, x, y);
  }
  mlir::Value bitAnd(mlir::Value x, mlir::Value y) {
    return mlir::arith::AndIOp::create(b, loc, x, y);
  }
  mlir::Value bitOr(mlir::Value x, mlir::Value y) {
    return mlir::arith::OrIOp::create(b, loc, x, y);
  }
  mlir::Value shl(mlir::Value x, mlir::Value y) {
    return mlir::arith::ShLIOp::create(b, loc, x, y);
  }
  mlir::Value ashr(mlir::Value x, mlir::Value y) {
    return mlir::arith::ShRSIOp::create(b, loc, x, y);
  }
  mlir::Value lshr(mlir::Value x, mlir::Value y) {
    return mlir::arith::ShRUIOp::create(b, loc, x, y);
  }
  mlir::Value max(mlir::Value x, mlir::Value y) {
    return mlir::arith::MaxSIOp::create(b, loc, x, y);
  }
  mlir::Value min(mlir::Value x, mlir::Value y) {
    return mlir::arith::MinSIOp::create(b, loc, x, y);
  }
  mlir::Value cmp(mlir::arith::CmpIPredicate predicate, mlir::Value x,
                  mlir::Value y) {
    return mlir::arith::CmpIOp::create(b, loc, predicate, x, y);
  }
  mlir::Value select(mlir::Value c, mlir::Value x, mlir::Value y) {
    return mlir::arith::SelectOp::create(b, loc, c, x, y);
  }
  mlir::Value boolToInt(mlir::Value c) {
    return mlir::arith::ExtUIOp::create(b, loc, type, c);
  }

  /// numerics::applyBitSparq of a magnitude \p a in [0, 255] with a window
  /// of \p bits bits at the shifts of \p shiftMask. The shift comes from
  /// comparisons with the constants 2^(s + bits) (the leading one is below
  /// them), masks and rounding from shifts by it: no table, no branch.
  mlir::Value bitSparq(mlir::Value a, unsigned bits, uint8_t shiftMask,
                       numerics::SparqRounding rounding);

  /// numerics::applyPairSparq's result for \p a paired with \p partner.
  mlir::Value pairSparq(mlir::Value a, mlir::Value partner,
                        const numerics::SparqConfig &config);

  /// x * 2^shift saturated to int32, for shift in [0, 30].
  mlir::Value saturatingShiftLeft(mlir::Value x, mlir::Value shift);

  /// floor((x * m + 2^30) / 2^31) from the two halves of the product: the
  /// rounding doubling high multiply. m is never INT32_MIN (verified), so
  /// the result fits.
  mlir::Value roundingDoublingHighMul(mlir::Value x, mlir::Value m);

  /// x / 2^exponent rounded to nearest, ties away from zero; exponent in
  /// [0, 31].
  mlir::Value roundingDivideByPowerOfTwo(mlir::Value x, mlir::Value exponent);

  /// x * multiplier * 2^(shift - 31) with the rules of
  /// numerics::multiplyByQuantizedMultiplier.
  mlir::Value multiplyByQuantizedMultiplier(mlir::Value x,
                                            mlir::Value multiplier,
                                            mlir::Value shift);

  /// numerics::requantize: the scaled value clamped to
  /// [clampMin - zeroPoint, clampMax - zeroPoint], plus zeroPoint.
  mlir::Value requantize(mlir::Value x, mlir::Value multiplier,
                         mlir::Value shift, int32_t zeroPoint, int32_t clampMin,
                         int32_t clampMax);

  /// numerics::multiplyByRightShiftMultiplier, for |x| < 2^30 and a
  /// right-shift multiplier whose shift is `-(halfShift + 1)`; without
  /// \p roundNegatives, numerics::multiplyByRightShiftMultiplierHalfUp.
  /// With \p doubled, \p x is already 2x (whose doubling the form starts
  /// with).
  mlir::Value multiplyByRightShiftMultiplier(mlir::Value x,
                                             mlir::Value multiplier,
                                             mlir::Value halfShift,
                                             bool roundNegatives = true,
                                             bool doubled = false);

  /// The end of numerics::multiplyByRightShiftMultiplier: \p high, the
  /// rounding doubling high product, divided by 2^(halfShift + 1) rounding
  /// half away from zero; without \p roundNegatives, half up (see
  /// numerics::multiplyByRightShiftMultiplierHalfUp). Scalars or vectors
  /// of i32 alike.
  mlir::Value roundingHalfShift(mlir::Value high, mlir::Value halfShift,
                                bool roundNegatives = true);

  /// \p high less one where it is negative (numerics::
  /// multiplyByRightShiftMultiplier's `t`): divided by a power of two
  /// rounding half up, it gives \p high rounded half away from zero.
  /// Scalars or vectors of i32 alike.
  mlir::Value lessOneIfNegative(mlir::Value high);

  /// numerics::requantize of \p scaled, the multiplied value, when
  /// scaled + zeroPoint cannot overflow: that sum clamped, which Arm cores
  /// do in one `ssat` for the full int8 range. Scalars or vectors of i32.
  mlir::Value clampWithZeroPoint(mlir::Value scaled, int32_t zeroPoint,
                                 int32_t clampMin, int32_t clampMax);

  /// The i32 constant \p value, splat to the shape of \p like if it is a
  /// vector.
  mlir::Value constantLike(mlir::Value like, int64_t value);

protected:
  mlir::OpBuilder &b;
  mlir::Location loc;
  /// i32, or the vector of i32 lanes the builder works on.
  mlir::Type type;
};

/// The bias of integer layer \p op with its input zero point folded in:
/// `bias[c] - z_in * sum of the weights of channel c`. Fails unless weights
/// and bias are constants and the result fits in int32.
mlir::FailureOr<llvm::SmallVector<int32_t>>
foldInputZeroPoint(IntegerLayerOpInterface op);

/// \p input (NHWC) padded along H and W by \p pad (top, bottom, left,
/// right) with \p zeroPoint, so that padding contributes `x - z = 0`.
mlir::Value padWithZeroPoint(mlir::OpBuilder &builder, mlir::Location loc,
                             mlir::Value input, llvm::ArrayRef<int64_t> pad,
                             int32_t zeroPoint);

/// The values of constant integer weights \p weights (int8 or narrower),
/// row-major, if they are constant.
std::optional<llvm::SmallVector<int8_t>>
getConstantWeights(mlir::Value weights);

/// Replaces integer layer \p op by the tinyq.requantize of its int32
/// accumulators \p acc, shaped as its output.
void replaceWithRequantize(mlir::PatternRewriter &rewriter,
                           IntegerLayerOpInterface op, mlir::Value acc);

} // namespace tinyq

#endif // TINYQ_CONVERSION_TINYQTOLINALG_INTEGERLOWERING_H
