//===- InitAllDialects.h - Register TinyQ's dialects ------------*- C++ -*-===//

#ifndef TINYQ_INITALLDIALECTS_H
#define TINYQ_INITALLDIALECTS_H

#include "tinyq/Dialect/CortexM/IR/CortexMDialect.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQDialect.h"
#include "tinyq/Dialect/TinyQFrontend/IR/TinyQFrontend.h"
#include "tinyq/Dialect/X86/IR/X86Dialect.h"

#include "mlir/IR/DialectRegistry.h"

namespace tinyq {

/// Adds every dialect TinyQ defines to \p registry.
inline void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<TinyQDialect, frontend::TinyQFrontendDialect,
                  cortexm::CortexMDialect, x86::X86Dialect>();
}

} // namespace tinyq

#endif // TINYQ_INITALLDIALECTS_H
