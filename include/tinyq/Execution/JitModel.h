//===- JitModel.h - Run a float TOSA model with the MLIR JIT ----*- C++ -*-===//
//
// The compiler runs what it compiles: a statically shaped float32 model is
// lowered with buildTosaToLLVMPipeline and executed by the MLIR
// ExecutionEngine.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_EXECUTION_JITMODEL_H
#define TINYQ_EXECUTION_JITMODEL_H

#include "tinyq/Support/Datasets.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace tinyq {

/// One input or output of a model.
struct TensorSignature {
  std::string name;
  ElementKind kind = ElementKind::Float32;
  std::vector<int64_t> shape;
  int64_t getNumElements() const;
  size_t getNumBytes() const {
    return size_t(getNumElements()) * getElementSize(kind);
  }
};

class JitModel {
public:
  /// Lowers function \p entry of \p module (TOSA on statically shaped
  /// tensors of float, integer or boolean elements; the module is modified)
  /// and JIT-compiles it.
  static llvm::Expected<std::unique_ptr<JitModel>>
  compile(mlir::ModuleOp module, llvm::StringRef entry = "main");
  ~JitModel();

  const std::vector<TensorSignature> &getInputs() const { return inputs; }
  const std::vector<TensorSignature> &getOutputs() const { return outputs; }

  /// Runs the model once; each pointer holds a whole tensor, row-major, with
  /// the elements of its signature's kind.
  llvm::Error run(llvm::ArrayRef<const void *> inputData,
                  llvm::ArrayRef<void *> outputData);

private:
  JitModel() = default;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  std::string entry;
  std::vector<TensorSignature> inputs, outputs;
};

} // namespace tinyq

#endif // TINYQ_EXECUTION_JITMODEL_H
