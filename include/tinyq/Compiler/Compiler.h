//===- Compiler.h - Model to object file, stage by stage --------*- C++ -*-===//
//
// The compiler's stage sequence, which tinyq-compile runs and tinyq-run
// follows up to the lowering: load the model (import to TOSA), attach the
// target, quantize, make the C entry points, lower to the LLVM dialect,
// translate to LLVM IR and optimize, emit the object file and the header.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_COMPILER_COMPILER_H
#define TINYQ_COMPILER_COMPILER_H

#include "tinyq/Compiler/Quantization.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace tinyq {

/// A context with every dialect the compiler's stages use (upstream's and
/// TinyQ's) registered, whose diagnostics name locations without dumping
/// the op (the model's node names say more to a user).
std::unique_ptr<mlir::MLIRContext> createCompilerContext();

struct ModelLoadOptions {
  /// Batch size of ONNX models with a symbolic batch dimension.
  int64_t batchSize = 1;
  /// Bring the model to TOSA (buildImportToTosaPipeline). An `.mlir` file
  /// that is already past that point (a quantized model) skips it.
  bool importToTosa = true;
  /// Lower the quant casts a pre-quantized model keeps after fusion
  /// (ImportToTosaOptions); the reference evaluator reads them unlowered.
  bool lowerQuantCasts = true;
};

/// Reads an ONNX (`.onnx`, `.onnxtxt`), TFLite (`.tflite`) or MLIR
/// (`.mlir`) model. Errors are reported as diagnostics of \p context (and
/// a missing file as an error).
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
loadModel(mlir::MLIRContext &context, llvm::StringRef path,
          const ModelLoadOptions &options);

/// What tinyq-compile writes, by the stage it stops after.
enum class EmitKind {
  /// The float model with every observed tensor's calibrated range.
  Calibrated,
  /// The model before its entry points are made: float TOSA, or the
  /// integer model (its function `main`).
  Mlir,
  /// The module the lowering receives: the C entry points made, the target
  /// attached (`tinyq-opt --tinyq-tosa-to-llvm=arena=true` replays the
  /// lowering on it).
  EntryPoints,
  /// The lowered module in the LLVM dialect.
  LLVMDialect,
  /// Optimized LLVM IR.
  LLVMIR,
  /// The object file.
  Object,
};

/// Everything tinyq-compile takes.
struct CompileOptions {
  std::string modelPath;
  /// Where the output goes ("-": stdout), and the C header (none if empty).
  std::string outputPath = "-";
  std::string headerPath;
  EmitKind emit = EmitKind::Object;
  /// The prefix of the C entry points and the header's macros.
  std::string name = "model";
  /// Batch size of ONNX models with a symbolic batch dimension.
  int64_t batchSize = 1;
  /// `--target` (empty: not given, so the model file's #tinyq.target, else
  /// the host), `--mcpu`, `--mfloat-abi` and `--mattr` (empty: the
  /// target's).
  std::string target, cpu, floatAbi, features;
  QuantizationOptions quantization;
  /// With EmitKind::Calibrated: annotate and print every layer's
  /// sensitivity (two inferences), and the single-layer baseline.
  bool sensitivity = false;
  bool exhaustiveSensitivity = false;
  /// The lowering's choices (TosaToLLVMOptions).
  bool skipZeroActivations = false;
  int64_t unpackedWeightsLimit = 16384;
  bool printArenaPlan = false;
  /// Where progress and reports go.
  llvm::raw_ostream *log = &llvm::errs();
};

/// Runs the stages `options.emit` needs on \p context and writes the
/// outputs. Bad options and failing stages are errors; the IR's own
/// diagnostics go to the context's handler.
llvm::Error compileModel(mlir::MLIRContext &context,
                         const CompileOptions &options);

} // namespace tinyq

#endif // TINYQ_COMPILER_COMPILER_H
