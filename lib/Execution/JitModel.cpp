//===- JitModel.cpp - Run a float TOSA model with the MLIR JIT ------------===//

#include "tinyq/Execution/JitModel.h"
#include "tinyq/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/Support/TargetSelect.h"

using namespace mlir;
using namespace tinyq;

int64_t TensorSignature::getNumElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

JitModel::~JitModel() = default;

/// The element kind of \p type, if the runner can pass it.
static std::optional<ElementKind> getElementKind(Type type) {
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

llvm::Expected<std::unique_ptr<JitModel>> JitModel::compile(ModuleOp module,
                                                            StringRef entry) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return llvm::createStringError("no function '%s' in the module",
                                   entry.str().c_str());
  std::unique_ptr<JitModel> model(new JitModel());
  model->entry = entry.str();
  if (llvm::Error error =
          getSignature(func.getArgumentTypes(), func.getArgAttrsAttr(), "input",
                       model->inputs))
    return std::move(error);
  if (llvm::Error error =
          getSignature(func.getResultTypes(), func.getResAttrsAttr(), "output",
                       model->outputs))
    return std::move(error);

  // Names are recorded above; LLVM IR has no place for these attributes.
  func.removeArgAttrsAttr();
  func.removeResAttrsAttr();
  for (NamedAttribute attr : llvm::to_vector(func->getDiscardableAttrs()))
    if (attr.getName().strref().starts_with("tinyq_frontend."))
      func->removeDiscardableAttr(attr.getName());

  MLIRContext *context = module.getContext();
  std::string diagnostics;
  {
    // Collect diagnostics so that they travel inside the returned error.
    ScopedDiagnosticHandler handler(context, [&](Diagnostic &diag) {
      llvm::raw_string_ostream os(diagnostics);
      os << diag.getLocation() << ": " << diag << "\n";
      return success();
    });
    PassManager pm(context);
    buildTosaToLLVMPipeline(pm);
    if (failed(pm.run(module)))
      return llvm::createStringError("lowering to LLVM failed:\n%s",
                                     diagnostics.c_str());
  }

  static bool targetInitialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)targetInitialized;
  registerBuiltinDialectTranslation(*context);
  registerLLVMDialectTranslation(*context);

  ExecutionEngineOptions options;
  auto transformer = makeOptimizingTransformer(
      /*optLevel=*/3, /*sizeLevel=*/0, /*targetMachine=*/nullptr);
  options.transformer = transformer;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = ExecutionEngine::create(module, options);
  if (!engine)
    return engine.takeError();
  model->engine = std::move(*engine);
  return model;
}

llvm::Error JitModel::run(ArrayRef<const void *> inputData,
                          ArrayRef<void *> outputData) {
  if (inputData.size() != inputs.size() || outputData.size() != outputs.size())
    return llvm::createStringError("expected %zu inputs and %zu outputs",
                                   inputs.size(), outputs.size());
  // Bare-pointer convention: one pointer per tensor, inputs then outputs.
  SmallVector<void *> pointers;
  for (const void *data : inputData)
    pointers.push_back(const_cast<void *>(data));
  for (void *data : outputData)
    pointers.push_back(data);
  SmallVector<void *> args;
  for (void *&pointer : pointers)
    args.push_back(&pointer);
  return engine->invokePacked(entry, args);
}
