//===- X86ToLLVMIRTranslation.h - tinyq_x86 to LLVM IR ----------*- C++ -*-===//
//
// The translation of the tinyq_x86 ops into LLVM IR intrinsic calls, for
// mlir::translateModuleToLLVMIR.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_DIALECT_X86_X86TOLLVMIRTRANSLATION_H
#define TINYQ_DIALECT_X86_X86TOLLVMIRTRANSLATION_H

namespace mlir {
class DialectRegistry;
class MLIRContext;
} // namespace mlir

namespace tinyq {

/// Registers the tinyq_x86 dialect and its translation to LLVM IR in
/// \p registry.
void registerX86DialectTranslation(mlir::DialectRegistry &registry);

/// The same in the registry of \p context.
void registerX86DialectTranslation(mlir::MLIRContext &context);

} // namespace tinyq

#endif // TINYQ_DIALECT_X86_X86TOLLVMIRTRANSLATION_H
