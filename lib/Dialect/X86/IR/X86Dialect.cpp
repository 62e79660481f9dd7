//===- X86Dialect.cpp - x86-64 integer intrinsics as ops ------------------===//

#include "tinyq/Dialect/X86/IR/X86Dialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace tinyq::x86;

#include "tinyq/Dialect/X86/IR/X86Dialect.cpp.inc"

#define GET_OP_CLASSES
#include "tinyq/Dialect/X86/IR/X86.cpp.inc"

void X86Dialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "tinyq/Dialect/X86/IR/X86.cpp.inc"
      >();
}
