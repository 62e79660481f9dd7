//===- TfliteToTosaCommon.h - Shared pieces of TFLite handlers --*- C++ -*-===//

#ifndef TINYQ_LIB_CONVERSION_TFLITETOTOSA_TFLITETOTOSACOMMON_H
#define TINYQ_LIB_CONVERSION_TFLITETOTOSA_TFLITETOTOSACOMMON_H

#include "tinyq/Conversion/TfliteToTosa/TfliteToTosa.h"
#include "tinyq/Conversion/Utils/NodeBinder.h"
#include "tinyq/Dialect/Tosa/Utils/TosaBuilders.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

namespace tinyq::tflite_to_tosa {

/// The table with every family's handlers, built once.
const NodeHandlerTable &getTfliteHandlerTable();

void populateLinearHandlers(NodeHandlerTable &table);
void populatePoolingHandlers(NodeHandlerTable &table);
void populateElementwiseHandlers(NodeHandlerTable &table);
void populateShapeHandlers(NodeHandlerTable &table);

/// The static float32 type of input \p index or result 0, or null; TFLite
/// handlers here only take float tensors (quantized ones go elsewhere).
mlir::RankedTensorType getFloatInputType(NodeBinder &binder, unsigned index);
mlir::RankedTensorType getFloatResultType(NodeBinder &binder);

/// Input \p index as float32: itself when it is float32, or, for a constant
/// quantized weight (quant.scast of a constant, as in hybrid models), its
/// values dequantized at compile time. Null otherwise.
mlir::Value getFloatWeights(NodeBinder &binder, mlir::PatternRewriter &rewriter,
                            unsigned index);

/// Applies the node's `fused_activation_function` to \p value.
mlir::FailureOr<mlir::Value>
applyFusedActivation(NodeBinder &binder, mlir::PatternRewriter &rewriter,
                     mlir::Value value);

/// The window of a TFLite convolution or pooling with `padding` SAME or
/// VALID over an NHWC input.
mlir::FailureOr<SpatialWindow>
getTfliteWindow(NodeBinder &binder, mlir::PatternRewriter &rewriter,
                llvm::ArrayRef<int64_t> inputHW, llvm::ArrayRef<int64_t> kernel,
                llvm::ArrayRef<int64_t> strides,
                llvm::ArrayRef<int64_t> dilations);

} // namespace tinyq::tflite_to_tosa

#endif // TINYQ_LIB_CONVERSION_TFLITETOTOSA_TFLITETOTOSACOMMON_H
