//===- TinyQOps.h - TinyQ operations ----------------------------*- C++ -*-===//

#ifndef TINYQ_DIALECT_TINYQ_IR_TINYQOPS_H
#define TINYQ_DIALECT_TINYQ_IR_TINYQOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQDialect.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQInterfaces.h"

#define GET_OP_CLASSES
#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h.inc"

#endif // TINYQ_DIALECT_TINYQ_IR_TINYQOPS_H
