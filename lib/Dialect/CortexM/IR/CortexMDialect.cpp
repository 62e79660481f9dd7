//===- CortexMDialect.cpp - Arm M-profile intrinsics as ops ---------------===//
//
// The dialect and the verifiers the type constraints of CortexM.td do not
// express: lane widths of widening multiplies, gathers and scatters.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Dialect/CortexM/IR/CortexMDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace tinyq::cortexm;

#include "tinyq/Dialect/CortexM/IR/CortexMDialect.cpp.inc"

#define GET_OP_CLASSES
#include "tinyq/Dialect/CortexM/IR/CortexM.cpp.inc"

void CortexMDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "tinyq/Dialect/CortexM/IR/CortexM.cpp.inc"
      >();
}

/// The bit width of \p vector's lanes.
static unsigned getLaneBits(Type vector) {
  return cast<VectorType>(vector).getElementTypeBitWidth();
}

LogicalResult VmullOp::verify() {
  if (getLaneBits(getRes().getType()) != 2 * getLaneBits(getA().getType()))
    return emitOpError("widens ")
           << getA().getType() << " into lanes twice as wide, not into "
           << getRes().getType();
  return success();
}

/// Checks the element size \p memoryBits of a gather or scatter whose
/// register lanes are \p laneBits wide.
static LogicalResult verifyMemoryBits(Operation *op, int64_t memoryBits,
                                      unsigned laneBits, int64_t shift) {
  if (memoryBits != 8 && memoryBits != 16 && memoryBits != 32)
    return op->emitOpError("accesses elements of 8, 16 or 32 bits, not ")
           << memoryBits;
  if (memoryBits > laneBits)
    return op->emitOpError("accesses ")
           << memoryBits << "-bit elements in " << laneBits << "-bit lanes";
  if (shift != 0 && (1 << shift) * 8 != memoryBits)
    return op->emitOpError("scales offsets by the element size or not at "
                           "all, not by 2^")
           << shift;
  return success();
}

LogicalResult VldrGatherOffsetOp::verify() {
  if (cast<VectorType>(getOffsets().getType()).getNumElements() !=
      cast<VectorType>(getRes().getType()).getNumElements())
    return emitOpError("gathers as many lanes as it has offsets");
  return verifyMemoryBits(*this, getMemoryBits(),
                          getLaneBits(getRes().getType()), getShift());
}

LogicalResult VstrScatterOffsetOp::verify() {
  if (cast<VectorType>(getOffsets().getType()).getNumElements() !=
      cast<VectorType>(getValues().getType()).getNumElements())
    return emitOpError("scatters as many lanes as it has offsets");
  return verifyMemoryBits(*this, getMemoryBits(),
                          getLaneBits(getValues().getType()), getShift());
}
