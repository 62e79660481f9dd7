//===- Shape.cpp - ONNX shape and data-movement operators -----------------===//
//
// Shapes are static after import (the batch size is fixed), so Reshape,
// Flatten, Squeeze and Unsqueeze all become a tosa.reshape to the inferred
// result shape. Shape produces a constant, and Gather, Concat, Cast and the
// reshapes fold when their inputs are constants, so the shape computations
// PyTorch exports (Shape -> Gather -> Unsqueeze -> Concat -> Reshape) become
// constants.
//
//===----------------------------------------------------------------------===//

#include "OnnxToTosaCommon.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"

using namespace mlir;
using namespace tinyq;
using namespace tinyq::onnx_to_tosa;

/// Replaces the node with a constant.
static LogicalResult replaceWithConstant(OnnxBinder &binder,
                                         PatternRewriter &rewriter,
                                         DenseElementsAttr value) {
  rewriter.replaceOp(binder.getNode(),
                     createConst(rewriter, binder.getLoc(), value));
  return success();
}

// Reshape, Flatten, Squeeze, Unsqueeze: the data in row-major order, viewed
// with the inferred result shape.
static LogicalResult convertToResultShape(OnnxBinder &binder,
                                          PatternRewriter &rewriter) {
  RankedTensorType resultType = binder.getStaticResultType();
  RankedTensorType inputType = binder.getInputType(0);
  if (!resultType || !inputType || !inputType.hasStaticShape())
    return binder.fail(rewriter, "the input and result shapes must be static "
                                 "(is the shape input a constant?)");
  if (inputType.getNumElements() != resultType.getNumElements())
    return binder.fail(rewriter, "the input and result sizes differ");
  if (std::optional<DenseElementsAttr> value = binder.getConstantInput(0))
    return replaceWithConstant(binder, rewriter, value->reshape(resultType));
  rewriter.replaceOp(binder.getNode(),
                     createReshape(rewriter, binder.getLoc(),
                                   binder.getInput(0), resultType.getShape()));
  return success();
}

static LogicalResult convertTranspose(OnnxBinder &binder,
                                      PatternRewriter &rewriter) {
  RankedTensorType inputType = binder.getInputType(0);
  if (!inputType || !binder.getStaticResultType())
    return binder.fail(rewriter, "expects a ranked input and static result");
  int64_t rank = inputType.getRank();
  SmallVector<int32_t> perms;
  if (std::optional<SmallVector<int64_t>> perm = binder.getInts("perm")) {
    llvm::SmallBitVector seen(rank);
    for (int64_t p : *perm) {
      if (p < 0 || p >= rank || seen.test(p))
        return binder.fail(rewriter, "perm is not a permutation");
      seen.set(p);
      perms.push_back(int32_t(p));
    }
    if (int64_t(perms.size()) != rank)
      return binder.fail(rewriter, "perm is not a permutation");
  } else {
    for (int64_t i = rank - 1; i >= 0; --i)
      perms.push_back(int32_t(i));
  }
  rewriter.replaceOp(
      binder.getNode(),
      createTranspose(rewriter, binder.getLoc(), binder.getInput(0), perms));
  return success();
}

static LogicalResult convertConcat(OnnxBinder &binder,
                                   PatternRewriter &rewriter) {
  RankedTensorType resultType = binder.getStaticResultType();
  if (!resultType || binder.getNumInputs() == 0)
    return binder.fail(rewriter, "expects inputs and a static result");
  std::optional<int64_t> axis =
      normalizeAxis(binder.getInt("axis", 0), resultType.getRank());
  if (!axis)
    return binder.fail(rewriter, "axis is out of range");
  SmallVector<Value> inputs;
  bool allConstant = true;
  for (unsigned i = 0; i < binder.getNumInputs(); ++i) {
    if (!binder.getInputType(i))
      return binder.fail(rewriter, "expects ranked inputs");
    inputs.push_back(binder.getInput(i));
    allConstant &= binder.getConstantInput(i).has_value();
  }
  // Shape computations concatenate rank-1 integer constants.
  if (allConstant && resultType.getRank() == 1 &&
      isa<IntegerType>(resultType.getElementType())) {
    SmallVector<APInt> values;
    for (unsigned i = 0; i < binder.getNumInputs(); ++i)
      llvm::append_range(values,
                         binder.getConstantInput(i)->getValues<APInt>());
    return replaceWithConstant(binder, rewriter,
                               DenseElementsAttr::get(resultType, values));
  }
  rewriter.replaceOpWithNewOp<tosa::ConcatOp>(
      binder.getNode(), resultType, inputs,
      rewriter.getI32IntegerAttr(int32_t(*axis)));
  return success();
}

static LogicalResult convertPad(OnnxBinder &binder, PatternRewriter &rewriter) {
  RankedTensorType inputType = binder.getInputType(0);
  RankedTensorType resultType = binder.getStaticResultType();
  if (!inputType || !resultType || !isa<FloatType>(inputType.getElementType()))
    return binder.fail(rewriter, "expects a float input and a static result");
  StringRef mode = binder.getString("mode", "constant");
  if (mode != "constant")
    return binder.fail(rewriter,
                       "only mode 'constant' is supported, got '" + mode + "'");
  if (binder.getInput(3))
    return binder.fail(rewriter, "the axes input is not supported");
  std::optional<SmallVector<int64_t>> pads = binder.getIntsInput(1);
  int64_t rank = inputType.getRank();
  if (!pads || int64_t(pads->size()) != 2 * rank)
    return binder.fail(rewriter, "pads must be a constant with two values per "
                                 "dimension");
  if (llvm::any_of(*pads, [](int64_t p) { return p < 0; }))
    return binder.fail(rewriter, "negative pads are not supported");
  float padValue = 0.0f;
  if (binder.getInput(2)) {
    std::optional<DenseElementsAttr> value = binder.getConstantInput(2);
    if (!value || value->getNumElements() != 1 ||
        !isa<FloatType>(value->getElementType()))
      return binder.fail(rewriter, "constant_value must be a float constant");
    padValue = float(value->getSplatValue<APFloat>().convertToDouble());
  }
  // ONNX lists all begins, then all ends; TOSA interleaves them.
  SmallVector<int64_t> padding;
  for (int64_t i = 0; i < rank; ++i) {
    padding.push_back((*pads)[i]);
    padding.push_back((*pads)[i + rank]);
  }
  Location loc = binder.getLoc();
  Type elementType = inputType.getElementType();
  Value padConst = createConst(
      rewriter, loc,
      DenseElementsAttr::get(RankedTensorType::get({1}, elementType),
                             rewriter.getFloatAttr(elementType, padValue)));
  rewriter.replaceOpWithNewOp<tosa::PadOp>(
      binder.getNode(), resultType, binder.getInput(0),
      createConstShape(rewriter, loc, padding), padConst);
  return success();
}

static LogicalResult convertConstant(OnnxBinder &binder,
                                     PatternRewriter &rewriter) {
  RankedTensorType resultType = binder.getStaticResultType();
  if (!resultType)
    return binder.fail(rewriter, "expects a static result");
  DenseElementsAttr value;
  if (std::optional<DenseElementsAttr> tensor = binder.getTensor("value")) {
    value = *tensor;
  } else if (binder.hasAttr("value_float")) {
    value = DenseElementsAttr::get(resultType,
                                   binder.getFloat("value_float", 0.0f));
  } else if (binder.hasAttr("value_int")) {
    value = DenseElementsAttr::get(resultType, binder.getInt("value_int", 0));
  } else if (std::optional<SmallVector<int64_t>> ints =
                 binder.getInts("value_ints")) {
    value = DenseElementsAttr::get(resultType, ArrayRef<int64_t>(*ints));
  } else {
    return binder.fail(rewriter, "only value, value_float, value_int and "
                                 "value_ints are supported");
  }
  if (value.getType() != resultType)
    return binder.fail(rewriter, "the value's type differs from the result's");
  return replaceWithConstant(binder, rewriter, value);
}

// Identity and inference-mode Dropout forward their input.
static LogicalResult convertForward(OnnxBinder &binder,
                                    PatternRewriter &rewriter) {
  Value input = binder.getInput(0);
  if (!input || binder.getNode().getOutputs()[0].getType() != input.getType())
    return binder.fail(rewriter, "the result type differs from the input's");
  if (binder.isResultUsed(1))
    return binder.fail(rewriter, "Dropout's mask output is not supported");
  if (binder.getInput(2)) {
    std::optional<DenseElementsAttr> training = binder.getConstantInput(2);
    if (!training || training->getSplatValue<bool>())
      return binder.fail(rewriter, "training mode is not supported");
  }
  SmallVector<Value> replacements = {input};
  for (size_t i = 1; i < binder.getNode().getOutputs().size(); ++i)
    replacements.push_back(nullptr);
  rewriter.replaceOp(binder.getNode(), replacements);
  return success();
}

static LogicalResult convertShape(OnnxBinder &binder,
                                  PatternRewriter &rewriter) {
  RankedTensorType inputType = binder.getInputType(0);
  if (!inputType || !inputType.hasStaticShape())
    return binder.fail(rewriter, "the input shape must be static");
  int64_t rank = inputType.getRank();
  int64_t start = binder.getInt("start", 0), end = binder.getInt("end", rank);
  start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
  end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
  SmallVector<int64_t> dims(
      inputType.getShape().slice(start, std::max<int64_t>(0, end - start)));
  auto type =
      RankedTensorType::get({int64_t(dims.size())}, rewriter.getI64Type());
  return replaceWithConstant(binder, rewriter,
                             DenseElementsAttr::get(type, ArrayRef(dims)));
}

// Gather of constants, as in shape computations: data of rank >= 1 indexed
// along `axis` by constant indices.
static LogicalResult convertGather(OnnxBinder &binder,
                                   PatternRewriter &rewriter) {
  std::optional<DenseElementsAttr> data = binder.getConstantInput(0);
  std::optional<SmallVector<int64_t>> indices = binder.getIntsInput(1);
  RankedTensorType resultType = binder.getStaticResultType();
  if (!data || !indices || !resultType)
    return binder.fail(rewriter, "only Gather of constants is supported");
  ArrayRef<int64_t> shape = data->getType().getShape();
  std::optional<int64_t> axis =
      normalizeAxis(binder.getInt("axis", 0), shape.size());
  if (!axis)
    return binder.fail(rewriter, "axis is out of range");
  int64_t outer = 1, inner = 1, size = shape[*axis];
  for (int64_t i = 0; i < *axis; ++i)
    outer *= shape[i];
  for (size_t i = *axis + 1; i < shape.size(); ++i)
    inner *= shape[i];
  SmallVector<Attribute> source(data->getValues<Attribute>());
  SmallVector<Attribute> values;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t index : *indices) {
      if (index < -size || index >= size)
        return binder.fail(rewriter, "an index is out of range");
      if (index < 0)
        index += size;
      for (int64_t i = 0; i < inner; ++i)
        values.push_back(source[(o * size + index) * inner + i]);
    }
  if (int64_t(values.size()) != resultType.getNumElements())
    return binder.fail(rewriter, "the result size does not match");
  return replaceWithConstant(binder, rewriter,
                             DenseElementsAttr::get(resultType, values));
}

static LogicalResult convertCast(OnnxBinder &binder,
                                 PatternRewriter &rewriter) {
  RankedTensorType resultType = binder.getStaticResultType();
  RankedTensorType inputType = binder.getInputType(0);
  if (!resultType || !inputType)
    return binder.fail(rewriter, "expects a ranked input and static result");
  Type to = resultType.getElementType();
  if (std::optional<DenseElementsAttr> value = binder.getConstantInput(0)) {
    Type from = inputType.getElementType();
    if (from == to)
      return replaceWithConstant(binder, rewriter, value->reshape(resultType));
    if (isa<IntegerType>(from) && isa<IntegerType>(to)) {
      unsigned width = to.getIntOrFloatBitWidth();
      SmallVector<APInt> converted;
      for (const APInt &v : value->getValues<APInt>())
        converted.push_back(v.sextOrTrunc(width));
      return replaceWithConstant(binder, rewriter,
                                 DenseElementsAttr::get(resultType, converted));
    }
    if (isa<IntegerType>(from) && to.isF32()) {
      SmallVector<float> converted;
      for (const APInt &v : value->getValues<APInt>())
        converted.push_back(float(v.getSExtValue()));
      return replaceWithConstant(
          binder, rewriter,
          DenseElementsAttr::get(resultType, ArrayRef<float>(converted)));
    }
  }
  if (inputType.getElementType() == to) {
    rewriter.replaceOp(binder.getNode(), binder.getInput(0));
    return success();
  }
  rewriter.replaceOpWithNewOp<tosa::CastOp>(binder.getNode(), resultType,
                                            binder.getInput(0));
  return success();
}

void tinyq::onnx_to_tosa::populateShapeHandlers(OnnxHandlerTable &table) {
  table.add("Reshape", 5, convertToResultShape);
  table.add("Flatten", 1, convertToResultShape);
  table.add("Squeeze", 1, convertToResultShape);
  table.add("Unsqueeze", 1, convertToResultShape);
  table.add("Transpose", 1, convertTranspose);
  table.add("Concat", 4, convertConcat);
  table.add("Pad", 11, convertPad);
  table.add("Constant", 9, convertConstant);
  table.add("Identity", 1, convertForward);
  table.add("Dropout", 7, convertForward);
  table.add("Shape", 1, convertShape);
  table.add("Gather", 1, convertGather);
  table.add("Cast", 6, convertCast);
}
