//===- OnnxToTosaCommon.h - Shared pieces of the ONNX handlers --*- C++ -*-===//
//
// Handlers convert one ONNX operator from a given opset on. Each reads its
// node through an OnnxBinder, checks every precondition before creating any
// op, and reports what it cannot handle through OnnxBinder::fail.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_LIB_CONVERSION_ONNXTOTOSA_ONNXTOTOSACOMMON_H
#define TINYQ_LIB_CONVERSION_ONNXTOTOSA_ONNXTOTOSACOMMON_H

#include "tinyq/Conversion/OnnxToTosa/OnnxToTosa.h"
#include "tinyq/Conversion/Utils/NodeBinder.h"
#include "tinyq/Dialect/TinyQFrontend/IR/TinyQFrontend.h"
#include "tinyq/Dialect/Tosa/Utils/TosaBuilders.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/StringMap.h"

#include <functional>
#include <optional>

namespace tinyq::onnx_to_tosa {

using tinyq::SpatialWindow;

using OnnxBinder = NodeBinder;
using OnnxHandler = NodeHandler;
using OnnxHandlerTable = NodeHandlerTable;

/// The table with every family's handlers, built once.
const OnnxHandlerTable &getOnnxHandlerTable();

void populateElementwiseHandlers(OnnxHandlerTable &table);
void populateLinearHandlers(OnnxHandlerTable &table);
void populatePoolingHandlers(OnnxHandlerTable &table);
void populateShapeHandlers(OnnxHandlerTable &table);
void populateNormalizationHandlers(OnnxHandlerTable &table);
void populateQuantizationHandlers(OnnxHandlerTable &table);

/// Reads strides, dilations, pads and auto_pad of a Conv or pooling node for
/// an input of spatial size \p inputHW and a \p kernel; with \p ceilMode,
/// output sizes round up (the extra end padding is never counted).
mlir::FailureOr<SpatialWindow> getSpatialWindow(OnnxBinder &binder,
                                                mlir::PatternRewriter &rewriter,
                                                llvm::ArrayRef<int64_t> inputHW,
                                                llvm::ArrayRef<int64_t> kernel,
                                                bool ceilMode = false);

} // namespace tinyq::onnx_to_tosa

#endif // TINYQ_LIB_CONVERSION_ONNXTOTOSA_ONNXTOTOSACOMMON_H
