//===- InitAllPasses.h - Register TinyQ's passes ----------------*- C++ -*-===//

#ifndef TINYQ_INITALLPASSES_H
#define TINYQ_INITALLPASSES_H

#include "tinyq/Conversion/Passes.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Target/CortexM/Passes.h"
#include "tinyq/Target/Passes.h"
#include "tinyq/Target/X86/Passes.h"
#include "tinyq/Transforms/Passes.h"

namespace tinyq {

inline void registerAllPasses() {
  registerTinyQPasses();
  registerTinyQConversionPasses();
  registerTinyQTargetPasses();
  registerTinyQCortexMPasses();
  registerTinyQX86Passes();
  registerTinyQTransformsPasses();
}

} // namespace tinyq

#endif // TINYQ_INITALLPASSES_H
