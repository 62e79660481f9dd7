//===- AttributesTest.cpp - tinyq attributes through the C++ API ----------===//
//
// Verifier rules that the textual parser cannot reach (it rejects NaN and
// missing nested attributes before the verifier runs), checked through
// getChecked, plus the numerics bridge.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Dialect/TinyQ/IR/TinyQAttrs.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQDialect.h"
#include "tinyq/Dialect/TinyQ/Utils/NumericsBridge.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <limits>

using namespace mlir;
using namespace tinyq;

namespace {
class TinyQAttributes : public ::testing::Test {
protected:
  TinyQAttributes()
      : handler(&context, [this](Diagnostic &diag) {
          messages.push_back(diag.str());
          return success();
        }) {
    context.loadDialect<TinyQDialect>();
  }

  function_ref<InFlightDiagnostic()> emitter() {
    emit = [this] { return mlir::emitError(UnknownLoc::get(&context)); };
    return emit;
  }

  PrecisionAttr int4() {
    return PrecisionAttr::get(&context, 4, 8, Granularity::PerChannel,
                              SparqAttr());
  }

  MLIRContext context;
  ScopedDiagnosticHandler handler;
  std::vector<std::string> messages;
  std::function<InFlightDiagnostic()> emit;
};
} // namespace

TEST_F(TinyQAttributes, CandidateNeedsAPrecision) {
  auto attr = CandidateAttr::getChecked(emitter(), &context, PrecisionAttr(),
                                        APFloat(1.0), APFloat(1.0),
                                        APFloat(1.0), APFloat(1.0));
  EXPECT_FALSE(attr);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0], "a candidate needs a precision");
}

TEST_F(TinyQAttributes, CandidateRejectsNaNSqnr) {
  APFloat nan = APFloat::getNaN(APFloat::IEEEdouble());
  auto attr =
      CandidateAttr::getChecked(emitter(), &context, int4(), nan, APFloat(1.0),
                                APFloat(1.0), APFloat(1.0));
  EXPECT_FALSE(attr);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0], "weight SQNR is NaN");
}

TEST_F(TinyQAttributes, CandidateAcceptsInfiniteSqnr) {
  APFloat inf = APFloat::getInf(APFloat::IEEEdouble());
  auto attr =
      CandidateAttr::getChecked(emitter(), &context, int4(), inf, APFloat(0.0),
                                APFloat(-inf), APFloat(0.5));
  EXPECT_TRUE(attr);
  EXPECT_TRUE(messages.empty());
}

TEST_F(TinyQAttributes, SensitivityRejectsNullCandidate) {
  auto attr = SensitivityAttr::getChecked(emitter(), &context,
                                          ArrayRef<CandidateAttr>{{}});
  EXPECT_FALSE(attr);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0], "candidate #0 is null");
}

TEST_F(TinyQAttributes, RangeRejectsNaN) {
  APFloat nan = APFloat::getNaN(APFloat::IEEEdouble());
  auto attr = RangeAttr::getChecked(emitter(), &context, nan, APFloat(1.0),
                                    /*samples=*/uint64_t(0));
  EXPECT_FALSE(attr);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0], "range bounds must be finite, got [nan, 1]");
}

TEST_F(TinyQAttributes, SparqBridgeBuildsTheShiftMask) {
  SparqAttr attr =
      SparqAttr::get(&context, 4, {0, 2, 4}, SparqRounding::NearestEven, true);
  numerics::SparqConfig config = getSparqConfig(attr);
  EXPECT_EQ(config.windowBits, 4u);
  EXPECT_EQ(config.shiftMask, 0b10101);
  EXPECT_EQ(config.rounding, numerics::SparqRounding::NearestEven);
  EXPECT_TRUE(config.pairs);
}

TEST_F(TinyQAttributes, StorageRangeHonoursNarrowTypes) {
  auto i8 = IntegerType::get(&context, 8);
  auto f32 = Float32Type::get(&context);
  auto narrow = quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed, i8, f32, 0.5, 0, -127, 127);
  numerics::IntegerRange range = getStorageRange(narrow);
  EXPECT_EQ(range.min, -127);
  EXPECT_EQ(range.max, 127);
  numerics::IntegerRange i4 = getSignedRange(IntegerType::get(&context, 4));
  EXPECT_EQ(i4.min, -8);
  EXPECT_EQ(i4.max, 7);
}
