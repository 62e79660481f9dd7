//===- TinyQDialect.cpp - TinyQ dialect -----------------------------------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQDialect.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQOps.h"

using namespace mlir;
using namespace tinyq;

#include "tinyq/Dialect/TinyQ/IR/TinyQDialect.cpp.inc"

void TinyQDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "tinyq/Dialect/TinyQ/IR/TinyQOps.cpp.inc"
      >();
}

Operation *TinyQDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || !arith::ConstantOp::isBuildableWith(typed, type))
    return nullptr;
  return arith::ConstantOp::create(builder, loc, type, typed);
}
