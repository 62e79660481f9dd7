//===- Passes.h - TinyQ dialect passes --------------------------*- C++ -*-===//

#ifndef TINYQ_DIALECT_TINYQ_TRANSFORMS_PASSES_H
#define TINYQ_DIALECT_TINYQ_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
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

/// tinyq.requantize -> linalg.generic of 32-bit integer arithmetic.
void populateLowerIntegerOpsPatterns(mlir::RewritePatternSet &patterns);

/// Patterns of tinyq-lower-arm-dsp; int8 layers whose weights take at most
/// \p unpackedWeightsLimit bytes as int16 halves store them so; with
/// \p mve, reductions of whole 16-byte vectors use Helium dot products;
/// with \p skipZeroActivations, fully connected and pointwise layers skip
/// the products of zero activations; with \p twoOfFourWeights, those with
/// 2:4-sparse int8 weights multiply only the non-zero ones.
void populateLowerArmDspPatterns(mlir::RewritePatternSet &patterns,
                                 int64_t unpackedWeightsLimit, bool mve,
                                 bool skipZeroActivations = false,
                                 bool twoOfFourWeights = true);

/// Four byte loads or-ed into a little-endian word, or a vector of
/// consecutive loads -> one vector.load (loads at other constant distances
/// -> one vector.gather); a word's four bytes stored at consecutive places
/// -> one vector.store (a vector's at other distances -> vector.scatter).
void populateCombineByteAccessesPatterns(mlir::RewritePatternSet &patterns);

/// LLVM masked gathers and scatters of 4 bytes at a base plus i32 offsets
/// -> the Helium intrinsics in 32-bit lanes.
void populateLowerMveGathersPatterns(mlir::RewritePatternSet &patterns);

/// memref.copy -> linalg.copy.
void populateMemRefCopyToLinalgPatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h.inc"

} // namespace tinyq

#endif // TINYQ_DIALECT_TINYQ_TRANSFORMS_PASSES_H
