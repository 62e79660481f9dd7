//===- JitModel.cpp - Run a float TOSA model with the MLIR JIT ------------===//

#include "tinyq/Execution/JitModel.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.h"
#include "tinyq/Dialect/X86/X86ToLLVMIRTranslation.h"
#include "tinyq/Pipelines/Pipelines.h"
#include "tinyq/Target/Target.h"

#include "mlir/Dialect/DLTI/DLTI.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/Support/TargetSelect.h"

using namespace mlir;
using namespace tinyq;

JitModel::~JitModel() = default;

llvm::Expected<std::unique_ptr<JitModel>>
JitModel::compile(ModuleOp module, StringRef entry,
                  const TosaToLLVMOptions &lowering) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func)
    return llvm::createStringError("no function '%s' in the module",
                                   entry.str().c_str());
  std::unique_ptr<JitModel> model(new JitModel());
  model->entry = entry.str();
  if (llvm::Error error = readSignature(func, model->inputs, model->outputs))
    return std::move(error);

  // The names are recorded above.
  stripFrontendAttributes(module);
  // JIT code runs on this machine: whatever target a model file names,
  // the kernels of this CPU (the ExecutionEngine generates code for it).
  llvm::Expected<TargetAttr> host = resolveTarget(module.getContext(), "host");
  if (!host)
    return host.takeError();
  attachTarget(module, *host);

  MLIRContext *context = module.getContext();
  if (llvm::Error error =
          collectDiagnostics(context, "lowering to LLVM failed:\n", [&] {
            PassManager pm(context);
            buildTosaToLLVMPipeline(pm, lowering);
            return pm.run(module);
          }))
    return std::move(error);

  if (lowering.arena) {
    auto lowered = module.lookupSymbol<LLVM::LLVMFuncOp>(entry);
    auto size = lowered
                    ? lowered->getAttrOfType<IntegerAttr>("tinyq.arena_size")
                    : nullptr;
    if (!size)
      return llvm::createStringError("no arena size recorded on '%s'",
                                     entry.str().c_str());
    // Aligned as tinyq-allocate-arena's default alignment assumes.
    constexpr size_t kAlignment = 16;
    model->arenaStorage.resize(size_t(size.getInt()) + kAlignment);
    model->arena = reinterpret_cast<void *>(llvm::alignTo(
        reinterpret_cast<uintptr_t>(model->arenaStorage.data()), kAlignment));
  }

  static bool targetInitialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)targetInitialized;
  registerBuiltinDialectTranslation(*context);
  registerLLVMDialectTranslation(*context);
  registerX86DialectTranslation(*context);

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
  if (arena)
    pointers.push_back(arena);
  SmallVector<void *> args;
  for (void *&pointer : pointers)
    args.push_back(&pointer);
  return engine->invokePacked(entry, args);
}
