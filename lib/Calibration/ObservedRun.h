//===- ObservedRun.h - A model run that returns its observed tensors ------===//
//
// Private to lib/Calibration: calibration, bias correction and sensitivity
// analysis all JIT-run a copy of the model whose tinyq.observe points are
// extra results, and look at the observed tensors sample by sample.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_LIB_CALIBRATION_OBSERVEDRUN_H
#define TINYQ_LIB_CALIBRATION_OBSERVEDRUN_H

#include "tinyq/Calibration/Calibration.h"
#include "tinyq/Execution/JitModel.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <memory>
#include <vector>

namespace tinyq {

/// An error of lib/Calibration with \p message.
inline llvm::Error makeCalibrationError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The value of element \p index of an observed tensor.
inline double readObservedValue(const TensorSignature &sig, const uint8_t *data,
                                int64_t index) {
  return sig.kind == ElementKind::Float32
             ? double(reinterpret_cast<const float *>(data)[index])
             : readElement(sig.kind, data, index);
}

/// A JIT-compiled copy of a model that returns its observed tensors, run
/// over calibration samples.
class ObservedRun {
public:
  /// Exposes the observers of \p copy (a clone, consumed) and compiles it.
  static llvm::Expected<std::unique_ptr<ObservedRun>>
  create(mlir::OwningOpRef<mlir::ModuleOp> copy, llvm::StringRef entry,
         const Array &samples, const CalibrationOptions &options);

  size_t getNumPoints() const { return observedResults.size(); }
  int64_t getPointId(size_t point) const {
    return observedResults[point].second;
  }
  int64_t getSampleCount() const { return count; }

  /// `visit(point, signature, values, first, size)` for each observed tensor
  /// of each sample: `size` elements from `first` in `values`.
  using Visitor = llvm::function_ref<void(size_t, const TensorSignature &,
                                          const uint8_t *, int64_t, int64_t)>;

  /// Runs the model over all samples and hands each observed tensor of each
  /// sample to \p visit.
  llvm::Error run(llvm::StringRef label, Visitor visit);

  /// Samples per model invocation.
  int64_t getBatch() const { return batch; }
  /// Samples the model has run on so far (padding not counted).
  int64_t getSamplesRun() const { return samplesRun; }
  /// Runs the model once, on the samples from \p first (a multiple of the
  /// batch), and hands their observed tensors to \p visit.
  llvm::Error runBatch(int64_t first, Visitor visit);

private:
  ObservedRun() = default;
  std::vector<std::vector<uint8_t>> outputBuffers;
  std::vector<uint8_t> inputBuffer;
  std::unique_ptr<JitModel> model;
  /// (result index, observer id) of the observed tensors.
  std::vector<std::pair<unsigned, int64_t>> observedResults;
  Array data;
  int64_t batch = 1, count = 0, samplesRun = 0;
  size_t sampleBytes = 0;
  bool showProgress = true;
};

} // namespace tinyq

#endif // TINYQ_LIB_CALIBRATION_OBSERVEDRUN_H
