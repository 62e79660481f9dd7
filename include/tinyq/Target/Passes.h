//===- Passes.h - Target passes ---------------------------------*- C++ -*-===//

#ifndef TINYQ_TARGET_PASSES_H
#define TINYQ_TARGET_PASSES_H

#include "tinyq/Dialect/TinyQ/IR/TinyQDialect.h"

#include "mlir/Dialect/DLTI/DLTI.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace tinyq {

#define GEN_PASS_DECL
#include "tinyq/Target/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tinyq/Target/Passes.h.inc"

} // namespace tinyq

#endif // TINYQ_TARGET_PASSES_H
