//===- Quantization.cpp - ONNX QuantizeLinear, DequantizeLinear, QLinear*
//--===//
//
// Pre-quantized ONNX models keep their parameters as upstream !quant.uniform
// types: QuantizeLinear is quant.qcast then quant.scast to the storage type,
// DequantizeLinear quant.scast then quant.dcast. QLinearConv and
// QLinearMatMul dequantize their operands, apply Conv or MatMul (as new
// generic nodes, converted by those handlers), and quantize the result.
// quant.scast takes signless storage, so uint8 tensors pass through a
// tensor.bitcast.
//
//===----------------------------------------------------------------------===//

#include "OnnxToTosaCommon.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

using namespace mlir;
using namespace tinyq;
using namespace tinyq::onnx_to_tosa;

/// The quantized type described by constant scale input \p scaleIndex and
/// optional zero-point input \p zeroPointIndex for data of \p rank; a 1-D
/// scale of more than one value is per axis along \p axis. Without a zero
/// point the storage is \p defaultStorage.
static FailureOr<quant::QuantizedType>
getQuantizedType(NodeBinder &binder, PatternRewriter &rewriter,
                 unsigned scaleIndex, unsigned zeroPointIndex, int64_t rank,
                 int64_t axis, Type defaultStorage) {
  std::optional<DenseElementsAttr> scale = binder.getConstantInput(scaleIndex);
  if (!scale || !scale->getElementType().isF32() ||
      scale->getType().getRank() > 1)
    return binder.fail(rewriter, "scales must be float32 constants of rank "
                                 "0 or 1");
  SmallVector<double> scales;
  for (const APFloat &value : scale->getValues<APFloat>()) {
    double s = value.convertToDouble();
    if (!std::isfinite(s) || s <= 0)
      return binder.fail(rewriter, "scales must be finite and positive");
    scales.push_back(s);
  }
  Type storage = defaultStorage;
  SmallVector<int64_t> zeroPoints(scales.size(), 0);
  if (binder.getInput(zeroPointIndex)) {
    std::optional<DenseElementsAttr> zp =
        binder.getConstantInput(zeroPointIndex);
    if (!zp || zp->getNumElements() != int64_t(scales.size()) ||
        !isa<IntegerType>(zp->getElementType()))
      return binder.fail(rewriter, "zero points must be integer constants, "
                                   "one per scale");
    storage = zp->getElementType();
    auto intType = cast<IntegerType>(storage);
    zeroPoints.clear();
    for (const APInt &value : zp->getValues<APInt>())
      zeroPoints.push_back(intType.isUnsigned() ? int64_t(value.getZExtValue())
                                                : value.getSExtValue());
  }
  auto intType = dyn_cast<IntegerType>(storage);
  if (!intType || (intType.getWidth() != 8 && intType.getWidth() != 32))
    return binder.fail(rewriter, "quantized data must be int8, uint8 or "
                                 "int32");
  bool isSigned = !intType.isUnsigned();
  unsigned width = intType.getWidth();
  int64_t storageMin = isSigned ? -(int64_t(1) << (width - 1)) : 0;
  int64_t storageMax =
      isSigned ? (int64_t(1) << (width - 1)) - 1 : (int64_t(1) << width) - 1;
  Type signless = rewriter.getIntegerType(width);
  unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
  for (int64_t zp : zeroPoints)
    if (zp < storageMin || zp > storageMax)
      return binder.fail(rewriter, "a zero point is outside its storage range");
  auto emitError = [&] { return binder.getNode().emitError(); };
  Type f32 = rewriter.getF32Type();
  if (scales.size() == 1 && scale->getType().getRank() == 0)
    return cast<quant::QuantizedType>(quant::UniformQuantizedType::getChecked(
        emitError, flags, signless, f32, scales[0], zeroPoints[0], storageMin,
        storageMax));
  std::optional<int64_t> dim = normalizeAxis(axis, rank);
  if (!dim)
    return binder.fail(rewriter, "axis is out of range");
  if (scales.size() == 1)
    return cast<quant::QuantizedType>(quant::UniformQuantizedType::getChecked(
        emitError, flags, signless, f32, scales[0], zeroPoints[0], storageMin,
        storageMax));
  return cast<quant::QuantizedType>(
      quant::UniformQuantizedPerAxisType::getChecked(
          emitError, flags, signless, f32, scales, zeroPoints, int32_t(*dim),
          storageMin, storageMax));
}

/// float32 \p value quantized to \p type, in the storage type of
/// \p resultType (uint8 through a bitcast).
static Value createQuantize(PatternRewriter &rewriter, Location loc,
                            Value value, quant::QuantizedType type,
                            RankedTensorType resultType) {
  auto shape = cast<RankedTensorType>(value.getType()).getShape();
  Value quantized = quant::QuantizeCastOp::create(
      rewriter, loc, RankedTensorType::get(shape, type), value);
  Value storage = quant::StorageCastOp::create(
      rewriter, loc, RankedTensorType::get(shape, type.getStorageType()),
      quantized);
  if (storage.getType() == resultType)
    return storage;
  return tensor::BitcastOp::create(rewriter, loc, resultType, storage);
}

/// Integer \p value (int8, uint8 or int32) dequantized with \p type.
static Value createDequantize(PatternRewriter &rewriter, Location loc,
                              Value value, quant::QuantizedType type) {
  auto valueType = cast<RankedTensorType>(value.getType());
  auto signlessType = valueType.clone(type.getStorageType());
  if (valueType != signlessType)
    value = tensor::BitcastOp::create(rewriter, loc, signlessType, value);
  Value quantized =
      quant::StorageCastOp::create(rewriter, loc, valueType.clone(type), value);
  return quant::DequantizeCastOp::create(
      rewriter, loc, valueType.clone(rewriter.getF32Type()), quantized);
}

/// The ranked integer type of input \p index, or null.
static RankedTensorType getIntegerInputType(NodeBinder &binder,
                                            unsigned index) {
  RankedTensorType type = binder.getInputType(index);
  return type && type.hasStaticShape() &&
                 isa<IntegerType>(type.getElementType())
             ? type
             : nullptr;
}

static LogicalResult convertQuantizeLinear(NodeBinder &binder,
                                           PatternRewriter &rewriter) {
  RankedTensorType inputType = binder.getInputType(0);
  RankedTensorType resultType = binder.getStaticResultType();
  if (!inputType || !inputType.getElementType().isF32() || !resultType ||
      !isa<IntegerType>(resultType.getElementType()))
    return binder.fail(rewriter, "expects float32 input and integer result");
  FailureOr<quant::QuantizedType> type =
      getQuantizedType(binder, rewriter, 1, 2, inputType.getRank(),
                       binder.getInt("axis", 1), resultType.getElementType());
  if (failed(type))
    return failure();
  rewriter.replaceOp(binder.getNode(),
                     createQuantize(rewriter, binder.getLoc(),
                                    binder.getInput(0), *type, resultType));
  return success();
}

static LogicalResult convertDequantizeLinear(NodeBinder &binder,
                                             PatternRewriter &rewriter) {
  RankedTensorType inputType = getIntegerInputType(binder, 0);
  RankedTensorType resultType = binder.getStaticResultType();
  if (!inputType || !resultType || !resultType.getElementType().isF32())
    return binder.fail(rewriter, "expects integer input and float32 result");
  FailureOr<quant::QuantizedType> type =
      getQuantizedType(binder, rewriter, 1, 2, inputType.getRank(),
                       binder.getInt("axis", 1), inputType.getElementType());
  if (failed(type))
    return failure();
  rewriter.replaceOp(
      binder.getNode(),
      createDequantize(rewriter, binder.getLoc(), binder.getInput(0), *type));
  return success();
}

/// QLinearConv (x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B) and
/// QLinearMatMul (a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp):
/// dequantize, apply \p floatOp, quantize.
template <bool isConv>
static LogicalResult convertQLinear(NodeBinder &binder,
                                    PatternRewriter &rewriter) {
  RankedTensorType xType = getIntegerInputType(binder, 0);
  RankedTensorType wType = getIntegerInputType(binder, 3);
  RankedTensorType resultType = binder.getStaticResultType();
  if (!xType || !wType || !resultType ||
      !isa<IntegerType>(resultType.getElementType()))
    return binder.fail(rewriter, "expects static integer operands and result");
  // Per-channel weights are along the output channels: axis 0 of a Conv's
  // OIHW weight, the last axis of a MatMul's B.
  FailureOr<quant::QuantizedType> xQuant = getQuantizedType(
      binder, rewriter, 1, 2, xType.getRank(), 1, xType.getElementType());
  FailureOr<quant::QuantizedType> wQuant =
      getQuantizedType(binder, rewriter, 4, 5, wType.getRank(), isConv ? 0 : -1,
                       wType.getElementType());
  FailureOr<quant::QuantizedType> yQuant =
      getQuantizedType(binder, rewriter, 6, 7, resultType.getRank(), 1,
                       resultType.getElementType());
  if (failed(xQuant) || failed(wQuant) || failed(yQuant))
    return failure();
  if (!isa<quant::UniformQuantizedType>(*xQuant) ||
      !isa<quant::UniformQuantizedType>(*yQuant))
    return binder.fail(rewriter, "input and output need per-tensor "
                                 "quantization");
  Location loc = binder.getLoc();
  SmallVector<Value> operands = {
      createDequantize(rewriter, loc, binder.getInput(0), *xQuant),
      createDequantize(rewriter, loc, binder.getInput(3), *wQuant)};
  if (isConv && binder.getInput(8)) {
    // The bias is int32 with scale x_scale * w_scale (per channel) and zero
    // point 0.
    RankedTensorType biasType = getIntegerInputType(binder, 8);
    if (!biasType || !biasType.getElementType().isInteger(32) ||
        biasType.getRank() != 1)
      return binder.fail(rewriter, "the bias must be a 1-D int32 tensor");
    double xScale = cast<quant::UniformQuantizedType>(*xQuant).getScale();
    SmallVector<double> scales;
    if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(*wQuant))
      scales.assign(biasType.getDimSize(0), xScale * perTensor.getScale());
    else
      for (double s :
           cast<quant::UniformQuantizedPerAxisType>(*wQuant).getScales())
        scales.push_back(xScale * s);
    if (int64_t(scales.size()) != biasType.getDimSize(0))
      return binder.fail(rewriter, "the bias length differs from the number "
                                   "of weight scales");
    auto i32 = rewriter.getI32Type();
    auto biasQuant = quant::UniformQuantizedPerAxisType::getChecked(
        [&] { return binder.getNode().emitError(); },
        quant::QuantizationFlags::Signed, i32, rewriter.getF32Type(), scales,
        SmallVector<int64_t>(scales.size(), 0), 0,
        std::numeric_limits<int32_t>::min(),
        std::numeric_limits<int32_t>::max());
    if (!biasQuant)
      return failure();
    operands.push_back(
        createDequantize(rewriter, loc, binder.getInput(8), biasQuant));
  }
  // The float operator, as a generic node that its own handler converts.
  auto floatType = resultType.clone(rewriter.getF32Type());
  auto floatNode = frontend::NodeOp::create(
      rewriter, loc, TypeRange{floatType},
      rewriter.getStringAttr(isConv ? "onnx.Conv" : "onnx.MatMul"), operands);
  for (NamedAttribute attr : binder.getNode()->getDiscardableAttrs())
    floatNode->setAttr(attr.getName(), attr.getValue());
  rewriter.replaceOp(binder.getNode(),
                     createQuantize(rewriter, loc, floatNode.getResult(0),
                                    *yQuant, resultType));
  return success();
}

void tinyq::onnx_to_tosa::populateQuantizationHandlers(
    OnnxHandlerTable &table) {
  table.add("QuantizeLinear", 10, convertQuantizeLinear);
  table.add("DequantizeLinear", 10, convertDequantizeLinear);
  table.add("QLinearConv", 10, convertQLinear<true>);
  table.add("QLinearMatMul", 10, convertQLinear<false>);
}
