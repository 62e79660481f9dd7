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
#include "tinyq/Dialect/TinyQ/Utils/QuantRewrites.h"

namespace tinyq {
#define GEN_PASS_DEF_TINYQCONVERTONNXTOTOSA
#include "tinyq/Conversion/Passes.h.inc"
} // namespace tinyq

using namespace mlir;
using namespace tinyq;
using namespace tinyq::onnx_to_tosa;

static constexpr StringLiteral kOnnxPrefix = "onnx.";

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
    populateQuantizationHandlers(t);
    return t;
  }();
  return table;
}

bool tinyq::isOnnxOperatorSupported(StringRef opType, int64_t opset) {
  if (!opType.consume_front(kOnnxPrefix))
    return false;
  return getOnnxHandlerTable().lookup(opType, opset) != nullptr;
}

FailureOr<SpatialWindow> tinyq::onnx_to_tosa::getSpatialWindow(
    OnnxBinder &binder, PatternRewriter &rewriter, ArrayRef<int64_t> inputHW,
    ArrayRef<int64_t> kernel, bool ceilMode) {
  SmallVector<int64_t> strides =
      binder.getInts("strides").value_or(SmallVector<int64_t>{1, 1});
  SmallVector<int64_t> dilations =
      binder.getInts("dilations").value_or(SmallVector<int64_t>{1, 1});
  if (strides.size() != 2 || dilations.size() != 2)
    return binder.fail(rewriter, "strides and dilations need two values");
  if (std::optional<SmallVector<int64_t>> shape =
          binder.getInts("kernel_shape"))
    if (ArrayRef<int64_t>(*shape) != kernel)
      return binder.fail(rewriter,
                         "kernel_shape does not match the weight shape");
  SmallVector<int64_t> pads(4, 0);
  StringRef autoPad = binder.getString("auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    if (std::optional<SmallVector<int64_t>> attr = binder.getInts("pads")) {
      if (attr->size() != 4)
        return binder.fail(rewriter, "pads need four values");
      pads = *attr;
    }
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    if (llvm::any_of(strides, [](int64_t s) { return s < 1; }))
      return binder.fail(rewriter, "strides must be >= 1");
    pads = llvm::to_vector(computeSamePads(inputHW, kernel, strides, dilations,
                                           autoPad == "SAME_UPPER"));
  } else if (autoPad != "VALID") {
    return binder.fail(rewriter, "unknown auto_pad '" + autoPad + "'");
  }
  std::string error;
  std::optional<SpatialWindow> window = computeSpatialWindow(
      inputHW, kernel, strides, dilations, pads, ceilMode, error);
  if (!window)
    return binder.fail(rewriter, error);
  return *window;
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
struct ConvertOnnxToTosaPass
    : tinyq::impl::TinyQConvertOnnxToTosaBase<ConvertOnnxToTosaPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto format = func->getAttrOfType<StringAttr>(frontend::kFormatAttrName);
    if (!format || format.getValue() != "onnx")
      return;
    FailureReasons reasons;
    RewritePatternSet patterns(&getContext());
    populateOnnxToTosaPatterns(patterns, &reasons);
    // Handlers fold the constants they need themselves. Not converging only
    // means some node stayed; that is reported below.
    (void)applyPatternsWithoutFolding(func, std::move(patterns));

    NodeFormat onnx{"ONNX", kOnnxPrefix, "opset", "in node"};
    if (failed(reportUnconvertedNode(
            func, onnx, getOnnxHandlerTable(),
            [](frontend::NodeOp node) { return getOpset(node); }, reasons)))
      signalPassFailure();
  }
};
} // namespace

void tinyq::populateOnnxToTosaPatterns(RewritePatternSet &patterns,
                                       FailureReasons *reasons) {
  patterns.add<NodeHandlerPattern>(
      patterns.getContext(), kOnnxPrefix, getOnnxHandlerTable(),
      [](frontend::NodeOp node) { return getOpset(node); }, reasons);
}
