//===- Pipelines.h - TinyQ's pass pipelines ---------------------*- C++ -*-===//

#ifndef TINYQ_PIPELINES_PIPELINES_H
#define TINYQ_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

namespace tinyq {

/// Imported model -> float TOSA: node semantics, then canonicalization
/// (which folds weight layout transposes and cancels transpose pairs).
void buildImportToTosaPipeline(mlir::OpPassManager &pm);

struct TosaToLLVMOptions {
  /// Place every buffer in a trailing arena argument (tinyq-allocate-arena)
  /// instead of allocating and freeing it: the code then never calls
  /// malloc.
  bool useArena = false;
};

/// TOSA and TinyQ integer ops on statically shaped tensors -> LLVM dialect
/// (calibration points removed) through linalg, bufferization (results
/// become trailing out-parameters; buffers are freed, or live in the arena)
/// and loops. Functions use the bare-pointer calling convention: every
/// tensor argument and result is one pointer to its row-major data.
void buildTosaToLLVMPipeline(mlir::OpPassManager &pm,
                             const TosaToLLVMOptions &options = {});

/// Registers both as `tinyq-import-to-tosa` and `tinyq-tosa-to-llvm`.
void registerPipelines();

} // namespace tinyq

#endif // TINYQ_PIPELINES_PIPELINES_H
