//===- X86Dialect.h - x86-64 integer intrinsics as ops ----------*- C++ -*-===//

#ifndef TINYQ_DIALECT_X86_IR_X86DIALECT_H
#define TINYQ_DIALECT_X86_IR_X86DIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/LLVMIR/LLVMTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "tinyq/Dialect/X86/IR/X86Dialect.h.inc"

#define GET_OP_CLASSES
#include "tinyq/Dialect/X86/IR/X86.h.inc"

#endif // TINYQ_DIALECT_X86_IR_X86DIALECT_H
