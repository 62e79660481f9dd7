//===- Passes.h - Cortex-M kernels and code passes --------------*- C++ -*-===//

#ifndef TINYQ_TARGET_CORTEXM_PASSES_H
#define TINYQ_TARGET_CORTEXM_PASSES_H

#include "tinyq/Dialect/CortexM/IR/CortexMDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace tinyq {

#define GEN_PASS_DECL
#include "tinyq/Target/CortexM/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tinyq/Target/CortexM/Passes.h.inc"

} // namespace tinyq

#endif // TINYQ_TARGET_CORTEXM_PASSES_H
