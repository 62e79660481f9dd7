//===- SensitivityReport.h - Printed sensitivity tables ---------*- C++ -*-===//
//
// The tables `tinyq-compile --emit=calibrated --sensitivity` and
// `--exhaustive-sensitivity` print.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_COMPILER_SENSITIVITYREPORT_H
#define TINYQ_COMPILER_SENSITIVITYREPORT_H

#include "tinyq/Calibration/Sensitivity.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace tinyq {

/// Prints the sensitivity record of every annotated layer of \p module.
void printSensitivity(mlir::ModuleOp module, const SensitivityReport &report,
                      llvm::raw_ostream &os);

/// Prints the single-layer SQNR of every layer and, when the two-inference
/// records are there too, the Spearman correlation of the layer order by
/// the assignment's score (sum of the ranks by the 4-bit candidate's
/// activation and weight SQNR) with the order by single-layer SQNR.
void printSingleLayerSensitivity(mlir::ModuleOp module,
                                 const SensitivityReport &report,
                                 llvm::raw_ostream &os);

} // namespace tinyq

#endif // TINYQ_COMPILER_SENSITIVITYREPORT_H
