//===- OnnxToTosa.h - ONNX node semantics in TOSA ---------------*- C++ -*-===//

#ifndef TINYQ_CONVERSION_ONNXTOTOSA_ONNXTOTOSA_H
#define TINYQ_CONVERSION_ONNXTOTOSA_ONNXTOTOSA_H

#include "tinyq/Conversion/Utils/NodeBinder.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/DenseMap.h"

#include <string>
#include <utility>
#include <vector>

namespace tinyq {

/// Patterns rewriting tinyq_frontend.node "onnx.*" into TOSA; when given,
/// \p reasons collects why nodes could not be converted.
void populateOnnxToTosaPatterns(mlir::RewritePatternSet &patterns,
                                FailureReasons *reasons = nullptr);

/// Whether some handler converts \p opType (as "onnx.Conv") at \p opset.
bool isOnnxOperatorSupported(llvm::StringRef opType, int64_t opset);

/// Every (operator, first opset) with a handler, sorted by name.
std::vector<std::pair<std::string, int64_t>> getSupportedOnnxOperators();

} // namespace tinyq

#endif // TINYQ_CONVERSION_ONNXTOTOSA_ONNXTOTOSA_H
