//===- TinyQInterfaces.h - TinyQ op interfaces ------------------*- C++ -*-===//

#ifndef TINYQ_DIALECT_TINYQ_IR_TINYQINTERFACES_H
#define TINYQ_DIALECT_TINYQ_IR_TINYQINTERFACES_H

#include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"

#include <array>
#include <utility>

#include "tinyq/Dialect/TinyQ/IR/TinyQInterfaces.h.inc"

#endif // TINYQ_DIALECT_TINYQ_IR_TINYQINTERFACES_H
