//===- CortexMToLLVMIRTranslation.cpp - tinyq_cortexm to LLVM IR ----------===//

#include "tinyq/Dialect/CortexM/CortexMToLLVMIRTranslation.h"
#include "tinyq/Dialect/CortexM/IR/CortexMDialect.h"

#include "mlir/IR/Operation.h"
#include "mlir/Target/LLVMIR/LLVMTranslationInterface.h"
#include "mlir/Target/LLVMIR/ModuleTranslation.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/IntrinsicsARM.h"

using namespace mlir;
using namespace tinyq;

namespace {
/// Each op becomes the call of its intrinsic (CortexMConversions.inc, which
/// ODS generates from the ops' llvmBuilder).
class CortexMTranslationInterface : public LLVMTranslationDialectInterface {
public:
  using LLVMTranslationDialectInterface::LLVMTranslationDialectInterface;

  LogicalResult
  convertOperation(Operation *op, llvm::IRBuilderBase &builder,
                   LLVM::ModuleTranslation &moduleTranslation) const final {
    Operation &opInst = *op;
#include "tinyq/Dialect/CortexM/IR/CortexMConversions.inc"
    return failure();
  }
};
} // namespace

void tinyq::registerCortexMDialectTranslation(DialectRegistry &registry) {
  registry.insert<cortexm::CortexMDialect>();
  registry.addExtension(+[](MLIRContext *, cortexm::CortexMDialect *dialect) {
    dialect->addInterfaces<CortexMTranslationInterface>();
  });
}

void tinyq::registerCortexMDialectTranslation(MLIRContext &context) {
  DialectRegistry registry;
  registerCortexMDialectTranslation(registry);
  context.appendDialectRegistry(registry);
}
