//===- Model.cpp - A model that runs on the host --------------------------===//

#include "tinyq/Execution/Model.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace tinyq;

Model::~Model() = default;

int64_t TensorSignature::getNumElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

/// The element kind of \p type, if the runner can pass it.
static std::optional<ElementKind> getElementKind(Type type) {
  // A quantized tensor passes its integer storage.
  if (auto quantized = dyn_cast<quant::QuantizedType>(type))
    return getElementKind(IntegerType::get(
        type.getContext(), quantized.getStorageTypeIntegralWidth(),
        quantized.isSigned() ? IntegerType::Signed : IntegerType::Unsigned));
  if (type.isF16())
    return ElementKind::Float16;
  if (type.isF32())
    return ElementKind::Float32;
  if (type.isF64())
    return ElementKind::Float64;
  auto integer = dyn_cast<IntegerType>(type);
  if (!integer)
    return std::nullopt;
  bool isUnsigned = integer.isUnsigned();
  switch (integer.getWidth()) {
  case 1:
    return ElementKind::Bool;
  case 8:
    return isUnsigned ? ElementKind::UInt8 : ElementKind::Int8;
  case 16:
    return isUnsigned ? ElementKind::UInt16 : ElementKind::Int16;
  case 32:
    return isUnsigned ? ElementKind::UInt32 : ElementKind::Int32;
  case 64:
    return isUnsigned ? ElementKind::UInt64 : ElementKind::Int64;
  default:
    return std::nullopt;
  }
}

/// Reads the signature of \p types, naming each from \p attrs.
static llvm::Error getSignature(TypeRange types, ArrayAttr attrs,
                                StringRef what,
                                std::vector<TensorSignature> &signature) {
  for (auto [index, type] : llvm::enumerate(types)) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    std::optional<ElementKind> kind =
        tensor ? getElementKind(tensor.getElementType()) : std::nullopt;
    if (!tensor || !tensor.hasStaticShape() || !kind)
      return llvm::createStringError(
          "%s #%zu must be a statically shaped tensor of floats, integers or "
          "booleans",
          what.data(), index);
    TensorSignature sig;
    sig.kind = *kind;
    sig.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    if (attrs && index < attrs.size())
      if (auto dict = dyn_cast<DictionaryAttr>(attrs[index]))
        if (auto name = dict.getAs<StringAttr>("tinyq_frontend.name"))
          sig.name = name.str();
    if (sig.name.empty())
      sig.name = (what + "_" + llvm::Twine(index)).str();
    signature.push_back(std::move(sig));
  }
  return llvm::Error::success();
}

llvm::Error tinyq::readSignature(func::FuncOp func,
                                 std::vector<TensorSignature> &inputs,
                                 std::vector<TensorSignature> &outputs) {
  if (llvm::Error error = getSignature(func.getArgumentTypes(),
                                       func.getArgAttrsAttr(), "input", inputs))
    return error;
  return getSignature(func.getResultTypes(), func.getResAttrsAttr(), "output",
                      outputs);
}

llvm::Error tinyq::collectDiagnostics(MLIRContext *context, StringRef message,
                                      function_ref<LogicalResult()> action) {
  std::string diagnostics;
  ScopedDiagnosticHandler handler(context, [&](Diagnostic &diag) {
    llvm::raw_string_ostream os(diagnostics);
    os << diag.getLocation() << ": " << diag << "\n";
    return success();
  });
  if (succeeded(action()))
    return llvm::Error::success();
  return llvm::createStringError(message + diagnostics);
}
