//===- TinyQAttrs.cpp - TinyQ attributes ----------------------------------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQDialect.h"
#include "tinyq/Numerics/Sparq.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace tinyq;

#include "tinyq/Dialect/TinyQ/IR/TinyQEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.cpp.inc"

void TinyQDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Float parameters
//===----------------------------------------------------------------------===//

FailureOr<APFloat> tinyq::detail::parseF64(AsmParser &parser) {
  SMLoc loc = parser.getCurrentLocation();
  bool negative = succeeded(parser.parseOptionalMinus());
  if (succeeded(parser.parseOptionalKeyword("inf")))
    return APFloat::getInf(APFloat::IEEEdouble(), negative);
  APFloat value(0.0);
  if (parser.parseFloat(APFloat::IEEEdouble(), value))
    return failure();
  if (value.isNaN())
    return parser.emitError(loc, "NaN is not a valid value here");
  if (negative)
    value.changeSign();
  return value;
}

void tinyq::detail::printF64(AsmPrinter &printer, const APFloat &value) {
  if (value.isInfinity()) {
    printer << (value.isNegative() ? "-inf" : "inf");
    return;
  }
  printer.printFloat(value);
}

//===----------------------------------------------------------------------===//
// Verifiers
//===----------------------------------------------------------------------===//

/// Shortest readable form of a double for diagnostics ("2", "0.1", "inf").
static std::string formatDouble(double value) {
  return llvm::formatv("{0}", llvm::format("%g", value)).str();
}

LogicalResult SparqAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                unsigned bits, ArrayRef<int64_t> shifts,
                                SparqRounding, bool) {
  std::string problem =
      numerics::verifySparqShifts(bits, {shifts.data(), shifts.size()});
  if (!problem.empty())
    return emitError() << "invalid SPARQ configuration: " << problem;
  return success();
}

static constexpr unsigned kMinBits = 2;
static constexpr unsigned kMaxBits = 8;

LogicalResult
PrecisionAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      unsigned weightBits, unsigned activationBits, Granularity,
                      SparqAttr sparq) {
  if (weightBits < kMinBits || weightBits > kMaxBits)
    return emitError() << "weight bit width " << weightBits
                       << " is outside [2, 8]";
  if (activationBits < kMinBits || activationBits > kMaxBits)
    return emitError() << "activation bit width " << activationBits
                       << " is outside [2, 8]";
  if (sparq && activationBits != 8)
    return emitError() << "a SPARQ configuration needs 8-bit activations, got "
                       << activationBits << " bits";
  return success();
}

LogicalResult RangeAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                APFloat minValue, APFloat maxValue, uint64_t) {
  double min = minValue.convertToDouble();
  double max = maxValue.convertToDouble();
  if (!std::isfinite(min) || !std::isfinite(max))
    return emitError() << "range bounds must be finite, got ["
                       << formatDouble(min) << ", " << formatDouble(max) << "]";
  if (min > max)
    return emitError() << "range minimum " << formatDouble(min)
                       << " exceeds maximum " << formatDouble(max);
  return success();
}

LogicalResult
CandidateAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      PrecisionAttr precision, APFloat weightSqnr,
                      APFloat weightMse, APFloat activationSqnr,
                      APFloat activationMse) {
  if (!precision)
    return emitError() << "a candidate needs a precision";
  for (auto [name, mse] :
       {std::pair{"weight", weightMse.convertToDouble()},
        std::pair{"activation", activationMse.convertToDouble()}})
    if (!std::isfinite(mse) || mse < 0)
      return emitError() << name << " MSE must be finite and non-negative, got "
                         << formatDouble(mse);
  // SQNRs may be +inf (no error) or -inf (a zero signal); the parser already
  // rejects NaN, this also guards attributes built in C++.
  for (auto [name, sqnr] : {std::pair{"weight", &weightSqnr},
                            std::pair{"activation", &activationSqnr}})
    if (sqnr->isNaN())
      return emitError() << name << " SQNR is NaN";
  return success();
}

LogicalResult
SensitivityAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        ArrayRef<CandidateAttr> candidates) {
  if (candidates.empty())
    return emitError() << "a sensitivity record needs at least one candidate";
  for (auto [index, candidate] : llvm::enumerate(candidates)) {
    if (!candidate)
      return emitError() << "candidate #" << index << " is null";
    for (CandidateAttr earlier : candidates.take_front(index))
      if (earlier.getPrecision() == candidate.getPrecision())
        return emitError() << "candidate #" << index
                           << " repeats the precision "
                           << candidate.getPrecision();
  }
  return success();
}

LogicalResult TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 StringRef cpu, StringRef triple,
                                 ArrayAttr features, FloatAbi) {
  if (cpu.empty() || triple.empty())
    return emitError() << "a target needs a CPU and a triple";
  for (Attribute feature : features) {
    auto name = dyn_cast<StringAttr>(feature);
    if (!name || name.getValue().size() < 2 ||
        !(name.getValue().starts_with("+") || name.getValue().starts_with("-")))
      return emitError() << "target features are strings starting with '+' "
                            "or '-', got "
                         << feature;
  }
  return success();
}

TargetAttr TargetAttr::lookup(Operation *op) {
  for (; op; op = op->getParentOp())
    if (auto target = op->getAttrOfType<TargetAttr>(kAttrName))
      return target;
  return {};
}

bool TargetAttr::hasFeature(StringRef feature) const {
  return llvm::any_of(getFeatures(), [&](Attribute attr) {
    return cast<StringAttr>(attr).getValue() == feature;
  });
}
