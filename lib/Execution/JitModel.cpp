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

/// Reads the float32 signature of \p types, naming each from \p attrs.
static llvm::Error getSignature(TypeRange types, ArrayAttr attrs,
                                StringRef what,
                                std::vector<TensorSignature> &signature) {
  for (auto [index, type] : llvm::enumerate(types)) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape() ||
        !tensor.getElementType().isF32())
      return llvm::createStringError(
          "%s #%zu must be a statically shaped float32 tensor", what.data(),
          index);
    TensorSignature sig;
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

llvm::Expected<std::unique_ptr<JitModel>>
JitModel::compile(ModuleOp module, StringRef entry) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return llvm::createStringError("no function '%s' in the module",
                                   entry.str().c_str());
  std::unique_ptr<JitModel> model(new JitModel());
  model->entry = entry.str();
  if (llvm::Error error =
          getSignature(func.getArgumentTypes(), func.getArgAttrsAttr(),
                       "input", model->inputs))
    return std::move(error);
  if (llvm::Error error =
          getSignature(func.getResultTypes(), func.getResAttrsAttr(),
                       "output", model->outputs))
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

llvm::Error JitModel::run(ArrayRef<const float *> inputData,
                          ArrayRef<float *> outputData) {
  if (inputData.size() != inputs.size() || outputData.size() != outputs.size())
    return llvm::createStringError("expected %zu inputs and %zu outputs",
                                   inputs.size(), outputs.size());
  // Bare-pointer convention: one pointer per tensor, inputs then outputs.
  SmallVector<void *> pointers;
  for (const float *data : inputData)
    pointers.push_back(const_cast<float *>(data));
  for (float *data : outputData)
    pointers.push_back(data);
  SmallVector<void *> args;
  for (void *&pointer : pointers)
    args.push_back(&pointer);
  return engine->invokePacked(entry, args);
}
