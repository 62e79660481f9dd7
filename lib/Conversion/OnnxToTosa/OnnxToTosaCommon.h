//===- OnnxToTosaCommon.h - Shared pieces of the ONNX handlers --*- C++ -*-===//
//
// Handlers convert one ONNX operator from a given opset on. Each reads its
// node through an OnnxBinder, checks every precondition before creating any
// op, and reports what it cannot handle through OnnxBinder::fail.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_LIB_CONVERSION_ONNXTOTOSA_ONNXTOTOSACOMMON_H
#define TINYQ_LIB_CONVERSION_ONNXTOTOSA_ONNXTOTOSACOMMON_H

#include "tinyq/Conversion/OnnxToTosa/OnnxToTosa.h"
#include "tinyq/Conversion/Utils/TosaBuilders.h"
#include "tinyq/Dialect/TinyQFrontend/IR/TinyQFrontend.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/StringMap.h"

#include <functional>
#include <optional>

namespace tinyq::onnx_to_tosa {

using tinyq::SpatialWindow;

/// Read access to one imported ONNX node.
class OnnxBinder {
public:
  OnnxBinder(frontend::NodeOp node, int64_t opset, OnnxFailureReasons *reasons)
      : node(node), opset(opset), reasons(reasons) {}

  frontend::NodeOp getNode() const { return node; }
  mlir::Location getLoc() const { return node.getLoc(); }
  int64_t getOpset() const { return opset; }
  /// The operator name without the "onnx." prefix.
  llvm::StringRef getOpName() const;

  unsigned getNumInputs() const { return node.getInputs().size(); }
  /// Input \p index, or null when absent or a tinyq_frontend.none.
  mlir::Value getInput(unsigned index) const;
  /// The ranked type of input \p index, or null.
  mlir::RankedTensorType getInputType(unsigned index) const;
  /// The constant value of input \p index (arith.constant or tosa.const).
  std::optional<mlir::DenseElementsAttr> getConstantInput(unsigned index) const;
  /// Constant integer input \p index as int64 values.
  std::optional<llvm::SmallVector<int64_t>> getIntsInput(unsigned index) const;
  /// The type of result \p index when it is a statically shaped tensor.
  mlir::RankedTensorType getStaticResultType(unsigned index = 0) const;
  /// Whether result \p index has uses.
  bool isResultUsed(unsigned index) const;

  bool hasAttr(llvm::StringRef name) const;
  int64_t getInt(llvm::StringRef name, int64_t defaultValue) const;
  float getFloat(llvm::StringRef name, float defaultValue) const;
  llvm::StringRef getString(llvm::StringRef name,
                            llvm::StringRef defaultValue) const;
  std::optional<llvm::SmallVector<int64_t>> getInts(llvm::StringRef name) const;
  std::optional<mlir::DenseElementsAttr> getTensor(llvm::StringRef name) const;

  /// Records why the node cannot be converted and fails the match.
  mlir::LogicalResult fail(mlir::PatternRewriter &rewriter,
                           const llvm::Twine &reason) const;

private:
  mlir::Attribute getAttr(llvm::StringRef name) const;

  mutable frontend::NodeOp node;
  int64_t opset;
  OnnxFailureReasons *reasons;
};

using OnnxHandler =
    std::function<mlir::LogicalResult(OnnxBinder &, mlir::PatternRewriter &)>;

/// Handlers by operator name, each valid from an opset on.
class OnnxHandlerTable {
public:
  void add(llvm::StringRef opName, int64_t sinceVersion, OnnxHandler handler);
  /// The handler with the largest sinceVersion <= opset, or null.
  const OnnxHandler *lookup(llvm::StringRef opName, int64_t opset) const;
  /// Every (operator, sinceVersion), sorted.
  std::vector<std::pair<std::string, int64_t>> list() const;

private:
  llvm::StringMap<llvm::SmallVector<std::pair<int64_t, OnnxHandler>, 2>>
      handlers;
};

/// The table with every family's handlers, built once.
const OnnxHandlerTable &getOnnxHandlerTable();

void populateElementwiseHandlers(OnnxHandlerTable &table);
void populateLinearHandlers(OnnxHandlerTable &table);
void populatePoolingHandlers(OnnxHandlerTable &table);
void populateShapeHandlers(OnnxHandlerTable &table);
void populateNormalizationHandlers(OnnxHandlerTable &table);

/// Reads strides, dilations, pads and auto_pad of a Conv or pooling node for
/// an input of spatial size \p inputHW and a \p kernel; with \p ceilMode,
/// output sizes round up (the extra end padding is never counted).
mlir::FailureOr<SpatialWindow> getSpatialWindow(OnnxBinder &binder,
                                                mlir::PatternRewriter &rewriter,
                                                llvm::ArrayRef<int64_t> inputHW,
                                                llvm::ArrayRef<int64_t> kernel,
                                                bool ceilMode = false);

} // namespace tinyq::onnx_to_tosa

#endif // TINYQ_LIB_CONVERSION_ONNXTOTOSA_ONNXTOTOSACOMMON_H
