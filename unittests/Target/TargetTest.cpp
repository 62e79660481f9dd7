//===- TargetTest.cpp - TinyQ's target table and #tinyq.target -----------===//
//
// What `--target NAME` resolves to (LLVM's own description of each core's
// features), the backend options each target's code is generated with, and
// the cost models of the table.
//
//===----------------------------------------------------------------------===//

#include "tinyq/Target/Target.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQDialect.h"
#include "tinyq/Target/CostModel.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Target/TargetMachine.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace tinyq;

namespace {
class Targets : public ::testing::Test {
protected:
  Targets() { context.loadDialect<TinyQDialect>(); }

  TargetAttr resolve(StringRef name, StringRef cpu = "",
                     StringRef floatAbi = "") {
    llvm::Expected<TargetAttr> target =
        resolveTarget(&context, name, cpu, floatAbi);
    if (!target) {
      ADD_FAILURE() << llvm::toString(target.takeError());
      return {};
    }
    return *target;
  }

  std::vector<std::string> features(TargetAttr target) {
    std::vector<std::string> names;
    for (Attribute feature : target.getFeatures())
      names.push_back(cast<StringAttr>(feature).str());
    return names;
  }

  std::vector<std::string> backendOptions(TargetAttr target) {
    std::vector<std::string> options;
    for (const BackendOption &option : getBackendOptions(target))
      options.push_back((option.name + "=" + option.value).str());
    return options;
  }

  MLIRContext context;
};
} // namespace

TEST_F(Targets, CortexMCoresHaveTheirExtensions) {
  using Features = std::vector<std::string>;
  // Armv6-M and Armv7-M have neither the DSP extension nor Helium.
  EXPECT_EQ(features(resolve("cortex-m0plus")), Features{});
  EXPECT_EQ(features(resolve("cortex-m3")), Features{});
  for (StringRef core : {"cortex-m4", "cortex-m7", "cortex-m33"})
    EXPECT_EQ(features(resolve(core)), Features{"+dsp"}) << core.str();
  for (StringRef core : {"cortex-m55", "cortex-m85"})
    EXPECT_EQ(features(resolve(core)), (Features{"+dsp", "+mve"}))
        << core.str();
}

TEST_F(Targets, TableGivesTripleCpuAndFloatAbi) {
  TargetAttr m0 = resolve("cortex-m0plus");
  EXPECT_EQ(m0.getTriple(), "thumbv6m-none-eabi");
  EXPECT_EQ(m0.getCpu(), "cortex-m0plus");
  EXPECT_EQ(m0.getFloatAbi(), FloatAbi::Soft);
  TargetAttr m55 = resolve("cortex-m55");
  EXPECT_EQ(m55.getTriple(), "thumbv8.1m.main-none-eabihf");
  EXPECT_EQ(m55.getFloatAbi(), FloatAbi::Hard);
  EXPECT_EQ(resolve("host").getFloatAbi(), FloatAbi::Default);
}

TEST_F(Targets, OverridesReplaceCpuAndFloatAbi) {
  TargetAttr target = resolve("cortex-m4", "cortex-m55", "soft");
  EXPECT_EQ(target.getCpu(), "cortex-m55");
  EXPECT_EQ(target.getTriple(), "thumbv7em-none-eabihf");
  EXPECT_EQ(target.getFloatAbi(), FloatAbi::Soft);
  // The CPU's features, not the table row's.
  EXPECT_TRUE(target.hasFeature("+mve"));
}

TEST_F(Targets, BadNamesAreErrors) {
  auto message = [&](StringRef name, StringRef floatAbi) {
    llvm::Expected<TargetAttr> target =
        resolveTarget(&context, name, "", floatAbi);
    EXPECT_FALSE(target);
    return target ? std::string() : llvm::toString(target.takeError());
  };
  EXPECT_EQ(message("cortex-a53", ""),
            "unknown --target 'cortex-a53' (expected " + getTargetNames() +
                ")");
  EXPECT_EQ(message("cortex-m4", "softfp"),
            "--mfloat-abi must be soft or hard, not 'softfp'");
  EXPECT_EQ(message("host", "hard"),
            "--mfloat-abi applies to the Cortex-M targets");
}

TEST_F(Targets, BackendOptionsFollowCpuAndFeatures) {
  using Options = std::vector<std::string>;
  EXPECT_EQ(backendOptions(resolve("cortex-m4")), Options{});
  EXPECT_EQ(backendOptions(resolve("cortex-m7")),
            (Options{"misched-regpressure=false",
                     "misched-prera-direction=bottomup"}));
  EXPECT_EQ(backendOptions(resolve("cortex-m55")),
            Options{"arm-memtransfer-tploop=force-enabled"});
  EXPECT_EQ(backendOptions(resolve("cortex-m4", "cortex-m7")),
            (Options{"misched-regpressure=false",
                     "misched-prera-direction=bottomup"}));
}

TEST_F(Targets, TargetMachineFollowsTheAttribute) {
  TargetAttr target = resolve("cortex-m33", "", "soft");
  auto machine = createTargetMachine(target);
  ASSERT_TRUE(bool(machine)) << llvm::toString(machine.takeError());
  EXPECT_EQ((*machine)->getTargetTriple().str(), "thumbv8m.main-none-eabihf");
  EXPECT_EQ((*machine)->getTargetCPU(), "cortex-m33");
  EXPECT_EQ((*machine)->Options.FloatABIType, llvm::FloatABI::Soft);
  EXPECT_EQ((*machine)->getRelocationModel(), llvm::Reloc::Static);
  auto host = createTargetMachine(resolve("host"));
  ASSERT_TRUE(bool(host)) << llvm::toString(host.takeError());
  EXPECT_EQ((*host)->getRelocationModel(), llvm::Reloc::PIC_);
}

TEST_F(Targets, CostModelsAreTheMeasuredCores) {
  EXPECT_EQ(getCostModelNames(), "cortex-m4, cortex-m7, cortex-m55");
  ASSERT_NE(lookupCostModel("cortex-m4"), nullptr);
  EXPECT_EQ(lookupCostModel("cortex-m33"), nullptr);
  EXPECT_EQ(lookupCostModel("host"), nullptr);
  // CMSIS-NN 7.0's int8 convolution on the M4, per MAC.
  EXPECT_DOUBLE_EQ(lookupCostModel("cortex-m4")
                       ->estimateCycles(KernelKind::Convolution, 2359296, 8),
                   6077042.0);
}
