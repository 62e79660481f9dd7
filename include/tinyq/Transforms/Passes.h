//===- Passes.h - Buffer, arena and tiling passes ---------------*- C++ -*-===//

#ifndef TINYQ_TRANSFORMS_PASSES_H
#define TINYQ_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace tinyq {

#define GEN_PASS_DECL
#include "tinyq/Transforms/Passes.h.inc"

/// memref.copy -> linalg.copy.
void populateMemRefCopyToLinalgPatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "tinyq/Transforms/Passes.h.inc"

} // namespace tinyq

#endif // TINYQ_TRANSFORMS_PASSES_H
