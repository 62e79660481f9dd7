//===- OnnxToTosa.cpp - ONNX node semantics in TOSA -----------------------===//
//
// The pattern dispatching tinyq_frontend.node "onnx.*" to the handler of its
// operator and opset, the pass around it, and the helpers handlers share.
//
//===----------------------------------------------------------------------===//

#include "OnnxToTosaCommon.h"
#include "tinyq/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQCONVERTONNXTOTOSA
#include "tinyq/Conversion/Passes.h.inc"
} // namespace tinyq

#define DEBUG_TYPE "convert-onnx-to-tosa"

using namespace mlir;
using namespace tinyq;
using namespace tinyq::onnx_to_tosa;

static constexpr StringLiteral kOnnxPrefix = "onnx.";

//===----------------------------------------------------------------------===//
// OnnxBinder
//===----------------------------------------------------------------------===//

StringRef OnnxBinder::getOpName() const {
  StringRef name = node.getOpType();
  name.consume_front(kOnnxPrefix);
  return name;
}

Value OnnxBinder::getInput(unsigned index) const {
  if (index >= getNumInputs())
    return nullptr;
  Value value = node.getInputs()[index];
  if (isa<NoneType>(value.getType()))
    return nullptr;
  return value;
}

RankedTensorType OnnxBinder::getInputType(unsigned index) const {
  Value value = getInput(index);
  return value ? dyn_cast<RankedTensorType>(value.getType()) : nullptr;
}

std::optional<DenseElementsAttr>
OnnxBinder::getConstantInput(unsigned index) const {
  Value value = getInput(index);
  DenseElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  return attr;
}

std::optional<SmallVector<int64_t>>
OnnxBinder::getIntsInput(unsigned index) const {
  std::optional<DenseElementsAttr> attr = getConstantInput(index);
  if (!attr || !isa<IntegerType>(attr->getElementType()))
    return std::nullopt;
  SmallVector<int64_t> values;
  for (const APInt &value : attr->getValues<APInt>())
    values.push_back(value.getSExtValue());
  return values;
}

RankedTensorType OnnxBinder::getStaticResultType(unsigned index) const {
  if (index >= node.getOutputs().size())
    return nullptr;
  auto type = dyn_cast<RankedTensorType>(node.getOutputs()[index].getType());
  return type && type.hasStaticShape() ? type : nullptr;
}

bool OnnxBinder::isResultUsed(unsigned index) const {
  return index < node.getOutputs().size() &&
         !node.getOutputs()[index].use_empty();
}

Attribute OnnxBinder::getAttr(StringRef name) const {
  return node->getAttr((kOnnxPrefix + name).str());
}

bool OnnxBinder::hasAttr(StringRef name) const {
  return static_cast<bool>(getAttr(name));
}

int64_t OnnxBinder::getInt(StringRef name, int64_t defaultValue) const {
  auto attr = dyn_cast_if_present<IntegerAttr>(getAttr(name));
  return attr ? attr.getInt() : defaultValue;
}

float OnnxBinder::getFloat(StringRef name, float defaultValue) const {
  auto attr = dyn_cast_if_present<FloatAttr>(getAttr(name));
  return attr ? float(attr.getValueAsDouble()) : defaultValue;
}

StringRef OnnxBinder::getString(StringRef name, StringRef defaultValue) const {
  auto attr = dyn_cast_if_present<StringAttr>(getAttr(name));
  return attr ? attr.getValue() : defaultValue;
}

std::optional<SmallVector<int64_t>> OnnxBinder::getInts(StringRef name) const {
  auto attr = dyn_cast_if_present<DenseI64ArrayAttr>(getAttr(name));
  if (!attr)
    return std::nullopt;
  return SmallVector<int64_t>(attr.asArrayRef());
}

std::optional<DenseElementsAttr> OnnxBinder::getTensor(StringRef name) const {
  auto attr = dyn_cast_if_present<DenseElementsAttr>(getAttr(name));
  if (!attr)
    return std::nullopt;
  return attr;
}

LogicalResult OnnxBinder::fail(PatternRewriter &rewriter,
                               const Twine &reason) const {
  if (reasons)
    (*reasons)[node.getOperation()] = reason.str();
  return rewriter.notifyMatchFailure(node, reason);
}

//===----------------------------------------------------------------------===//
// OnnxHandlerTable
//===----------------------------------------------------------------------===//

void OnnxHandlerTable::add(StringRef opName, int64_t sinceVersion,
                           OnnxHandler handler) {
  handlers[opName].push_back({sinceVersion, std::move(handler)});
}

const OnnxHandler *OnnxHandlerTable::lookup(StringRef opName,
                                            int64_t opset) const {
  auto it = handlers.find(opName);
  if (it == handlers.end())
    return nullptr;
  const OnnxHandler *best = nullptr;
  int64_t bestVersion = -1;
  for (const auto &[since, handler] : it->second)
    if (since <= opset && since > bestVersion) {
      best = &handler;
      bestVersion = since;
    }
  return best;
}

std::vector<std::pair<std::string, int64_t>> OnnxHandlerTable::list() const {
  std::vector<std::pair<std::string, int64_t>> result;
  for (const auto &entry : handlers)
    for (const auto &[since, handler] : entry.second)
      result.push_back({entry.getKey().str(), since});
  llvm::sort(result);
  return result;
}

std::vector<std::pair<std::string, int64_t>>
tinyq::getSupportedOnnxOperators() {
  return getOnnxHandlerTable().list();
}

const OnnxHandlerTable &tinyq::onnx_to_tosa::getOnnxHandlerTable() {
  static const OnnxHandlerTable table = [] {
    OnnxHandlerTable t;
    populateElementwiseHandlers(t);
    populateLinearHandlers(t);
    populatePoolingHandlers(t);
    populateShapeHandlers(t);
    populateNormalizationHandlers(t);
    return t;
  }();
  return table;
}

bool tinyq::isOnnxOperatorSupported(StringRef opType, int64_t opset) {
  if (!opType.consume_front(kOnnxPrefix))
    return false;
  return getOnnxHandlerTable().lookup(opType, opset) != nullptr;
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Value tinyq::onnx_to_tosa::createConst(OpBuilder &builder, Location loc,
                                       DenseElementsAttr value) {
  return tosa::ConstOp::create(builder, loc, value.getType(), value);
}

Value tinyq::onnx_to_tosa::createScalar(OpBuilder &builder, Location loc,
                                        float value, int64_t rank) {
  auto type = RankedTensorType::get(SmallVector<int64_t>(rank, 1),
                                    builder.getF32Type());
  return createConst(builder, loc, DenseElementsAttr::get(type, value));
}

Value tinyq::onnx_to_tosa::createZeroPoint(OpBuilder &builder, Location loc,
                                           Type elementType) {
  auto type = RankedTensorType::get({1}, elementType);
  Attribute zero = isa<FloatType>(elementType)
                       ? Attribute(builder.getFloatAttr(elementType, 0.0))
                       : Attribute(builder.getIntegerAttr(elementType, 0));
  return createConst(builder, loc, DenseElementsAttr::get(type, zero));
}

Value tinyq::onnx_to_tosa::createConstShape(OpBuilder &builder, Location loc,
                                            ArrayRef<int64_t> shape) {
  return tosa::ConstShapeOp::create(
      builder, loc, tosa::shapeType::get(builder.getContext(), shape.size()),
      builder.getIndexTensorAttr(shape));
}

Value tinyq::onnx_to_tosa::createReshape(OpBuilder &builder, Location loc,
                                         Value value, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  Value shapeValue = createConstShape(builder, loc, shape);
  return tosa::ReshapeOp::create(
      builder, loc, type.clone(SmallVector<int64_t>(shape)), value, shapeValue);
}

SmallVector<int64_t>
tinyq::onnx_to_tosa::permuteShape(ArrayRef<int64_t> shape,
                                  ArrayRef<int32_t> perms) {
  SmallVector<int64_t> result;
  for (int32_t perm : perms)
    result.push_back(shape[perm]);
  return result;
}

Value tinyq::onnx_to_tosa::createTranspose(OpBuilder &builder, Location loc,
                                           Value value,
                                           ArrayRef<int32_t> perms) {
  auto type = cast<RankedTensorType>(value.getType());
  auto resultType = type.clone(permuteShape(type.getShape(), perms));
  return tosa::TransposeOp::create(builder, loc, resultType, value,
                                   builder.getDenseI32ArrayAttr(perms));
}

Value tinyq::onnx_to_tosa::createMul(OpBuilder &builder, Location loc,
                                     Type resultType, Value lhs, Value rhs) {
  auto shiftType = RankedTensorType::get({1}, builder.getI8Type());
  Value shift = createConst(
      builder, loc,
      DenseElementsAttr::get(shiftType, builder.getI8IntegerAttr(0)));
  return tosa::MulOp::create(builder, loc, resultType, lhs, rhs, shift);
}

Value tinyq::onnx_to_tosa::broadcastToRank(OpBuilder &builder, Location loc,
                                           Value value, int64_t rank) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() >= rank)
    return value;
  SmallVector<int64_t> shape(rank - type.getRank(), 1);
  llvm::append_range(shape, type.getShape());
  return createReshape(builder, loc, value, shape);
}

std::optional<int64_t> tinyq::onnx_to_tosa::normalizeAxis(int64_t axis,
                                                          int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

FailureOr<SpatialWindow> tinyq::onnx_to_tosa::getSpatialWindow(
    OnnxBinder &binder, PatternRewriter &rewriter, ArrayRef<int64_t> inputHW,
    ArrayRef<int64_t> kernel, bool ceilMode) {
  SpatialWindow window;
  window.kernel.assign(kernel.begin(), kernel.end());
  window.strides =
      binder.getInts("strides").value_or(SmallVector<int64_t>{1, 1});
  window.dilations =
      binder.getInts("dilations").value_or(SmallVector<int64_t>{1, 1});
  if (window.strides.size() != 2 || window.dilations.size() != 2)
    return binder.fail(rewriter, "strides and dilations need two values");
  for (int i = 0; i < 2; ++i)
    if (window.strides[i] < 1 || window.dilations[i] < 1 || kernel[i] < 1)
      return binder.fail(rewriter,
                         "strides, dilations and kernel sizes must be >= 1");
  if (std::optional<SmallVector<int64_t>> shape =
          binder.getInts("kernel_shape"))
    if (ArrayRef<int64_t>(*shape) != kernel)
      return binder.fail(rewriter,
                         "kernel_shape does not match the weight shape");

  // ONNX pads: [h_begin, w_begin, h_end, w_end].
  SmallVector<int64_t> onnxPads(4, 0);
  StringRef autoPad = binder.getString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    if (std::optional<SmallVector<int64_t>> pads = binder.getInts("pads")) {
      if (pads->size() != 4 ||
          llvm::any_of(*pads, [](int64_t p) { return p < 0; }))
        return binder.fail(rewriter, "pads need four non-negative values");
      onnxPads = *pads;
    }
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int i = 0; i < 2; ++i) {
      int64_t out = (inputHW[i] + window.strides[i] - 1) / window.strides[i];
      int64_t extent = (kernel[i] - 1) * window.dilations[i] + 1;
      int64_t total = std::max<int64_t>(0, (out - 1) * window.strides[i] +
                                               extent - inputHW[i]);
      int64_t small = total / 2, large = total - small;
      onnxPads[i] = autoPad == "SAME_UPPER" ? small : large;
      onnxPads[i + 2] = autoPad == "SAME_UPPER" ? large : small;
    }
  } else if (autoPad != "VALID") {
    return binder.fail(rewriter, "unknown auto_pad '" + autoPad + "'");
  }

  window.crop.assign(2, 0);
  for (int i = 0; i < 2; ++i) {
    int64_t begin = onnxPads[i], end = onnxPads[i + 2];
    int64_t extent = (kernel[i] - 1) * window.dilations[i] + 1;
    int64_t span = inputHW[i] + begin + end - extent;
    if (span < 0)
      return binder.fail(rewriter, "the kernel is larger than the input");
    int64_t remainder = span % window.strides[i];
    if (ceilMode && remainder != 0) {
      // Round the output up with end padding no window counts.
      end += window.strides[i] - remainder;
      remainder = 0;
    }
    int64_t trimmed = std::min(end, remainder);
    end -= trimmed;
    window.crop[i] = remainder - trimmed;
    window.pad.push_back(begin);
    window.pad.push_back(end);
    window.output.push_back(
        (inputHW[i] - window.crop[i] + begin + end - extent) /
            window.strides[i] +
        1);
  }
  return window;
}

Value tinyq::onnx_to_tosa::cropNhwc(OpBuilder &builder, Location loc,
                                    Value value, const SpatialWindow &window) {
  if (window.crop[0] == 0 && window.crop[1] == 0)
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> size(type.getShape());
  size[1] -= window.crop[0];
  size[2] -= window.crop[1];
  return tosa::SliceOp::create(builder, loc, type.clone(size), value,
                               createConstShape(builder, loc, {0, 0, 0, 0}),
                               createConstShape(builder, loc, size));
}

//===----------------------------------------------------------------------===//
// Pattern and pass
//===----------------------------------------------------------------------===//

/// The opset of the function holding \p op, or 0.
static int64_t getOpset(Operation *op) {
  auto func = dyn_cast<func::FuncOp>(op);
  if (!func)
    func = op->getParentOfType<func::FuncOp>();
  if (!func)
    return 0;
  auto attr = func->getAttrOfType<IntegerAttr>(frontend::kOpsetAttrName);
  return attr ? attr.getInt() : 0;
}

namespace {
// node "onnx.X" -> the TOSA ops of X's handler for the function's opset
struct OnnxNodePattern : OpRewritePattern<frontend::NodeOp> {
  OnnxNodePattern(MLIRContext *context, OnnxFailureReasons *reasons)
      : OpRewritePattern(context), reasons(reasons) {}

  LogicalResult matchAndRewrite(frontend::NodeOp node,
                                PatternRewriter &rewriter) const override {
    if (!node.getOpType().starts_with(kOnnxPrefix))
      return failure();
    OnnxBinder binder(node, getOpset(node), reasons);
    const OnnxHandler *handler =
        getOnnxHandlerTable().lookup(binder.getOpName(), binder.getOpset());
    if (!handler)
      return rewriter.notifyMatchFailure(node, "no handler");
    rewriter.setInsertionPoint(node);
    if (failed((*handler)(binder, rewriter)))
      return failure();
    if (reasons)
      reasons->erase(node.getOperation());
    return success();
  }

  OnnxFailureReasons *reasons;
};

struct ConvertOnnxToTosaPass
    : tinyq::impl::TinyQConvertOnnxToTosaBase<ConvertOnnxToTosaPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto format = func->getAttrOfType<StringAttr>(frontend::kFormatAttrName);
    if (!format || format.getValue() != "onnx")
      return;
    OnnxFailureReasons reasons;
    RewritePatternSet patterns(&getContext());
    populateOnnxToTosaPatterns(patterns, &reasons);
    // Not converging only means some node stayed; that is reported below.
    (void)applyPatternsGreedily(func, std::move(patterns));

    int64_t opset = getOpset(func);
    bool anyLeft = false;
    func.walk([&](frontend::NodeOp node) {
      anyLeft = true;
      std::string nodeName = "<unnamed>";
      if (auto nameLoc = dyn_cast<NameLoc>(node.getLoc()))
        nodeName = nameLoc.getName().str();
      StringRef opName = node.getOpType();
      opName.consume_front(kOnnxPrefix);
      auto it = reasons.find(node.getOperation());
      if (!getOnnxHandlerTable().lookup(opName, opset))
        node.emitError() << "unsupported ONNX operator '" << opName
                         << "' (opset " << opset << ") in node '" << nodeName
                         << "'";
      else
        node.emitError() << "cannot convert ONNX operator '" << opName
                         << "' (opset " << opset << ") in node '" << nodeName
                         << "': "
                         << (it != reasons.end() ? it->second
                                                 : "an input is not supported");
      // One error per model: later nodes often fail because of this one.
      return WalkResult::interrupt();
    });
    if (anyLeft)
      signalPassFailure();
  }
};
} // namespace

void tinyq::populateOnnxToTosaPatterns(RewritePatternSet &patterns,
                                       OnnxFailureReasons *reasons) {
  patterns.add<OnnxNodePattern>(patterns.getContext(), reasons);
}
