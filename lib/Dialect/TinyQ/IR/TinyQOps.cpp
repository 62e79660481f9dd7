//===- TinyQOps.cpp - TinyQ operations ------------------------------------===//
//
// Verifiers and constant folders; the folders compute with the numerics
// library, so a folded constant equals what generated code computes.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"
#include "tinyq/Dialect/TinyQ/Utils/Indexing.h"
#include "tinyq/Dialect/TinyQ/Utils/NumericsBridge.h"
#include "tinyq/Numerics/FixedPoint.h"
#include "tinyq/Numerics/Reference.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace mlir;
using namespace tinyq;

#include "tinyq/Dialect/TinyQ/IR/TinyQInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "tinyq/Dialect/TinyQ/IR/TinyQOps.cpp.inc"

/// Checks that a value lies in the closed range of a storage type.
static LogicalResult checkInRange(Operation *op, StringRef what, int64_t value,
                                  numerics::IntegerRange range) {
  if (value < range.min || value > range.max)
    return op->emitOpError()
           << what << " " << value << " is outside the storage range ["
           << range.min << ", " << range.max << "]";
  return success();
}

//===----------------------------------------------------------------------===//
// FakeQuantOp
//===----------------------------------------------------------------------===//

static constexpr unsigned kMinStorageBits = 2;
static constexpr unsigned kMaxStorageBits = 16;

LogicalResult FakeQuantOp::verify() {
  Type quantType = getQuantType();
  auto quantized = dyn_cast<quant::QuantizedType>(quantType);
  if (!isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(
          quantType))
    return emitOpError("expects a per-tensor or per-axis !quant.uniform "
                       "type, got ")
           << quantType;
  auto tensorType = getInput().getType();
  if (quantized.getExpressedType() != tensorType.getElementType())
    return emitOpError("expressed type ") << quantized.getExpressedType()
                                          << " does not match the element type "
                                          << tensorType.getElementType();
  unsigned width = quantized.getStorageTypeIntegralWidth();
  if (width < kMinStorageBits || width > kMaxStorageBits)
    return emitOpError("storage width ") << width << " is outside [2, 16] bits";
  numerics::IntegerRange range = getStorageRange(quantized);

  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(quantType))
    return checkInRange(*this, "zero point", perTensor.getZeroPoint(), range);

  auto perAxis = cast<quant::UniformQuantizedPerAxisType>(quantType);
  int64_t axis = perAxis.getQuantizedDimension();
  if (axis >= tensorType.getRank())
    return emitOpError("quantized dimension ")
           << axis << " is out of range for a tensor of rank "
           << tensorType.getRank();
  int64_t channels = tensorType.getDimSize(axis);
  if (!ShapedType::isDynamic(channels) &&
      int64_t(perAxis.getScales().size()) != channels)
    return emitOpError("expects ")
           << channels << " scales, one per index of dimension " << axis
           << ", got " << perAxis.getScales().size();
  for (int64_t zeroPoint : perAxis.getZeroPoints())
    if (failed(checkInRange(*this, "zero point", zeroPoint, range)))
      return failure();
  return success();
}

OpFoldResult FakeQuantOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getInput());
  if (!input)
    return {};
  auto quantized = cast<quant::QuantizedType>(getQuantType());
  numerics::IntegerRange range = getStorageRange(quantized);
  auto type = getType();

  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(quantized)) {
    numerics::QuantParams params{float(perTensor.getScale()),
                                 int32_t(perTensor.getZeroPoint())};
    if (input.isSplat())
      return DenseElementsAttr::get(
          type,
          numerics::fakeQuantize(input.getSplatValue<float>(), params, range));
    SmallVector<float> values;
    values.reserve(input.getNumElements());
    for (float value : input.getValues<float>())
      values.push_back(numerics::fakeQuantize(value, params, range));
    return DenseElementsAttr::get(type, ArrayRef<float>(values));
  }

  auto perAxis = cast<quant::UniformQuantizedPerAxisType>(quantized);
  int64_t axis = perAxis.getQuantizedDimension();
  if (!type.hasStaticShape())
    return {};
  ArrayRef<double> scales = perAxis.getScales();
  ArrayRef<int64_t> zeroPoints = perAxis.getZeroPoints();
  AxisIndexer channelOf(type.getShape(), axis);
  SmallVector<float> values;
  values.reserve(type.getNumElements());
  for (auto [index, value] : llvm::enumerate(input.getValues<float>())) {
    int64_t channel = channelOf(index);
    numerics::QuantParams params{float(scales[channel]),
                                 int32_t(zeroPoints[channel])};
    values.push_back(numerics::fakeQuantize(value, params, range));
  }
  return DenseElementsAttr::get(type, ArrayRef<float>(values));
}

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

static constexpr int64_t kMinQuantizedMultiplier = int64_t(1) << 30;

/// Checks \p multipliers and \p shifts (as many, \p expected of them
/// unless it is 0 = any) and the zero point and clamp bounds against the
/// signed range of \p resultType.
static LogicalResult
verifyRequantization(Operation *op, ArrayRef<int32_t> multipliers,
                     ArrayRef<int32_t> shifts, int64_t expected,
                     IntegerType resultType, int32_t zeroPoint,
                     int32_t clampMin, int32_t clampMax) {
  if (multipliers.size() != shifts.size())
    return op->emitOpError("has ") << multipliers.size() << " multipliers but "
                                   << shifts.size() << " shifts";
  if (expected > 0 && int64_t(multipliers.size()) != expected)
    return op->emitOpError("expects ")
           << expected << " multipliers, got " << multipliers.size();
  for (auto [index, multiplier] : llvm::enumerate(multipliers))
    if (multiplier != 0 && multiplier < kMinQuantizedMultiplier)
      return op->emitOpError("multiplier #")
             << index << " (" << multiplier
             << ") is neither 0 nor in [2^30, 2^31 - 1]";
  for (auto [index, shift] : llvm::enumerate(shifts))
    if (shift < numerics::kMinMultiplierShift ||
        shift > numerics::kMaxMultiplierShift)
      return op->emitOpError("shift #")
             << index << " (" << shift << ") is outside [-31, 30]";
  numerics::IntegerRange range = getSignedRange(resultType);
  if (failed(checkInRange(op, "zero point", zeroPoint, range)) ||
      failed(checkInRange(op, "clamp minimum", clampMin, range)) ||
      failed(checkInRange(op, "clamp maximum", clampMax, range)))
    return failure();
  if (clampMin > clampMax)
    return op->emitOpError("clamp minimum ")
           << clampMin << " exceeds clamp maximum " << clampMax;
  return success();
}

LogicalResult RequantizeOp::verify() {
  size_t count = getMultiplier().size();
  auto inputType = getInput().getType();
  if (std::optional<uint64_t> axis = getAxis()) {
    if (int64_t(*axis) >= inputType.getRank())
      return emitOpError("axis ")
             << *axis << " is out of range for rank " << inputType.getRank();
    int64_t channels = inputType.getDimSize(*axis);
    if (!ShapedType::isDynamic(channels) && int64_t(count) != channels)
      return emitOpError("expects ")
             << channels << " multipliers, one per index of dimension " << *axis
             << ", got " << count;
  } else if (count != 1) {
    return emitOpError("expects one multiplier without an axis, got ") << count;
  }
  auto inputElement = cast<IntegerType>(inputType.getElementType());
  if (failed(checkInRange(*this, "input zero point", getInputZeroPoint(),
                          getSignedRange(inputElement))))
    return failure();
  auto resultType = cast<IntegerType>(getOutput().getType().getElementType());
  return verifyRequantization(*this, getMultiplier(), getShift(),
                              /*expected=*/0, resultType, getZeroPoint(),
                              getClampMin(), getClampMax());
}

/// Checks what the integer layer ops share: the zero points, the
/// requantization (one multiplier, or one per output channel) and an int32
/// bias of one value per output channel. Runs after the op's own shape
/// checks, which the channel count relies on.
static LogicalResult verifyIntegerLayer(IntegerLayerOpInterface op) {
  int64_t outputChannels = op.getOutputChannels();
  auto biasType = op.getBias().getType();
  if (biasType.getRank() != 1 || biasType.getDimSize(0) != outputChannels)
    return op->emitOpError("expects a bias of ")
           << outputChannels << " values, one per output channel";
  numerics::IntegerRange inputRange = getSignedRange(
      cast<IntegerType>(op.getInput().getType().getElementType()));
  if (failed(checkInRange(op, "input zero point", op.getInputZeroPoint(),
                          inputRange)))
    return failure();
  size_t count = op.getMultiplier().size();
  return verifyRequantization(
      op, op.getMultiplier(), op.getShift(), count == 1 ? 1 : outputChannels,
      cast<IntegerType>(op.getOutput().getType().getElementType()),
      op.getOutputZeroPoint(), op.getClampMin(), op.getClampMax());
}

/// Checks the window attributes and the output shape of a convolution over
/// NHWC \p input with kernel \p kernelH x \p kernelW and \p channels
/// output channels.
template <typename ConvOp>
static LogicalResult verifyWindow(ConvOp op, int64_t kernelH, int64_t kernelW,
                                  int64_t channels) {
  ArrayRef<int64_t> pad = op.getPad(), stride = op.getStride(),
                    dilation = op.getDilation();
  if (pad.size() != 4 || stride.size() != 2 || dilation.size() != 2)
    return op.emitOpError("expects 4 pads (top, bottom, left, right), 2 "
                          "strides and 2 dilations");
  if (llvm::any_of(pad, [](int64_t p) { return p < 0; }) ||
      llvm::any_of(stride, [](int64_t v) { return v < 1; }) ||
      llvm::any_of(dilation, [](int64_t v) { return v < 1; }))
    return op.emitOpError("expects non-negative pads and positive strides "
                          "and dilations");
  auto input = op.getInput().getType();
  auto output = op.getOutput().getType();
  if (input.getRank() != 4 || output.getRank() != 4)
    return op.emitOpError("expects NHWC input and output");
  int64_t expected[4] = {
      input.getDimSize(0),
      numerics::reference::windowOutputSize(
          input.getDimSize(1), kernelH, stride[0], dilation[0], pad[0], pad[1]),
      numerics::reference::windowOutputSize(
          input.getDimSize(2), kernelW, stride[1], dilation[1], pad[2], pad[3]),
      channels};
  if (output.getShape() != ArrayRef<int64_t>(expected))
    return op.emitOpError("expects output shape ")
           << expected[0] << "x" << expected[1] << "x" << expected[2] << "x"
           << expected[3];
  return success();
}

LogicalResult FullyConnectedOp::verify() {
  auto input = getInput().getType(), weights = getWeights().getType(),
       output = getOutput().getType();
  if (input.getRank() != 2 || weights.getRank() != 2 || output.getRank() != 2)
    return emitOpError("expects [rows, depth] input, [outputs, depth] weights "
                       "and [rows, outputs] output");
  if (weights.getDimSize(1) != input.getDimSize(1) ||
      output.getDimSize(0) != input.getDimSize(0) ||
      output.getDimSize(1) != weights.getDimSize(0))
    return emitOpError("has inconsistent shapes");
  return verifyIntegerLayer(*this);
}

LogicalResult Conv2DOp::verify() {
  auto input = getInput().getType(), weights = getWeights().getType();
  if (weights.getRank() != 4 || input.getRank() != 4 ||
      weights.getDimSize(3) != input.getDimSize(3))
    return emitOpError("expects OHWI weights whose I is the input's channel "
                       "count");
  if (failed(verifyWindow(*this, weights.getDimSize(1), weights.getDimSize(2),
                          weights.getDimSize(0))))
    return failure();
  return verifyIntegerLayer(*this);
}

LogicalResult DepthwiseConv2DOp::verify() {
  auto input = getInput().getType(), weights = getWeights().getType();
  if (weights.getRank() != 3 || input.getRank() != 4 ||
      weights.getDimSize(2) % input.getDimSize(3) != 0)
    return emitOpError("expects [KH, KW, C * M] weights, C the input's "
                       "channel count");
  if (failed(verifyWindow(*this, weights.getDimSize(0), weights.getDimSize(1),
                          weights.getDimSize(2))))
    return failure();
  return verifyIntegerLayer(*this);
}

//===----------------------------------------------------------------------===//
// IntegerLayerOpInterface
//===----------------------------------------------------------------------===//

std::array<int64_t, 2> FullyConnectedOp::getKernelSize() { return {1, 1}; }

int64_t FullyConnectedOp::getTapChannels() {
  return getWeights().getType().getDimSize(1);
}

bool FullyConnectedOp::isChannelwise() { return false; }

std::pair<int64_t, int64_t>
FullyConnectedOp::getWeightCoordinates(int64_t flatIndex) {
  // [outputs, depth] row-major.
  int64_t depth = getTapChannels();
  return {flatIndex / depth, flatIndex % depth};
}

std::array<int64_t, 2> Conv2DOp::getKernelSize() {
  auto weights = getWeights().getType();
  return {weights.getDimSize(1), weights.getDimSize(2)};
}

int64_t Conv2DOp::getTapChannels() {
  return getWeights().getType().getDimSize(3);
}

bool Conv2DOp::isChannelwise() { return false; }

std::pair<int64_t, int64_t> Conv2DOp::getWeightCoordinates(int64_t flatIndex) {
  // OHWI: each output channel's row is its (kh, kw, c) weights in order.
  int64_t depth = getReductionDepth();
  return {flatIndex / depth, flatIndex % depth};
}

std::array<int64_t, 2> DepthwiseConv2DOp::getKernelSize() {
  auto weights = getWeights().getType();
  return {weights.getDimSize(0), weights.getDimSize(1)};
}

int64_t DepthwiseConv2DOp::getTapChannels() { return 1; }

bool DepthwiseConv2DOp::isChannelwise() { return true; }

std::pair<int64_t, int64_t>
DepthwiseConv2DOp::getWeightCoordinates(int64_t flatIndex) {
  // [KH, KW, C * M]: channels innermost, one tap after another.
  int64_t channels = getWeights().getType().getDimSize(2);
  return {flatIndex % channels, flatIndex / channels};
}

OpFoldResult RequantizeOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getInput());
  auto type = getOutput().getType();
  if (!input || !type.hasStaticShape())
    return {};
  ArrayRef<int32_t> multipliers = getMultiplier();
  ArrayRef<int32_t> shifts = getShift();
  std::optional<uint64_t> axis = getAxis();
  AxisIndexer channelOf(type.getShape(),
                        axis ? std::optional<int64_t>(*axis) : std::nullopt);
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  int32_t zeroPoint = getZeroPoint(), clampMin = getClampMin(),
          clampMax = getClampMax(), inputZeroPoint = getInputZeroPoint();
  SmallVector<APInt> values;
  values.reserve(type.getNumElements());
  for (auto [index, value] : llvm::enumerate(input.getValues<APInt>())) {
    int64_t channel = channelOf(index);
    int32_t result = numerics::requantize(
        int32_t(value.getSExtValue()) - inputZeroPoint,
        {multipliers[channel], shifts[channel]}, zeroPoint, clampMin, clampMax);
    values.push_back(APInt(width, result, /*isSigned=*/true));
  }
  return DenseElementsAttr::get(type, values);
}

//===----------------------------------------------------------------------===//
// AddOp
//===----------------------------------------------------------------------===//

/// The largest headroom shift for which (x - z) * 2^shift of 8-bit values
/// stays within 31 bits.
static constexpr int32_t kMaxAddLeftShift = 22;

LogicalResult AddOp::verify() {
  auto elementType = [](Value value) {
    return cast<IntegerType>(
        cast<RankedTensorType>(value.getType()).getElementType());
  };
  numerics::IntegerRange lhsRange = getSignedRange(elementType(getLhs()));
  numerics::IntegerRange rhsRange = getSignedRange(elementType(getRhs()));
  if (failed(
          checkInRange(*this, "lhs zero point", getLhsZeroPoint(), lhsRange)) ||
      failed(
          checkInRange(*this, "rhs zero point", getRhsZeroPoint(), rhsRange)))
    return failure();
  int32_t leftShift = getLeftShift();
  if (leftShift < 0 || leftShift > kMaxAddLeftShift)
    return emitOpError("left shift ")
           << leftShift << " is outside [0, " << kMaxAddLeftShift << "]";
  if (failed(verifyRequantization(*this, getMultiplier(), getShift(),
                                  /*expected=*/3, elementType(getOutput()),
                                  getOutputZeroPoint(), getClampMin(),
                                  getClampMax())))
    return failure();
  // Input factors below 1 keep the sum of the rescaled inputs in int32.
  for (int index : {0, 1})
    if (getShift()[index] > 0)
      return emitOpError("input shift #")
             << index << " (" << getShift()[index]
             << ") is positive; input factors must be below 1";
  return success();
}

//===----------------------------------------------------------------------===//
// AvgPool2DOp
//===----------------------------------------------------------------------===//

LogicalResult AvgPool2DOp::verify() {
  ArrayRef<int64_t> kernel = getKernel(), stride = getStride(), pad = getPad();
  if (kernel.size() != 2 || stride.size() != 2 || pad.size() != 4)
    return emitOpError("expects 2 kernel sizes, 2 strides and 4 pads (top, "
                       "bottom, left, right)");
  if (llvm::any_of(kernel, [](int64_t k) { return k < 1; }) ||
      llvm::any_of(stride, [](int64_t v) { return v < 1; }) ||
      llvm::any_of(pad, [](int64_t p) { return p < 0; }))
    return emitOpError("expects positive kernel sizes and strides and "
                       "non-negative pads");
  // A window entirely in the padding would average nothing.
  if (pad[0] >= kernel[0] || pad[1] >= kernel[0] || pad[2] >= kernel[1] ||
      pad[3] >= kernel[1])
    return emitOpError("expects each pad smaller than the kernel");
  auto input = getInput().getType(), output = getOutput().getType();
  if (input.getRank() != 4 || output.getRank() != 4)
    return emitOpError("expects NHWC input and output");
  int64_t expected[4] = {
      input.getDimSize(0),
      numerics::reference::windowOutputSize(input.getDimSize(1), kernel[0],
                                            stride[0], 1, pad[0], pad[1]),
      numerics::reference::windowOutputSize(input.getDimSize(2), kernel[1],
                                            stride[1], 1, pad[2], pad[3]),
      input.getDimSize(3)};
  if (output.getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("expects output shape ")
           << expected[0] << "x" << expected[1] << "x" << expected[2] << "x"
           << expected[3];
  if (failed(checkInRange(
          *this, "input zero point", getInputZeroPoint(),
          getSignedRange(cast<IntegerType>(input.getElementType())))))
    return failure();
  return verifyRequantization(
      *this, getMultiplier(), getShift(), /*expected=*/1,
      cast<IntegerType>(output.getElementType()), getOutputZeroPoint(),
      getClampMin(), getClampMax());
}

//===----------------------------------------------------------------------===//
// SparqOp
//===----------------------------------------------------------------------===//

LogicalResult SparqOp::verify() {
  auto elementType = cast<IntegerType>(getInput().getType().getElementType());
  return checkInRange(*this, "zero point", getZeroPoint(),
                      getSignedRange(elementType));
}

OpFoldResult SparqOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getInput());
  auto type = getType();
  if (!input || !type.hasStaticShape())
    return {};
  numerics::SparqConfig config = getSparqConfig(getConfig());
  auto elementType = cast<IntegerType>(type.getElementType());
  numerics::IntegerRange range = getSignedRange(elementType);
  int64_t rowLength = type.getRank() == 0 ? 1 : type.getShape().back();
  SmallVector<int64_t> stored;
  stored.reserve(type.getNumElements());
  for (const APInt &value : input.getValues<APInt>())
    stored.push_back(value.getSExtValue());
  numerics::applySparqToStorage({stored.data(), stored.size()},
                                size_t(rowLength), getZeroPoint(), range.min,
                                range.max, config);
  SmallVector<APInt> values;
  values.reserve(stored.size());
  for (int64_t value : stored)
    values.push_back(APInt(elementType.getWidth(), value, /*isSigned=*/true));
  return DenseElementsAttr::get(type, values);
}
