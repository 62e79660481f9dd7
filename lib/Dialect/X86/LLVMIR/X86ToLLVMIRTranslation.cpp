//===- X86ToLLVMIRTranslation.cpp - tinyq_x86 to LLVM IR ------------------===//

#include "tinyq/Dialect/X86/X86ToLLVMIRTranslation.h"
#include "tinyq/Dialect/X86/IR/X86Dialect.h"

#include "mlir/IR/Operation.h"
#include "mlir/Target/LLVMIR/LLVMTranslationInterface.h"
#include "mlir/Target/LLVMIR/ModuleTranslation.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/IntrinsicsX86.h"

using namespace mlir;
using namespace tinyq;

namespace {
/// Each op becomes the call of its intrinsic (X86Conversions.inc, which ODS
/// generates from the ops' llvmBuilder).
class X86TranslationInterface : public LLVMTranslationDialectInterface {
public:
  using LLVMTranslationDialectInterface::LLVMTranslationDialectInterface;

  LogicalResult
  convertOperation(Operation *op, llvm::IRBuilderBase &builder,
                   LLVM::ModuleTranslation &moduleTranslation) const final {
    Operation &opInst = *op;
#include "tinyq/Dialect/X86/IR/X86Conversions.inc"
    return failure();
  }
};
} // namespace

void tinyq::registerX86DialectTranslation(DialectRegistry &registry) {
  registry.insert<x86::X86Dialect>();
  registry.addExtension(+[](MLIRContext *, x86::X86Dialect *dialect) {
    dialect->addInterfaces<X86TranslationInterface>();
  });
}

void tinyq::registerX86DialectTranslation(MLIRContext &context) {
  DialectRegistry registry;
  registerX86DialectTranslation(registry);
  context.appendDialectRegistry(registry);
}
