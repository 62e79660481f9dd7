//===- NodeBinder.cpp - Reading imported nodes in conversions -------------===//

#include "tinyq/Conversion/Utils/NodeBinder.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace tinyq;

//===----------------------------------------------------------------------===//
// NodeBinder
//===----------------------------------------------------------------------===//

StringRef NodeBinder::getOpName() const {
  StringRef name = node.getOpType();
  name.consume_front(prefix);
  return name;
}

Value NodeBinder::getInput(unsigned index) const {
  if (index >= getNumInputs())
    return nullptr;
  Value value = node.getInputs()[index];
  if (isa<NoneType>(value.getType()))
    return nullptr;
  return value;
}

RankedTensorType NodeBinder::getInputType(unsigned index) const {
  Value value = getInput(index);
  return value ? dyn_cast<RankedTensorType>(value.getType()) : nullptr;
}

std::optional<DenseElementsAttr>
NodeBinder::getConstantInput(unsigned index) const {
  Value value = getInput(index);
  DenseElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  return attr;
}

std::optional<SmallVector<int64_t>>
NodeBinder::getIntsInput(unsigned index) const {
  std::optional<DenseElementsAttr> attr = getConstantInput(index);
  if (!attr || !isa<IntegerType>(attr->getElementType()))
    return std::nullopt;
  SmallVector<int64_t> values;
  for (const APInt &value : attr->getValues<APInt>())
    values.push_back(value.getSExtValue());
  return values;
}

RankedTensorType NodeBinder::getStaticResultType(unsigned index) const {
  if (index >= node.getOutputs().size())
    return nullptr;
  auto type = dyn_cast<RankedTensorType>(node.getOutputs()[index].getType());
  return type && type.hasStaticShape() ? type : nullptr;
}

bool NodeBinder::isResultUsed(unsigned index) const {
  return index < node.getOutputs().size() &&
         !node.getOutputs()[index].use_empty();
}

Attribute NodeBinder::getAttr(StringRef name) const {
  return node->getAttr(prefix + name.str());
}

bool NodeBinder::hasAttr(StringRef name) const {
  return static_cast<bool>(getAttr(name));
}

int64_t NodeBinder::getInt(StringRef name, int64_t defaultValue) const {
  auto attr = dyn_cast_if_present<IntegerAttr>(getAttr(name));
  return attr ? attr.getInt() : defaultValue;
}

float NodeBinder::getFloat(StringRef name, float defaultValue) const {
  auto attr = dyn_cast_if_present<FloatAttr>(getAttr(name));
  return attr ? float(attr.getValueAsDouble()) : defaultValue;
}

StringRef NodeBinder::getString(StringRef name, StringRef defaultValue) const {
  auto attr = dyn_cast_if_present<StringAttr>(getAttr(name));
  return attr ? attr.getValue() : defaultValue;
}

std::optional<SmallVector<int64_t>> NodeBinder::getInts(StringRef name) const {
  auto attr = dyn_cast_if_present<DenseI64ArrayAttr>(getAttr(name));
  if (!attr)
    return std::nullopt;
  return SmallVector<int64_t>(attr.asArrayRef());
}

std::optional<DenseElementsAttr> NodeBinder::getTensor(StringRef name) const {
  auto attr = dyn_cast_if_present<DenseElementsAttr>(getAttr(name));
  if (!attr)
    return std::nullopt;
  return attr;
}

LogicalResult NodeBinder::fail(PatternRewriter &rewriter,
                               const Twine &reason) const {
  if (reasons)
    (*reasons)[node.getOperation()] = reason.str();
  return rewriter.notifyMatchFailure(node, reason);
}

//===----------------------------------------------------------------------===//
// HandlerTable
//===----------------------------------------------------------------------===//

void NodeHandlerTable::add(StringRef opName, int64_t sinceVersion,
                           NodeHandler handler) {
  handlers[opName].push_back({sinceVersion, std::move(handler)});
}

const NodeHandler *NodeHandlerTable::lookup(StringRef opName,
                                            int64_t opset) const {
  auto it = handlers.find(opName);
  if (it == handlers.end())
    return nullptr;
  const NodeHandler *best = nullptr;
  int64_t bestVersion = -1;
  for (const auto &[since, handler] : it->second)
    if (since <= opset && since > bestVersion) {
      best = &handler;
      bestVersion = since;
    }
  return best;
}

std::vector<std::pair<std::string, int64_t>> NodeHandlerTable::list() const {
  std::vector<std::pair<std::string, int64_t>> result;
  for (const auto &entry : handlers)
    for (const auto &[since, handler] : entry.second)
      result.push_back({entry.getKey().str(), since});
  llvm::sort(result);
  return result;
}

LogicalResult
NodeHandlerPattern::matchAndRewrite(frontend::NodeOp node,
                                    PatternRewriter &rewriter) const {
  if (!node.getOpType().starts_with(prefix))
    return failure();
  NodeBinder binder(node, prefix, getVersion(node), reasons);
  const NodeHandler *handler =
      table.lookup(binder.getOpName(), binder.getOpset());
  if (!handler)
    return rewriter.notifyMatchFailure(node, "no handler");
  rewriter.setInsertionPoint(node);
  if (failed((*handler)(binder, rewriter)))
    return failure();
  if (reasons)
    reasons->erase(node.getOperation());
  return success();
}

LogicalResult
tinyq::reportUnconvertedNode(Operation *root, const NodeFormat &format,
                             const NodeHandlerTable &table,
                             const NodeHandlerPattern::VersionFn &getVersion,
                             const FailureReasons &reasons) {
  WalkResult result = root->walk([&](frontend::NodeOp node) {
    std::string place = "<unnamed>";
    if (auto nameLoc = dyn_cast<NameLoc>(node.getLoc()))
      place = nameLoc.getName().str();
    StringRef opName = node.getOpType();
    opName.consume_front(format.prefix);
    int64_t version = getVersion(node);
    InFlightDiagnostic diag = node.emitError();
    diag << (table.lookup(opName, version) ? "cannot convert " : "unsupported ")
         << format.name << " operator '" << opName << "' ("
         << format.versionWord << " " << version << ") " << format.placeWord
         << " '" << place << "'";
    if (table.lookup(opName, version)) {
      auto reason = reasons.find(node.getOperation());
      diag << ": "
           << (reason != reasons.end()
                   ? StringRef(reason->second)
                   : StringRef("an input is not supported"));
    }
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}
