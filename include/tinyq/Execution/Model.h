//===- Model.h - A model that runs on the host ------------------*- C++ -*-===//
//
// What the runners share: the signature of a compiled or interpreted model
// function and a call that runs it once on whole tensors.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_EXECUTION_MODEL_H
#define TINYQ_EXECUTION_MODEL_H

#include "tinyq/Support/Datasets.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

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

/// Reads the inputs and outputs of \p func: statically shaped tensors of
/// floats, integers or booleans, named by their `tinyq_frontend.name`
/// attributes (else input_N / output_N).
llvm::Error readSignature(mlir::func::FuncOp func,
                          std::vector<TensorSignature> &inputs,
                          std::vector<TensorSignature> &outputs);

/// Runs \p action; if it fails, returns an error with \p message followed by
/// the diagnostics it emitted, one per line with their locations.
llvm::Error
collectDiagnostics(mlir::MLIRContext *context, llvm::StringRef message,
                   llvm::function_ref<mlir::LogicalResult()> action);

class Model {
public:
  virtual ~Model();

  const std::vector<TensorSignature> &getInputs() const { return inputs; }
  const std::vector<TensorSignature> &getOutputs() const { return outputs; }

  /// Runs the model once; each pointer holds a whole tensor, row-major, with
  /// the elements of its signature's kind.
  virtual llvm::Error run(llvm::ArrayRef<const void *> inputData,
                          llvm::ArrayRef<void *> outputData) = 0;

protected:
  std::vector<TensorSignature> inputs, outputs;
};

} // namespace tinyq

#endif // TINYQ_EXECUTION_MODEL_H
