//===- TinyQDialect.h - TinyQ dialect ---------------------------*- C++ -*-===//

#ifndef TINYQ_DIALECT_TINYQ_IR_TINYQDIALECT_H
#define TINYQ_DIALECT_TINYQ_IR_TINYQDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Dialect.h"

#include "tinyq/Dialect/TinyQ/IR/TinyQDialect.h.inc"

#endif // TINYQ_DIALECT_TINYQ_IR_TINYQDIALECT_H
