//===- Pipelines.cpp - TinyQ's pass pipelines -----------------------------===//

#include "tinyq/Pipelines/Pipelines.h"
#include "tinyq/Conversion/Passes.h"
#include "tinyq/Dialect/TinyQ/Transforms/Passes.h"
#include "tinyq/Target/CortexM/Passes.h"
#include "tinyq/Target/X86/Passes.h"
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
  // The target's kernels first; what they leave, the portable lowering.
  TinyQLowerCortexMOptions cortexM;
  cortexM.skipZeroActivations = options.skipZeroActivations;
  cortexM.unpackedWeightsLimit = options.unpackedWeightsLimit;
  pm.addNestedPass<func::FuncOp>(createTinyQLowerCortexM(cortexM));
  pm.addNestedPass<func::FuncOp>(createTinyQLowerX86());
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
  if (options.arena) {
    TinyQAllocateArenaOptions arena;
    arena.printPlan = options.printArenaPlan;
    arena.skipStart = true;
    pm.addPass(createTinyQAllocateArena(arena));
  } else {
    bufferization::buildBufferDeallocationPipeline(pm);
  }

  pm.addNestedPass<func::FuncOp>(createTinyQCombineByteAccesses());
  pm.addNestedPass<func::FuncOp>(createTinyQLowerVectorTransfers());
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
  pm.addPass(createTinyQLowerMveGathers());
  pm.addPass(createTinyQChainMveLoads());
}

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
  PassPipelineRegistration<TosaToLLVMOptions>(
      "tinyq-tosa-to-llvm",
      "Lower TOSA and TinyQ integer ops to the LLVM dialect (bare-pointer "
      "calling convention), with the kernels of the module's #tinyq.target",
      buildTosaToLLVMPipeline);
}
