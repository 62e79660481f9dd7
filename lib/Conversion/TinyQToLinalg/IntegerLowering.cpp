//===- IntegerLowering.cpp - Shared pieces of integer layer lowerings -----===//

#include "tinyq/Conversion/TinyQToLinalg/IntegerLowering.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace tinyq;

Value Int32Builder::bitSparq(Value a, unsigned bits, uint8_t shiftMask,
                             numerics::SparqRounding rounding) {
  SmallVector<int64_t> shifts;
  for (int64_t shift = 0; shift < 8; ++shift)
    if ((shiftMask >> shift) & 1u)
      shifts.push_back(shift);
  Value shift = constant(shifts.back());
  for (int64_t allowed : llvm::reverse(ArrayRef(shifts).drop_back())) {
    Value below = cmp(arith::CmpIPredicate::slt, a,
                      constant(int64_t(1) << (allowed + bits)));
    shift = select(below, constant(allowed), shift);
  }
  Value window = shl(constant((1 << bits) - 1), shift);
  Value kept = bitAnd(a, window);
  if (rounding == numerics::SparqRounding::Truncate)
    return kept;
  // Round at bit s, ties to even: half is 2^(s-1) (0 when s = 0, which
  // rounds nothing); a carry out of the window saturates.
  Value unit = shl(constant(1), shift);
  Value half = lshr(unit, constant(1));
  Value zero = constant(0);
  Value roundBit = cmp(arith::CmpIPredicate::ne, bitAnd(a, half), zero);
  Value sticky =
      cmp(arith::CmpIPredicate::ne, bitAnd(a, sub(half, constant(1))), zero);
  Value lowestKept = cmp(arith::CmpIPredicate::ne, bitAnd(a, unit), zero);
  Value halfNonZero = cmp(arith::CmpIPredicate::ne, half, zero);
  Value up = arith::AndIOp::create(
      b, loc, halfNonZero,
      arith::AndIOp::create(b, loc, roundBit,
                            arith::OrIOp::create(b, loc, sticky, lowestKept)));
  Value rounded = add(kept, select(up, unit, zero));
  Value overflow =
      cmp(arith::CmpIPredicate::eq, rounded, shl(constant(1 << bits), shift));
  return select(overflow, window, rounded);
}

Value Int32Builder::pairSparq(Value a, Value partner,
                              const numerics::SparqConfig &config) {
  Value own = bitSparq(a, config.windowBits, config.shiftMask, config.rounding);
  unsigned doubled = 2 * config.windowBits;
  Value alone = doubled >= 8 ? a
                             : bitSparq(a, doubled,
                                        uint8_t((1u << (8 - doubled + 1)) - 1u),
                                        config.rounding);
  Value alonePartner = cmp(arith::CmpIPredicate::eq, partner, constant(0));
  return select(alonePartner, alone, own);
}

Value Int32Builder::saturatingShiftLeft(Value x, Value shift) {
  Value upper = ashr(constant(INT32_MAX), shift);
  Value lower = ashr(constant(INT32_MIN), shift);
  Value shifted = shl(x, shift);
  Value above = cmp(arith::CmpIPredicate::sgt, x, upper);
  Value result = select(above, constant(INT32_MAX), shifted);
  Value below = cmp(arith::CmpIPredicate::slt, x, lower);
  return select(below, constant(INT32_MIN), result);
}

Value Int32Builder::roundingDoublingHighMul(Value x, Value m) {
  auto product = arith::MulSIExtendedOp::create(b, loc, x, m);
  Value low = product.getLow(), high = product.getHigh();
  Value nudgedLow = add(low, constant(int64_t(1) << 30));
  Value carry = boolToInt(cmp(arith::CmpIPredicate::ult, nudgedLow, low));
  Value nudgedHigh = add(high, carry);
  Value highBits = shl(nudgedHigh, constant(1));
  return bitOr(highBits, lshr(nudgedLow, constant(31)));
}

Value Int32Builder::roundingDivideByPowerOfTwo(Value x, Value exponent) {
  Value power = shl(constant(1), exponent);
  Value mask = sub(power, constant(1));
  Value remainder = bitAnd(x, mask);
  Value negative = boolToInt(cmp(arith::CmpIPredicate::slt, x, constant(0)));
  Value threshold = add(ashr(mask, constant(1)), negative);
  Value roundUp =
      boolToInt(cmp(arith::CmpIPredicate::sgt, remainder, threshold));
  return add(ashr(x, exponent), roundUp);
}

Value Int32Builder::multiplyByQuantizedMultiplier(Value x, Value multiplier,
                                                  Value shift) {
  Value leftShift = max(shift, constant(0));
  Value negated = sub(constant(0), shift);
  Value rightShift = max(negated, constant(0));
  return roundingDivideByPowerOfTwo(
      roundingDoublingHighMul(saturatingShiftLeft(x, leftShift), multiplier),
      rightShift);
}

Value Int32Builder::requantize(Value x, Value multiplier, Value shift,
                               int32_t zeroPoint, int32_t clampMin,
                               int32_t clampMax) {
  Value scaled = multiplyByQuantizedMultiplier(x, multiplier, shift);
  Value raised = max(scaled, constant(clampMin - zeroPoint));
  Value clamped = min(raised, constant(clampMax - zeroPoint));
  return add(clamped, constant(zeroPoint));
}

Value Int32Builder::multiplyByRightShiftMultiplier(Value x, Value multiplier,
                                                   Value halfShift,
                                                   bool roundNegatives,
                                                   bool doubled) {
  // The rounding high word of the 64-bit product, the shape LLVM selects
  // `smmulr` for on Arm.
  Type i64 = b.getI64Type();
  Value wideSum =
      arith::ExtSIOp::create(b, loc, i64, doubled ? x : shl(x, constant(1)));
  Value wideMultiplier = arith::ExtSIOp::create(b, loc, i64, multiplier);
  Value product = arith::MulIOp::create(b, loc, wideSum, wideMultiplier);
  Value rounded = arith::AddIOp::create(
      b, loc, product,
      arith::ConstantIntOp::create(b, loc, i64, int64_t(1) << 31));
  Value high = arith::TruncIOp::create(
      b, loc, b.getI32Type(),
      arith::ShRSIOp::create(b, loc, rounded,
                             arith::ConstantIntOp::create(b, loc, i64, 32)));
  return roundingHalfShift(high, halfShift, roundNegatives);
}

Value Int32Builder::roundingHalfShift(Value high, Value halfShift,
                                      bool roundNegatives) {
  Value one = constantLike(high, 1);
  Value biased = roundNegatives ? lessOneIfNegative(high) : high;
  return ashr(add(ashr(biased, halfShift), one), one);
}

Value Int32Builder::lessOneIfNegative(Value high) {
  return add(high, ashr(high, constantLike(high, 31)));
}

Value Int32Builder::clampWithZeroPoint(Value scaled, int32_t zeroPoint,
                                       int32_t clampMin, int32_t clampMax) {
  auto splat = [&](int64_t value) { return constantLike(scaled, value); };
  Value shifted = add(scaled, splat(zeroPoint));
  Value lowered = min(shifted, splat(clampMax));
  return max(lowered, splat(clampMin));
}

Value Int32Builder::constantLike(Value like, int64_t value) {
  auto vector = dyn_cast<VectorType>(like.getType());
  if (!vector)
    return constant(value);
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(vector, b.getI32IntegerAttr(value)));
}

Value tinyq::padWithZeroPoint(OpBuilder &builder, Location loc, Value input,
                              ArrayRef<int64_t> pad, int32_t zeroPoint) {
  if (llvm::all_of(pad, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<OpFoldResult> low = {
      builder.getIndexAttr(0), builder.getIndexAttr(pad[0]),
      builder.getIndexAttr(pad[2]), builder.getIndexAttr(0)};
  SmallVector<OpFoldResult> high = {
      builder.getIndexAttr(0), builder.getIndexAttr(pad[1]),
      builder.getIndexAttr(pad[3]), builder.getIndexAttr(0)};
  auto paddedType = RankedTensorType::get(
      {type.getDimSize(0), type.getDimSize(1) + pad[0] + pad[1],
       type.getDimSize(2) + pad[2] + pad[3], type.getDimSize(3)},
      type.getElementType());
  Value padValue = arith::ConstantIntOp::create(
      builder, loc, type.getElementType(), zeroPoint);
  return tensor::PadOp::create(builder, loc, paddedType, input, low, high,
                               padValue);
}

FailureOr<SmallVector<int32_t>>
tinyq::foldInputZeroPoint(IntegerLayerOpInterface op) {
  DenseIntElementsAttr weights, bias;
  if (!matchPattern(op.getWeights(), m_Constant(&weights)) ||
      !matchPattern(op.getBias(), m_Constant(&bias)))
    return failure();
  SmallVector<int64_t> sums(op.getOutputChannels(), 0);
  for (auto [index, weight] : llvm::enumerate(weights.getValues<APInt>()))
    sums[op.getWeightCoordinates(int64_t(index)).first] +=
        weight.getSExtValue();
  int64_t inputZeroPoint = op.getInputZeroPoint();
  SmallVector<int32_t> folded;
  for (auto [channel, value] : llvm::enumerate(bias.getValues<APInt>())) {
    int64_t result = value.getSExtValue() - inputZeroPoint * sums[channel];
    if (result < INT32_MIN || result > INT32_MAX)
      return failure();
    folded.push_back(int32_t(result));
  }
  return folded;
}

void tinyq::replaceWithRequantize(PatternRewriter &rewriter,
                                  IntegerLayerOpInterface op, Value acc) {
  rewriter.replaceOpWithNewOp<RequantizeOp>(
      op, op.getOutput().getType(), acc, /*input_zero_point=*/0,
      op.getMultiplier(), op.getShift(), op.getOutputZeroPoint(),
      op.getClampMin(), op.getClampMax(),
      op.isPerChannel() ? rewriter.getI64IntegerAttr(op.getChannelAxis())
                        : IntegerAttr());
}

std::optional<SmallVector<int8_t>> tinyq::getConstantWeights(Value weights) {
  DenseIntElementsAttr values;
  if (!matchPattern(weights, m_Constant(&values)))
    return std::nullopt;
  SmallVector<int8_t> bytes;
  for (APInt value : values.getValues<APInt>())
    bytes.push_back(int8_t(value.getSExtValue()));
  return bytes;
}
