//===- CortexMDialect.h - Arm M-profile intrinsics as ops -------*- C++ -*-===//

#ifndef TINYQ_DIALECT_CORTEXM_IR_CORTEXMDIALECT_H
#define TINYQ_DIALECT_CORTEXM_IR_CORTEXMDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/LLVMIR/LLVMTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "tinyq/Dialect/CortexM/IR/CortexMDialect.h.inc"

#define GET_OP_CLASSES
#include "tinyq/Dialect/CortexM/IR/CortexM.h.inc"

#endif // TINYQ_DIALECT_CORTEXM_IR_CORTEXMDIALECT_H
