//===- ReferenceModel.h - Evaluate an integer model exactly -----*- C++ -*-===//
//
// Evaluates a quantized model as tinyq-fuse-qdq leaves it (quant casts,
// TOSA data movement on integers, the tinyq integer layers) with the
// numerics library's reference kernels: plain loops that define the
// results compiled code must reproduce bit for bit. It exists to check the
// compiler, not to be fast.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_EXECUTION_REFERENCEMODEL_H
#define TINYQ_EXECUTION_REFERENCEMODEL_H

#include "tinyq/Execution/Model.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <memory>

namespace tinyq {

class ReferenceModel : public Model {
public:
  /// Prepares function \p entry of \p module (copied; the module is not
  /// modified). Fails, naming the operation, when the function holds an
  /// operation the evaluator does not know.
  static llvm::Expected<std::unique_ptr<ReferenceModel>>
  create(mlir::ModuleOp module, llvm::StringRef entry = "main");
  ~ReferenceModel() override;

  llvm::Error run(llvm::ArrayRef<const void *> inputData,
                  llvm::ArrayRef<void *> outputData) override;

  /// A tensor during evaluation: exactly one of the vectors holds its
  /// elements (integers of up to 8 bits in `narrow`).
  struct Buffer {
    std::vector<int8_t> narrow;
    std::vector<int32_t> wide;
    std::vector<float> real;
  };

private:
  ReferenceModel() = default;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp function;
  /// Constants, converted once.
  llvm::DenseMap<mlir::Value, Buffer> constants;
};

} // namespace tinyq

#endif // TINYQ_EXECUTION_REFERENCEMODEL_H
