//===- JitModel.h - Run a float TOSA model with the MLIR JIT ----*- C++ -*-===//
//
// The compiler runs what it compiles: a statically shaped float32 model is
// lowered with buildTosaToLLVMPipeline and executed by the MLIR
// ExecutionEngine.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_EXECUTION_JITMODEL_H
#define TINYQ_EXECUTION_JITMODEL_H

#include "tinyq/Execution/Model.h"
#include "tinyq/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace tinyq {

class JitModel : public Model {
public:
  /// Lowers function \p entry of \p module (TOSA on statically shaped
  /// tensors of float, integer or boolean elements; the module is modified)
  /// with \p options for the host (any #tinyq.target the module carries is
  /// dropped) and JIT-compiles it. With an arena, the model owns one
  /// of the size the lowering records and passes it on every run.
  static llvm::Expected<std::unique_ptr<JitModel>>
  compile(mlir::ModuleOp module, llvm::StringRef entry = "main",
          const TosaToLLVMOptions &options = {});
  ~JitModel() override;

  llvm::Error run(llvm::ArrayRef<const void *> inputData,
                  llvm::ArrayRef<void *> outputData) override;

private:
  JitModel() = default;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  std::string entry;
  /// The arena of an arena-lowered model, over-allocated for alignment.
  std::vector<uint8_t> arenaStorage;
  void *arena = nullptr;
};

} // namespace tinyq

#endif // TINYQ_EXECUTION_JITMODEL_H
