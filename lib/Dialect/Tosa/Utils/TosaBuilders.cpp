//===- TosaBuilders.cpp - Building TOSA from model operators --------------===//

#include "tinyq/Dialect/Tosa/Utils/TosaBuilders.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace tinyq;

Value tinyq::createConst(OpBuilder &builder, Location loc,
                         DenseElementsAttr value) {
  return tosa::ConstOp::create(builder, loc, value.getType(), value);
}

Value tinyq::createScalar(OpBuilder &builder, Location loc, float value,
                          int64_t rank) {
  auto type = RankedTensorType::get(SmallVector<int64_t>(rank, 1),
                                    builder.getF32Type());
  return createConst(builder, loc, DenseElementsAttr::get(type, value));
}

Value tinyq::createZeroPoint(OpBuilder &builder, Location loc,
                             Type elementType) {
  auto type = RankedTensorType::get({1}, elementType);
  Attribute zero = isa<FloatType>(elementType)
                       ? Attribute(builder.getFloatAttr(elementType, 0.0))
                       : Attribute(builder.getIntegerAttr(elementType, 0));
  return createConst(builder, loc, DenseElementsAttr::get(type, zero));
}

Value tinyq::createConstShape(OpBuilder &builder, Location loc,
                              ArrayRef<int64_t> shape) {
  return tosa::ConstShapeOp::create(
      builder, loc, tosa::shapeType::get(builder.getContext(), shape.size()),
      builder.getIndexTensorAttr(shape));
}

Value tinyq::createReshape(OpBuilder &builder, Location loc, Value value,
                           ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  Value shapeValue = createConstShape(builder, loc, shape);
  return tosa::ReshapeOp::create(
      builder, loc, type.clone(SmallVector<int64_t>(shape)), value, shapeValue);
}

SmallVector<int64_t> tinyq::permuteShape(ArrayRef<int64_t> shape,
                                         ArrayRef<int32_t> perms) {
  SmallVector<int64_t> result;
  for (int32_t perm : perms)
    result.push_back(shape[perm]);
  return result;
}

Value tinyq::createTranspose(OpBuilder &builder, Location loc, Value value,
                             ArrayRef<int32_t> perms) {
  auto type = cast<RankedTensorType>(value.getType());
  auto resultType = type.clone(permuteShape(type.getShape(), perms));
  return tosa::TransposeOp::create(builder, loc, resultType, value,
                                   builder.getDenseI32ArrayAttr(perms));
}

Value tinyq::createMul(OpBuilder &builder, Location loc, Type resultType,
                       Value lhs, Value rhs) {
  auto shiftType = RankedTensorType::get({1}, builder.getI8Type());
  Value shift = createConst(
      builder, loc,
      DenseElementsAttr::get(shiftType, builder.getI8IntegerAttr(0)));
  return tosa::MulOp::create(builder, loc, resultType, lhs, rhs, shift);
}

Value tinyq::broadcastToRank(OpBuilder &builder, Location loc, Value value,
                             int64_t rank) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() >= rank)
    return value;
  SmallVector<int64_t> shape(rank - type.getRank(), 1);
  llvm::append_range(shape, type.getShape());
  return createReshape(builder, loc, value, shape);
}

std::optional<int64_t> tinyq::normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

std::optional<SpatialWindow>
tinyq::computeSpatialWindow(ArrayRef<int64_t> inputHW, ArrayRef<int64_t> kernel,
                            ArrayRef<int64_t> strides,
                            ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads,
                            bool ceilMode, std::string &error) {
  SpatialWindow window;
  window.kernel.assign(kernel.begin(), kernel.end());
  window.strides.assign(strides.begin(), strides.end());
  window.dilations.assign(dilations.begin(), dilations.end());
  for (int i = 0; i < 2; ++i)
    if (strides[i] < 1 || dilations[i] < 1 || kernel[i] < 1) {
      error = "strides, dilations and kernel sizes must be >= 1";
      return std::nullopt;
    }
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; })) {
    error = "pads must be non-negative";
    return std::nullopt;
  }
  window.crop.assign(2, 0);
  for (int i = 0; i < 2; ++i) {
    int64_t begin = pads[i], end = pads[i + 2];
    int64_t extent = (kernel[i] - 1) * dilations[i] + 1;
    int64_t span = inputHW[i] + begin + end - extent;
    if (span < 0) {
      error = "the kernel is larger than the input";
      return std::nullopt;
    }
    int64_t remainder = span % strides[i];
    if (ceilMode && remainder != 0) {
      // Round the output up with end padding no window counts.
      end += strides[i] - remainder;
      remainder = 0;
    }
    int64_t trimmed = std::min(end, remainder);
    end -= trimmed;
    window.crop[i] = remainder - trimmed;
    window.pad.push_back(begin);
    window.pad.push_back(end);
    window.output.push_back(
        (inputHW[i] - window.crop[i] + begin + end - extent) / strides[i] + 1);
  }
  return window;
}

SmallVector<int64_t, 4> tinyq::computeSamePads(ArrayRef<int64_t> inputHW,
                                               ArrayRef<int64_t> kernel,
                                               ArrayRef<int64_t> strides,
                                               ArrayRef<int64_t> dilations,
                                               bool extraAtEnd) {
  SmallVector<int64_t, 4> pads(4, 0);
  for (int i = 0; i < 2; ++i) {
    int64_t out = (inputHW[i] + strides[i] - 1) / strides[i];
    int64_t extent = (kernel[i] - 1) * dilations[i] + 1;
    int64_t total =
        std::max<int64_t>(0, (out - 1) * strides[i] + extent - inputHW[i]);
    int64_t small = total / 2, large = total - small;
    pads[i] = extraAtEnd ? small : large;
    pads[i + 2] = extraAtEnd ? large : small;
  }
  return pads;
}

Value tinyq::cropNhwc(OpBuilder &builder, Location loc, Value value,
                      const SpatialWindow &window) {
  if (window.crop[0] == 0 && window.crop[1] == 0)
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> size(type.getShape());
  size[1] -= window.crop[0];
  size[2] -= window.crop[1];
  Value start = createConstShape(builder, loc, {0, 0, 0, 0});
  return tosa::SliceOp::create(builder, loc, type.clone(size), value, start,
                               createConstShape(builder, loc, size));
}

Value tinyq::createClamp(OpBuilder &rewriter, Location loc,
                         RankedTensorType type, Value input, float min,
                         float max) {
  return tosa::ClampOp::create(rewriter, loc, type, input,
                               rewriter.getF32FloatAttr(min),
                               rewriter.getF32FloatAttr(max));
}

Value tinyq::createSoftmax(OpBuilder &rewriter, Location loc, Value x,
                           int64_t axis) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> reduced(type.getShape());
  reduced[axis] = 1;
  auto reducedType = type.clone(reduced);
  auto axisAttr = rewriter.getI32IntegerAttr(int32_t(axis));
  Value max =
      tosa::ReduceMaxOp::create(rewriter, loc, reducedType, x, axisAttr);
  Value shifted = tosa::SubOp::create(rewriter, loc, type, x, max);
  Value exp = tosa::ExpOp::create(rewriter, loc, type, shifted);
  Value sum =
      tosa::ReduceSumOp::create(rewriter, loc, reducedType, exp, axisAttr);
  Value inverse = tosa::ReciprocalOp::create(rewriter, loc, reducedType, sum);
  return createMul(rewriter, loc, type, exp, inverse);
}
