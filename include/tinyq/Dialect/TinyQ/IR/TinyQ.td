//===- TinyQ.td - TinyQ dialect umbrella -------------------*- tablegen -*-===//
//
// The tinyq dialect: mixed-precision and sparsity-aware quantization
// annotations and the integer operations of quantized models.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_DIALECT_TINYQ_IR_TINYQ_TD
#define TINYQ_DIALECT_TINYQ_IR_TINYQ_TD

include "tinyq/Dialect/TinyQ/IR/TinyQDialect.td"
include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.td"
include "tinyq/Dialect/TinyQ/IR/TinyQOps.td"

#endif // TINYQ_DIALECT_TINYQ_IR_TINYQ_TD
