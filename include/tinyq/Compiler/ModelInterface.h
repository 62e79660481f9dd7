//===- ModelInterface.h - The C interface of a compiled model ---*- C++ -*-===//
//
// A compiled model is called from C as
//
//   void NAME_run(const T *input..., U *output..., void *arena);
//
// and, for an integer model, also through a float wrapper
// NAME_run_float(const float *..., float *..., void *arena) that quantizes
// and dequantizes with the compiler's exact rules. The generated header
// declares them with the shapes, quantization parameters and arena size.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_DRIVER_MODELINTERFACE_H
#define TINYQ_DRIVER_MODELINTERFACE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace llvm {
class Module;
} // namespace llvm

namespace tinyq {

struct TensorInterface {
  std::string name;
  std::vector<int64_t> shape;
  /// The C element type of NAME_run's pointer.
  std::string cType;
  /// The quantization of an integer model's input or output.
  std::optional<double> scale;
  int32_t zeroPoint = 0;
};

struct ModelInterface {
  std::string name;
  std::vector<TensorInterface> inputs, outputs;
  /// Whether NAME_run_float exists (integer models).
  bool hasFloatWrapper = false;
  /// Whether the model itself takes and returns quantized tensors (a
  /// pre-quantized model), so that NAME_run is its own signature.
  bool hasQuantizedSignature = false;
  /// Bytes of arena NAME_run (and NAME_run_float) need, and its alignment.
  int64_t arenaSize = 0;
  /// The most bytes in use at one time (tinyq-allocate-arena's bound).
  int64_t arenaLowerBound = 0;
  unsigned arenaAlignment = 16;
  /// The library functions the object calls (memset, expf, ...).
  std::vector<std::string> libraryCalls;

  std::string getRunSymbol() const { return name + "_run"; }
  std::string getRunFloatSymbol() const { return name + "_run_float"; }
};

/// Whether \p name can prefix C identifiers.
bool isValidModelName(llvm::StringRef name);

/// Makes function \p entry of \p module the model's entry points: it becomes
/// NAME_run. When every input is quantized at the start (`quant.qcast` +
/// `quant.scast`) and every output dequantized at the end (`quant.scast` +
/// `quant.dcast`), as in an integer model, NAME_run takes and returns the
/// integers and a new NAME_run_float does the casts around a call to it.
llvm::Expected<ModelInterface> createEntryPoints(mlir::ModuleOp module,
                                                 llvm::StringRef entry,
                                                 llvm::StringRef name);

/// Reads the arena size tinyq-allocate-arena recorded on the entry points of
/// \p module (lowered to the LLVM dialect).
llvm::Error readArenaSize(mlir::ModuleOp module, ModelInterface &interface);

/// Records in \p interface the library functions the optimized \p module
/// may call: its external declarations, and memcpy / memmove / memset for
/// the memory intrinsics code generation expands into calls.
void readLibraryCalls(const llvm::Module &module, ModelInterface &interface);

/// Writes the C header of \p interface; \p source names the model file in a
/// comment.
void writeHeader(llvm::raw_ostream &os, const ModelInterface &interface,
                 llvm::StringRef source);

} // namespace tinyq

#endif // TINYQ_DRIVER_MODELINTERFACE_H
