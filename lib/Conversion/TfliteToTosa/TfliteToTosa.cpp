//===- TfliteToTosa.cpp - TFLite operator semantics in TOSA ---------------===//
//
// The pattern dispatching tinyq_frontend.node "tflite.*" to the handler of
// its operator and version, the pass around it, and helpers for fused
// activations and SAME/VALID padding.
//
//===----------------------------------------------------------------------===//

#include "TfliteToTosaCommon.h"
#include "tinyq/Conversion/Passes.h"
#include "tinyq/Dialect/TinyQ/Utils/Indexing.h"

#include "tinyq/Numerics/QuantParams.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Matchers.h"
#include "tinyq/Dialect/TinyQ/Utils/QuantRewrites.h"

#include <limits>

namespace tinyq {
#define GEN_PASS_DEF_TINYQCONVERTTFLITETOTOSA
#include "tinyq/Conversion/Passes.h.inc"
} // namespace tinyq

using namespace mlir;
using namespace tinyq;
using namespace tinyq::tflite_to_tosa;

static constexpr StringLiteral kTflitePrefix = "tflite.";

/// The operator version a node records (1 when absent).
static int64_t getTfliteVersion(frontend::NodeOp node) {
  auto version = node->getAttrOfType<IntegerAttr>("tflite.version");
  return version ? version.getInt() : 1;
}

RankedTensorType tinyq::tflite_to_tosa::getFloatInputType(NodeBinder &binder,
                                                          unsigned index) {
  RankedTensorType type = binder.getInputType(index);
  return type && type.hasStaticShape() && type.getElementType().isF32()
             ? type
             : nullptr;
}

RankedTensorType tinyq::tflite_to_tosa::getFloatResultType(NodeBinder &binder) {
  RankedTensorType type = binder.getStaticResultType();
  return type && type.getElementType().isF32() ? type : nullptr;
}

Value tinyq::tflite_to_tosa::getFloatWeights(NodeBinder &binder,
                                             PatternRewriter &rewriter,
                                             unsigned index) {
  if (getFloatInputType(binder, index))
    return binder.getInput(index);
  Value input = binder.getInput(index);
  auto type = binder.getInputType(index);
  auto cast = input ? input.getDefiningOp<quant::StorageCastOp>() : nullptr;
  DenseIntElementsAttr storage;
  if (!type || !type.hasStaticShape() || !cast ||
      !matchPattern(cast.getInput(), m_Constant(&storage)))
    return nullptr;
  Type element = type.getElementType();
  SmallVector<float> scales;
  SmallVector<int64_t> zeroPoints;
  std::optional<int64_t> axis;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(element)) {
    scales.push_back(float(perTensor.getScale()));
    zeroPoints.push_back(perTensor.getZeroPoint());
  } else if (auto perAxis =
                 dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
    for (double scale : perAxis.getScales())
      scales.push_back(float(scale));
    zeroPoints.assign(perAxis.getZeroPoints().begin(),
                      perAxis.getZeroPoints().end());
    axis = perAxis.getQuantizedDimension();
  } else {
    return nullptr;
  }
  AxisIndexer channelOf(type.getShape(), axis);
  SmallVector<float> values;
  values.reserve(type.getNumElements());
  for (auto [i, q] : llvm::enumerate(storage.getValues<APInt>())) {
    int64_t channel = channelOf(i);
    values.push_back(
        numerics::dequantize(int32_t(q.getSExtValue()),
                             {scales[channel], int32_t(zeroPoints[channel])}));
  }
  auto floatType = type.clone(rewriter.getF32Type());
  return createConst(rewriter, binder.getLoc(),
                     DenseElementsAttr::get(floatType, ArrayRef(values)));
}

FailureOr<Value> tinyq::tflite_to_tosa::applyFusedActivation(
    NodeBinder &binder, PatternRewriter &rewriter, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  Location loc = binder.getLoc();
  float inf = std::numeric_limits<float>::infinity();
  StringRef activation = binder.getString("fused_activation_function", "NONE");
  if (activation == "NONE")
    return value;
  if (activation == "RELU")
    return createClamp(rewriter, loc, type, value, 0.0f, inf);
  if (activation == "RELU6")
    return createClamp(rewriter, loc, type, value, 0.0f, 6.0f);
  if (activation == "RELU_N1_TO_1")
    return createClamp(rewriter, loc, type, value, -1.0f, 1.0f);
  if (activation == "TANH")
    return Value(tosa::TanhOp::create(rewriter, loc, type, value));
  return binder.fail(rewriter,
                     "unsupported fused activation '" + activation + "'");
}

FailureOr<SpatialWindow> tinyq::tflite_to_tosa::getTfliteWindow(
    NodeBinder &binder, PatternRewriter &rewriter, ArrayRef<int64_t> inputHW,
    ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
    ArrayRef<int64_t> dilations) {
  if (llvm::any_of(strides, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(dilations, [](int64_t d) { return d < 1; }))
    return binder.fail(rewriter, "strides and dilations must be >= 1");
  // TFLite's SAME puts the odd padding row or column at the end.
  SmallVector<int64_t, 4> pads(4, 0);
  if (binder.getString("padding", "SAME") == "SAME")
    pads = computeSamePads(inputHW, kernel, strides, dilations,
                           /*extraAtEnd=*/true);
  std::string error;
  std::optional<SpatialWindow> window = computeSpatialWindow(
      inputHW, kernel, strides, dilations, pads, /*ceilMode=*/false, error);
  if (!window)
    return binder.fail(rewriter, error);
  return *window;
}

const NodeHandlerTable &tinyq::tflite_to_tosa::getTfliteHandlerTable() {
  static const NodeHandlerTable table = [] {
    NodeHandlerTable t;
    populateLinearHandlers(t);
    populatePoolingHandlers(t);
    populateElementwiseHandlers(t);
    populateShapeHandlers(t);
    return t;
  }();
  return table;
}

std::vector<std::string> tinyq::getSupportedTfliteOperators() {
  std::vector<std::string> names;
  for (const auto &[name, since] :
       tflite_to_tosa::getTfliteHandlerTable().list())
    names.push_back(name);
  return names;
}

namespace {
/// Operators whose quantized form is the float operator between
/// dequantized inputs and a quantized result (Q/DQ form); tinyq-fuse-qdq
/// turns them into integer kernels.
bool hasQuantizedForm(StringRef opName) {
  return llvm::is_contained({"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED",
                             "AVERAGE_POOL_2D", "MAX_POOL_2D", "ADD", "RESHAPE",
                             "SQUEEZE", "SOFTMAX"},
                            opName);
}

bool isQuantizedTensor(Type type) {
  return isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(
      getElementTypeOrSelf(type));
}

// A node on quantized activations -> the same node on dequantized operands
// (quant.dcast), with a float result quantized again (quant.qcast): the
// Q/DQ form the node's float handler then converts.
struct TfliteQuantizedNodePattern : OpRewritePattern<frontend::NodeOp> {
  TfliteQuantizedNodePattern(MLIRContext *context)
      : OpRewritePattern(context, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(frontend::NodeOp node,
                                PatternRewriter &rewriter) const override {
    StringRef opName = node.getOpType();
    if (!opName.consume_front(kTflitePrefix) || !hasQuantizedForm(opName) ||
        node->getNumResults() != 1 ||
        !isQuantizedTensor(node->getResult(0).getType()))
      return failure();
    auto resultType = dyn_cast<RankedTensorType>(node->getResult(0).getType());
    if (!resultType)
      return failure();
    Location loc = node.getLoc();
    SmallVector<Value> operands;
    for (Value operand : node->getOperands()) {
      auto type = dyn_cast<RankedTensorType>(operand.getType());
      if (type && isQuantizedTensor(type))
        operand = quant::DequantizeCastOp::create(
            rewriter, loc, type.clone(rewriter.getF32Type()), operand);
      operands.push_back(operand);
    }
    OperationState state(loc, node->getName());
    state.addOperands(operands);
    state.addTypes(resultType.clone(rewriter.getF32Type()));
    state.addAttributes(node->getAttrs());
    Operation *floatNode = rewriter.create(state);
    rewriter.replaceOpWithNewOp<quant::QuantizeCastOp>(node, resultType,
                                                       floatNode->getResult(0));
    return success();
  }
};

struct ConvertTfliteToTosaPass
    : tinyq::impl::TinyQConvertTfliteToTosaBase<ConvertTfliteToTosaPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto format = func->getAttrOfType<StringAttr>(frontend::kFormatAttrName);
    if (!format || format.getValue() != "tflite")
      return;
    FailureReasons reasons;
    RewritePatternSet patterns(&getContext());
    populateTfliteToTosaPatterns(patterns, &reasons);
    // Handlers fold the constants they need themselves. Not converging only
    // means some node stayed; that is reported below.
    (void)applyPatternsWithoutFolding(func, std::move(patterns));

    NodeFormat tflite{"TFLite", kTflitePrefix, "version", "writing tensor"};
    if (failed(reportUnconvertedNode(func, tflite, getTfliteHandlerTable(),
                                     getTfliteVersion, reasons)))
      signalPassFailure();
  }
};
} // namespace

void tinyq::populateTfliteToTosaPatterns(RewritePatternSet &patterns,
                                         FailureReasons *reasons) {
  patterns.add<NodeHandlerPattern>(patterns.getContext(), kTflitePrefix,
                                   getTfliteHandlerTable(), getTfliteVersion,
                                   reasons);
  patterns.add<TfliteQuantizedNodePattern>(patterns.getContext());
}
