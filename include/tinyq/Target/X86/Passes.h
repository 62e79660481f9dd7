//===- Passes.h - x86-64 kernels --------------------------------*- C++ -*-===//

#ifndef TINYQ_TARGET_X86_PASSES_H
#define TINYQ_TARGET_X86_PASSES_H

#include "tinyq/Dialect/X86/IR/X86Dialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace tinyq {

#define GEN_PASS_DECL
#include "tinyq/Target/X86/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tinyq/Target/X86/Passes.h.inc"

/// Patterns of tinyq-lower-x86: dense kernels whose accumulators hold
/// \p lanes int32 channels (16: AVX-512 VNNI, 8: AVX-VNNI).
void populateLowerX86Patterns(mlir::RewritePatternSet &patterns, int64_t lanes);

} // namespace tinyq

#endif // TINYQ_TARGET_X86_PASSES_H
