//===- Passes.h - Quantization passes on the tinyq dialect ------*- C++ -*-===//

#ifndef TINYQ_DIALECT_TINYQ_TRANSFORMS_PASSES_H
#define TINYQ_DIALECT_TINYQ_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace tinyq {

#define GEN_PASS_DECL
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"

/// tinyq.observe(x) -> x.
void populateStripObservePatterns(mlir::RewritePatternSet &patterns);

/// tinyq.fake_quant -> linalg.generic of float arithmetic.
void populateExpandFakeQuantPatterns(mlir::RewritePatternSet &patterns);

/// scast(qcast(x)) and dcast(scast(q)) -> exact elementwise arithmetic.
void populateLowerQuantCastsPatterns(mlir::RewritePatternSet &patterns);

/// op(transpose(x), ...) -> transpose(op(x, ...)) for elementwise TOSA ops.
void populateSinkTransposesPatterns(mlir::RewritePatternSet &patterns);

/// add(mul(conv, scale), shift) -> conv with folded weights and bias.
void populateFoldBatchNormPatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"

} // namespace tinyq

#endif // TINYQ_DIALECT_TINYQ_TRANSFORMS_PASSES_H
