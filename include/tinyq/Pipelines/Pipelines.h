//===- Pipelines.h - TinyQ's pass pipelines ---------------------*- C++ -*-===//

#ifndef TINYQ_PIPELINES_PIPELINES_H
#define TINYQ_PIPELINES_PIPELINES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

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

/// The choices the lowering leaves to its user; the target is the
/// module's own #tinyq.target (none: the portable lowering only).
struct TosaToLLVMOptions : mlir::PassPipelineOptions<TosaToLLVMOptions> {
  Option<bool> arena{*this, "arena",
                     llvm::cl::desc("Place every buffer in a trailing arena "
                                    "argument (tinyq-allocate-arena): the "
                                    "code then never calls malloc"),
                     llvm::cl::init(false)};
  Option<bool> skipZeroActivations{
      *this, "skip-zero-activations",
      llvm::cl::desc("On cores with the DSP extension, fully connected and "
                     "pointwise layers skip the products of zero activations "
                     "(tinyq-lower-cortex-m)"),
      llvm::cl::init(false)};
  Option<int64_t> unpackedWeightsLimit{
      *this, "unpacked-weights-limit",
      llvm::cl::desc("On cores with the DSP extension, int8 layers whose "
                     "weights take at most this many bytes as int16 halves "
                     "(or as a 2:4 stream) are stored so "
                     "(tinyq-lower-cortex-m)"),
      llvm::cl::init(16384)};
  Option<bool> printArenaPlan{
      *this, "print-arena-plan",
      llvm::cl::desc("With arena, report each buffer's place in the arena as "
                     "a remark"),
      llvm::cl::init(false)};
};

/// TOSA and TinyQ integer ops on statically shaped tensors -> LLVM dialect
/// (calibration points removed) through linalg, bufferization (results
/// become trailing out-parameters; buffers are freed, or live in the arena)
/// and loops. Functions use the bare-pointer calling convention: every
/// tensor argument and result is one pointer to its row-major data.
void buildTosaToLLVMPipeline(mlir::OpPassManager &pm,
                             const TosaToLLVMOptions &options);

/// Removes the front ends' argument, result and function attributes
/// (`tinyq_frontend.*`: tensor names, format) from every function of
/// \p module: tools read them before lowering; LLVM IR has no place for them.
void stripFrontendAttributes(mlir::ModuleOp module);

/// Registers both as `tinyq-import-to-tosa` and `tinyq-tosa-to-llvm`.
void registerPipelines();

} // namespace tinyq

#endif // TINYQ_PIPELINES_PIPELINES_H
