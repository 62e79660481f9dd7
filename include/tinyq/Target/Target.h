//===- Target.h - The machines TinyQ compiles for ---------------*- C++ -*-===//
//
// TinyQ's one table of targets: what `--target NAME` selects (triple, CPU,
// float ABI), the #tinyq.target attribute a module carries for it, and the
// LLVM code generator made from that attribute.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_TARGET_TARGET_H
#define TINYQ_TARGET_TARGET_H

#include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace llvm {
class TargetMachine;
} // namespace llvm

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace tinyq {

struct CostModel;

/// One row of the target table.
struct TargetInfo {
  /// The name `--target` takes.
  llvm::StringLiteral name;
  /// LLVM's target triple and CPU name.
  llvm::StringLiteral triple, cpu;
  /// Whether an Arm core has an FPU, so that its default float ABI is
  /// hard (other architectures have one float ABI).
  bool hasFpu;
  /// Instructions per MAC of the layers on this core (the cycles objective
  /// of the precision choice), if measured.
  const CostModel *costModel;
};

/// Every named target, in the order `--help` lists them (`host`, which
/// stands for the machine the compiler runs on, is not a row).
llvm::ArrayRef<TargetInfo> getTargets();

/// The row named \p name, or null.
const TargetInfo *lookupTarget(llvm::StringRef name);

/// "host, cortex-m0plus, ..., cortex-m85": the names `--target` takes.
std::string getTargetNames();

/// The #tinyq.target of `--target` \p name (`host` or a row of the table),
/// with the CPU replaced by \p cpu (`native`: this machine's, for a target
/// of its architecture) and the float ABI by \p floatAbi (`soft` or `hard`,
/// Arm only) when they are not empty, and LLVM features added or removed by
/// \p features (`--mattr`: comma-separated `+name` / `-name`). Its features
/// are those the CPU has with \p features applied, as LLVM's subtarget
/// reports them, among the ones TinyQ's kernels choose by, then the
/// \p features entries that list does not already say.
llvm::Expected<TargetAttr> resolveTarget(mlir::MLIRContext *context,
                                         llvm::StringRef name,
                                         llvm::StringRef cpu = "",
                                         llvm::StringRef floatAbi = "",
                                         llvm::StringRef features = "");

/// The LLVM code generator for \p target: its triple, CPU, features and
/// float ABI,
/// static relocations on bare-metal targets (PIC on the host), and LLVM's
/// backend options that code for the CPU is generated with (see
/// getBackendOptions).
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(TargetAttr target);

/// Makes \p target the one \p module is compiled for: sets its
/// `tinyq.target` and the data layout its index arithmetic follows (as wide
/// as the target's pointers).
void attachTarget(mlir::ModuleOp module, TargetAttr target);

/// An LLVM command-line option set for a target's code generation.
struct BackendOption {
  llvm::StringLiteral name, value;
};

/// The LLVM backend options TinyQ generates \p target's code with: the
/// Cortex-M7 scheduled for latency, Helium cores' memory copies as vector
/// loops (docs/CortexM.md says why).
llvm::SmallVector<BackendOption> getBackendOptions(TargetAttr target);

} // namespace tinyq

#endif // TINYQ_TARGET_TARGET_H
