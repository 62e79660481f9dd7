//===- CortexMToLLVMIRTranslation.h - tinyq_cortexm to LLVM IR --*- C++ -*-===//
//
// The translation of the tinyq_cortexm ops into LLVM IR intrinsic calls, for
// mlir::translateModuleToLLVMIR.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_DIALECT_CORTEXM_CORTEXMTOLLVMIRTRANSLATION_H
#define TINYQ_DIALECT_CORTEXM_CORTEXMTOLLVMIRTRANSLATION_H

namespace mlir {
class DialectRegistry;
class MLIRContext;
} // namespace mlir

namespace tinyq {

/// Registers the tinyq_cortexm dialect and its translation to LLVM IR in
/// \p registry.
void registerCortexMDialectTranslation(mlir::DialectRegistry &registry);

/// The same in the registry of \p context.
void registerCortexMDialectTranslation(mlir::MLIRContext &context);

} // namespace tinyq

#endif // TINYQ_DIALECT_CORTEXM_CORTEXMTOLLVMIRTRANSLATION_H
