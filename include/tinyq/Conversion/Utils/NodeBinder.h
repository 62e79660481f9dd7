//===- NodeBinder.h - Reading imported nodes in conversions ----*- C++ -*-===//
//
// Conversion handlers read a tinyq_frontend.node through a NodeBinder, check
// every precondition before creating any op, and report what they cannot
// handle through NodeBinder::fail. Handlers are registered per operator and
// first version in a HandlerTable.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_CONVERSION_UTILS_NODEBINDER_H
#define TINYQ_CONVERSION_UTILS_NODEBINDER_H

#include "tinyq/Dialect/TinyQFrontend/IR/TinyQFrontend.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tinyq {

/// Why a node could not be converted, by node.
using FailureReasons = llvm::DenseMap<mlir::Operation *, std::string>;

/// Read access to one imported model node: its inputs, results and the
/// attributes carrying the frontend prefix ("onnx.", "tflite.").
class NodeBinder {
public:
  NodeBinder(frontend::NodeOp node, llvm::StringRef prefix, int64_t version,
             FailureReasons *reasons)
      : node(node), prefix(prefix), opset(version), reasons(reasons) {}

  frontend::NodeOp getNode() const { return node; }
  mlir::Location getLoc() const { return node.getLoc(); }
  /// The ONNX opset, or the TFLite operator version.
  int64_t getOpset() const { return opset; }
  /// The operator name without the prefix.
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
  std::string prefix;
  int64_t opset;
  FailureReasons *reasons;
};

using NodeHandler =
    std::function<mlir::LogicalResult(NodeBinder &, mlir::PatternRewriter &)>;

/// Handlers by operator name, each valid from a version (opset) on.
class NodeHandlerTable {
public:
  void add(llvm::StringRef opName, int64_t sinceVersion, NodeHandler handler);
  /// The handler with the largest sinceVersion <= opset, or null.
  const NodeHandler *lookup(llvm::StringRef opName, int64_t opset) const;
  /// Every (operator, sinceVersion), sorted.
  std::vector<std::pair<std::string, int64_t>> list() const;

private:
  llvm::StringMap<llvm::SmallVector<std::pair<int64_t, NodeHandler>, 2>>
      handlers;
};

/// node "<prefix>X" -> the TOSA ops of X's handler in a table, for the
/// version a format gives (ONNX: the function's opset; TFLite: the node's
/// operator version). Records why a node fails in \p reasons.
class NodeHandlerPattern : public mlir::OpRewritePattern<frontend::NodeOp> {
public:
  using VersionFn = std::function<int64_t(frontend::NodeOp)>;

  NodeHandlerPattern(mlir::MLIRContext *context, llvm::StringRef prefix,
                     const NodeHandlerTable &table, VersionFn getVersion,
                     FailureReasons *reasons, mlir::PatternBenefit benefit = 1)
      : OpRewritePattern(context, benefit), prefix(prefix.str()), table(table),
        getVersion(std::move(getVersion)), reasons(reasons) {}

  mlir::LogicalResult
  matchAndRewrite(frontend::NodeOp node,
                  mlir::PatternRewriter &rewriter) const override;

private:
  std::string prefix;
  const NodeHandlerTable &table;
  VersionFn getVersion;
  FailureReasons *reasons;
};

/// How a model format names operators and nodes in errors.
struct NodeFormat {
  /// "ONNX", "TFLite".
  llvm::StringRef name;
  /// "onnx.", "tflite.".
  llvm::StringRef prefix;
  /// "opset", "version".
  llvm::StringRef versionWord;
  /// "in node", "writing tensor": what names the node's location.
  llvm::StringRef placeWord;
};

/// Emits one error for the first node of \p root left unconverted: an
/// unsupported operator (no handler for its version), or why its handler
/// failed. One error per model: later nodes often fail because of this one.
/// Fails if any node is left.
mlir::LogicalResult
reportUnconvertedNode(mlir::Operation *root, const NodeFormat &format,
                      const NodeHandlerTable &table,
                      const NodeHandlerPattern::VersionFn &getVersion,
                      const FailureReasons &reasons);

} // namespace tinyq

#endif // TINYQ_CONVERSION_UTILS_NODEBINDER_H
