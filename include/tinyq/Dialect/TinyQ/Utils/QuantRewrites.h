//===- QuantRewrites.h - Rewriting IR that holds quant casts ----*- C++ -*-===//

#ifndef TINYQ_DIALECT_TINYQ_UTILS_QUANTREWRITES_H
#define TINYQ_DIALECT_TINYQ_UTILS_QUANTREWRITES_H

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tinyq {

/// Applies \p patterns greedily to \p op without op folders: upstream folds
/// scast(scast(x)) and dcast(qcast(x)) to x, which would erase the rounding
/// a quantize / dequantize pair stands for before TinyQ gives it its
/// semantics.
inline mlir::LogicalResult
applyPatternsWithoutFolding(mlir::Operation *op,
                            const mlir::FrozenRewritePatternSet &patterns) {
  mlir::GreedyRewriteConfig config;
  config.enableFolding(false);
  return mlir::applyPatternsGreedily(op, patterns, config);
}

} // namespace tinyq

#endif // TINYQ_DIALECT_TINYQ_UTILS_QUANTREWRITES_H
