//===- TfliteToTosa.h - TFLite operator semantics in TOSA -------*- C++ -*-===//

#ifndef TINYQ_CONVERSION_TFLITETOTOSA_TFLITETOTOSA_H
#define TINYQ_CONVERSION_TFLITETOTOSA_TFLITETOTOSA_H

#include "tinyq/Conversion/Utils/NodeBinder.h"

#include "mlir/IR/PatternMatch.h"

namespace tinyq {

/// Patterns rewriting tinyq_frontend.node "tflite.*" on float tensors into
/// TOSA; when given, \p reasons collects why nodes could not be converted.
void populateTfliteToTosaPatterns(mlir::RewritePatternSet &patterns,
                                  FailureReasons *reasons = nullptr);

/// Every TFLite operator with a handler, sorted.
std::vector<std::string> getSupportedTfliteOperators();

} // namespace tinyq

#endif // TINYQ_CONVERSION_TFLITETOTOSA_TFLITETOTOSA_H
