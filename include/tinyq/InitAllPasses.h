//===- InitAllPasses.h - Register TinyQ's passes ----------------*- C++ -*-===//

#ifndef TINYQ_INITALLPASSES_H
#define TINYQ_INITALLPASSES_H

#include "tinyq/Conversion/Passes.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"

namespace tinyq {

/// Registers every pass TinyQ defines with the global registry.
inline void registerAllPasses() {
  registerTinyQPasses();
  registerTinyQConversionPasses();
}

} // namespace tinyq

#endif // TINYQ_INITALLPASSES_H
