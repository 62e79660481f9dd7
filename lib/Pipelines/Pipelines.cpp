//===- Pipelines.cpp - TinyQ's pass pipelines -----------------------------===//

#include "tinyq/Pipelines/Pipelines.h"
#include "tinyq/Conversion/Passes.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Target/CortexM/Passes.h"
#include "tinyq/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ConvertToLLVM/ToLLVMPass.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/TosaToArith/TosaToArith.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Conversion/TosaToTensor/TosaToTensor.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void tinyq::buildImportToTosaPipeline(OpPassManager &pm,
                                      const ImportToTosaOptions &options) {
  pm.addNestedPass<func::FuncOp>(createTinyQConvertOnnxToTosa());
  pm.addNestedPass<func::FuncOp>(createTinyQConvertTfliteToTosa());
  pm.addNestedPass<func::FuncOp>(createTinyQFuseQDQ());
  if (!options.lowerQuantCasts)
    return;
  // Before any folding, which would fold dcast(qcast(x)) to x.
  pm.addNestedPass<func::FuncOp>(createTinyQLowerQuantCasts());
  // NHWC throughout: ONNX's layout transposes cancel between convolutions.
  pm.addNestedPass<func::FuncOp>(createTinyQSinkTransposes());
  pm.addPass(createCanonicalizerPass());
}

void tinyq::buildTosaToLLVMPipeline(OpPassManager &pm,
                                    const TosaToLLVMOptions &options) {
  // Calibration points are identities once calibration is done.
  pm.addNestedPass<func::FuncOp>(createTinyQStripObserve());
  // The quantize / dequantize at an integer model's boundaries.
  pm.addNestedPass<func::FuncOp>(createTinyQLowerQuantCasts());
  pm.addNestedPass<func::FuncOp>(createTinyQExpandFakeQuant());
  if (options.armDsp) {
    TinyQLowerCortexMOptions arm;
    arm.mve = options.armMve;
    arm.skipZeroActivations = options.armSkipZeroActivations;
    arm.unpackedWeightsLimit = options.armUnpackedWeightsLimit;
    pm.addNestedPass<func::FuncOp>(createTinyQLowerCortexM(arm));
  }
  pm.addNestedPass<func::FuncOp>(createTinyQLowerIntegerOps());
  pm.addNestedPass<func::FuncOp>(createTinyQSignlessIntegers());
  // No TOSA validation pass: it takes the 8 values of a rank-4 tosa.pad's
  // !tosa.shape<8> for a rank above MAX_RANK. The op verifiers still run.
  tosa::addTosaToLinalgPasses(pm, TosaToLinalgOptions(),
                              TosaToLinalgNamedOptions(),
                              /*validationOptions=*/std::nullopt);
  OpPassManager &funcPm = pm.nest<func::FuncOp>();
  funcPm.addPass(createTosaToArithPass());
  funcPm.addPass(createTosaToTensorPass());
  pm.addPass(createCanonicalizerPass());
  // One row of int32 accumulators at a time where layers took the portable
  // lowering.
  pm.addNestedPass<func::FuncOp>(createTinyQTileAccumulations());

  pm.addNestedPass<func::FuncOp>(createTinyQCopyAliasedResults());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // A row written in place is "copied" onto itself through two equal
  // subviews: made one value, tinyq-memref-copy-to-linalg drops the copy.
  pm.addPass(createCSEPass());
  // Results become trailing out-parameters the caller owns; every other
  // buffer lives in the arena, or is freed so that a model can run many
  // times.
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.modifyPublicFunctions = true;
  outParams.hoistStaticAllocs = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  if (options.useArena) {
    TinyQAllocateArenaOptions arena;
    arena.printPlan = options.printArenaPlan;
    arena.skipStart = true;
    pm.addPass(createTinyQAllocateArena(arena));
  } else {
    bufferization::buildBufferDeallocationPipeline(pm);
  }

  if (options.armDsp)
    pm.addNestedPass<func::FuncOp>(createTinyQCombineByteAccesses());
  pm.addPass(createTinyQMemRefCopyToLinalg());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  // Dynamic: index widths from the module's data layout (32 bits on the
  // Cortex-M targets).
  ConvertToLLVMPassOptions toLLVM;
  toLLVM.useDynamic = true;
  pm.addPass(createConvertToLLVMPass(toLLVM));
  pm.addPass(createReconcileUnrealizedCastsPass());
  if (options.armMve) {
    pm.addPass(createTinyQLowerMveGathers());
    pm.addPass(createTinyQChainMveLoads());
  }
}

namespace {
struct TosaToLLVMPipelineOptions
    : PassPipelineOptions<TosaToLLVMPipelineOptions> {
  Option<bool> arena{*this, "arena",
                     llvm::cl::desc("Place all buffers in a trailing arena "
                                    "argument (no malloc)"),
                     llvm::cl::init(false)};
  Option<bool> armDsp{*this, "arm-dsp",
                      llvm::cl::desc("Use the Arm DSP-extension kernels "
                                     "(tinyq-lower-cortex-m)"),
                      llvm::cl::init(false)};
  Option<bool> armMve{*this, "arm-mve",
                      llvm::cl::desc("With arm-dsp, Helium (MVE) dot products "
                                     "where reductions are whole vectors"),
                      llvm::cl::init(false)};
  Option<bool> armSkipZeroActivations{
      *this, "arm-skip-zero-activations",
      llvm::cl::desc("With arm-dsp, fully connected and pointwise layers skip "
                     "the products of zero activations"),
      llvm::cl::init(false)};
  Option<int64_t> armUnpackedWeightsLimit{
      *this, "arm-unpacked-weights-limit",
      llvm::cl::desc("With arm-dsp, int8 layers whose weights take at most "
                     "this many bytes as int16 halves (or as a 2:4 stream) "
                     "are stored so"),
      llvm::cl::init(16384)};
  Option<bool> printArenaPlan{
      *this, "print-arena-plan",
      llvm::cl::desc("With arena, report each buffer's place in the arena as "
                     "a remark"),
      llvm::cl::init(false)};
};
} // namespace

void tinyq::stripFrontendAttributes(ModuleOp module) {
  for (auto func : module.getOps<func::FuncOp>()) {
    func.removeArgAttrsAttr();
    func.removeResAttrsAttr();
    for (NamedAttribute attr : llvm::to_vector(func->getDiscardableAttrs()))
      if (attr.getName().strref().starts_with("tinyq_frontend."))
        func->removeDiscardableAttr(attr.getName());
  }
}

void tinyq::registerPipelines() {
  PassPipelineRegistration<>(
      "tinyq-import-to-tosa",
      "Give imported model nodes their TOSA semantics, fuse pre-quantized "
      "layers and canonicalize",
      [](OpPassManager &pm) { buildImportToTosaPipeline(pm); });
  PassPipelineRegistration<TosaToLLVMPipelineOptions>(
      "tinyq-tosa-to-llvm",
      "Lower TOSA and TinyQ integer ops to the LLVM dialect (bare-pointer "
      "calling convention)",
      [](OpPassManager &pm, const TosaToLLVMPipelineOptions &registered) {
        TosaToLLVMOptions options;
        options.useArena = registered.arena;
        options.armDsp = registered.armDsp;
        options.armMve = registered.armMve;
        options.armSkipZeroActivations = registered.armSkipZeroActivations;
        options.armUnpackedWeightsLimit = registered.armUnpackedWeightsLimit;
        options.printArenaPlan = registered.printArenaPlan;
        buildTosaToLLVMPipeline(pm, options);
      });
}
