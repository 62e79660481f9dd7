//===- Passes.h - TinyQ conversion passes -----------------------*- C++ -*-===//

#ifndef TINYQ_CONVERSION_PASSES_H
#define TINYQ_CONVERSION_PASSES_H

#include "tinyq/Conversion/OnnxToTosa/OnnxToTosa.h"
#include "tinyq/Conversion/TfliteToTosa/TfliteToTosa.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Pass/Pass.h"

namespace tinyq {

#define GEN_PASS_DECL
#include "tinyq/Conversion/Passes.h.inc"

/// tinyq.requantize, the integer layers, tinyq.add, tinyq.avg_pool2d and
/// tinyq.sparq -> linalg.generic and named ops of 32-bit integer arithmetic.
void populateLowerIntegerOpsPatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "tinyq/Conversion/Passes.h.inc"

} // namespace tinyq

#endif // TINYQ_CONVERSION_PASSES_H
