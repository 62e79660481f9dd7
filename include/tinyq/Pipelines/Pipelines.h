//===- Pipelines.h - TinyQ's pass pipelines ---------------------*- C++ -*-===//

#ifndef TINYQ_PIPELINES_PIPELINES_H
#define TINYQ_PIPELINES_PIPELINES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

namespace tinyq {

struct ImportToTosaOptions {
  /// Lower the quantize / dequantize casts left after fusion to exact
  /// arithmetic, then sink transposes and canonicalize. Without it, a
  /// pre-quantized model stays as fused, the form the reference evaluator
  /// reads.
  bool lowerQuantCasts = true;
};

/// Imported model -> TOSA: node semantics; pre-quantized models (int8
/// TFLite) in Q/DQ form fused into TinyQ's integer ops (tinyq-fuse-qdq);
/// then canonicalization (which folds weight layout transposes and cancels
/// transpose pairs).
void buildImportToTosaPipeline(mlir::OpPassManager &pm,
                               const ImportToTosaOptions &options = {});

struct TosaToLLVMOptions {
  /// Place every buffer in a trailing arena argument (tinyq-allocate-arena)
  /// instead of allocating and freeing it: the code then never calls
  /// malloc.
  bool useArena = false;
  /// Lower the layers it can with the Arm DSP-extension kernels
  /// (tinyq-lower-cortex-m); only for cores that have it.
  bool armDsp = false;
  /// With armDsp: Helium (MVE) dot products where reductions are whole
  /// vectors; only for cores that have it.
  bool armMve = false;
  /// With armDsp: fully connected and pointwise layers skip the products of
  /// zero activations.
  bool armSkipZeroActivations = false;
  /// With armDsp: int8 layers whose weights take at most this many bytes as
  /// int16 halves (or as a 2:4 stream) are stored so.
  int64_t armUnpackedWeightsLimit = 16384;
  /// With useArena: report each buffer's place in the arena as a remark.
  bool printArenaPlan = false;
};

/// TOSA and TinyQ integer ops on statically shaped tensors -> LLVM dialect
/// (calibration points removed) through linalg, bufferization (results
/// become trailing out-parameters; buffers are freed, or live in the arena)
/// and loops. Functions use the bare-pointer calling convention: every
/// tensor argument and result is one pointer to its row-major data.
void buildTosaToLLVMPipeline(mlir::OpPassManager &pm,
                             const TosaToLLVMOptions &options = {});

/// Removes the front ends' argument, result and function attributes
/// (`tinyq_frontend.*`: tensor names, format) from every function of
/// \p module: tools read them before lowering; LLVM IR has no place for them.
void stripFrontendAttributes(mlir::ModuleOp module);

/// Registers both as `tinyq-import-to-tosa` and `tinyq-tosa-to-llvm`.
void registerPipelines();

} // namespace tinyq

#endif // TINYQ_PIPELINES_PIPELINES_H
