//===- TinyQFrontend.cpp - Imported model nodes ---------------------------===//

#include "tinyq/Dialect/TinyQFrontend/IR/TinyQFrontend.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace tinyq::frontend;

#include "tinyq/Dialect/TinyQFrontend/IR/TinyQFrontendDialect.cpp.inc"

void TinyQFrontendDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "tinyq/Dialect/TinyQFrontend/IR/TinyQFrontendOps.cpp.inc"
      >();
}

#define GET_OP_CLASSES
#include "tinyq/Dialect/TinyQFrontend/IR/TinyQFrontendOps.cpp.inc"
