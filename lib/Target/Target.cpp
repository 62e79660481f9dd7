//===- Target.cpp - The machines TinyQ compiles for -----------------------===//

#include "tinyq/Target/Target.h"
#include "tinyq/Dialect/TinyQ/IR/TinyQDialect.h"
#include "tinyq/Target/CostModel.h"

#include "mlir/Dialect/DLTI/DLTI.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>

using namespace mlir;
using namespace tinyq;

namespace {
// Until TinyQ's own Cortex-M kernels are measured against every layer kind
// (issue 7), the figures are those of the reference library there:
// CMSIS-NN 7.0's instructions per MAC on the MLPerf Tiny layers of issue
// 7's table (conv 3x3 16->16 at 32x32, pointwise 64->64 at 25x5, depthwise
// 3x3 64 channels at 25x5, fully connected 640->128), with int8 and int4
// weights; e.g. the M4's int8 conv is 6,077,042 instructions / 2,359,296
// MACs. SPARQ's extra cost is TinyQ's own: on the same layers, the
// instructions of the int8 layer with SPARQ activations minus those
// without, over the MACs, counted in QEMU by `bench/cortex_m_layers.py`
// (2026-11-22, docs/results/cortex-m-layers.md). Depthwise SPARQ is dear:
// its pairs run across taps, so the lowering materializes every window;
// SPARQ fully connected and pointwise layers also leave the DSP kernels for
// the portable code.
constexpr CostModel kCortexM4Costs = {
    {6077042.0 / 2359296, 1303135.0 / 512000, 661743.0 / 72000,
     180106.0 / 81920},
    {9108048.0 / 2359296, 1887214.0 / 512000, 1075649.0 / 72000,
     333762.0 / 81920},
    {(11292081.0 - 10518600) / 2359296, (3001272.0 - 1433831) / 512000,
     (4921029.0 - 709638) / 72000, (375331.0 - 144569) / 81920}};
constexpr CostModel kCortexM7Costs = {
    {5512854.0 / 2359296, 1339997.0 / 512000, 675444.0 / 72000,
     169800.0 / 81920},
    {9003405.0 / 2359296, 1978842.0 / 512000, 992399.0 / 72000,
     333339.0 / 81920},
    {(11270642.0 - 10520716) / 2359296, (3000524.0 - 1319887) / 512000,
     (4929438.0 - 729640) / 72000, (375334.0 - 157403) / 81920}};
constexpr CostModel kCortexM55Costs = {
    {896855.0 / 2359296, 200782.0 / 512000, 162547.0 / 72000, 14370.0 / 81920},
    {1064602.0 / 2359296, 299109.0 / 512000, 201083.0 / 72000, 27499.0 / 81920},
    {(10957435.0 - 10322444) / 2359296, (2559729.0 - 1039210) / 512000,
     (4033118.0 - 425212) / 72000, (343868.0 - 86161) / 81920}};

constexpr TargetInfo kTargets[] = {
    {"cortex-m0plus", "thumbv6m-none-eabi", "cortex-m0plus", false, nullptr},
    {"cortex-m3", "thumbv7m-none-eabi", "cortex-m3", false, nullptr},
    {"cortex-m4", "thumbv7em-none-eabihf", "cortex-m4", true, &kCortexM4Costs},
    {"cortex-m7", "thumbv7em-none-eabihf", "cortex-m7", true, &kCortexM7Costs},
    {"cortex-m33", "thumbv8m.main-none-eabihf", "cortex-m33", true, nullptr},
    {"cortex-m55", "thumbv8.1m.main-none-eabihf", "cortex-m55", true,
     &kCortexM55Costs},
    {"cortex-m85", "thumbv8.1m.main-none-eabihf", "cortex-m85", true, nullptr},
    // Linux ELF objects. AVX2 (x86-64-v3) is the x86-64 baseline of the
    // last decade's CPUs; --mcpu x86-64 or x86-64-v2 for older ones.
    {"x86_64", "x86_64-unknown-linux-gnu", "x86-64-v3", true, nullptr},
    {"aarch64", "aarch64-unknown-linux-gnu", "cortex-a53", true, nullptr},
};

/// The CPU features TinyQ's kernels (and the ones to come) choose by, per
/// architecture; a target records those its CPU has.
constexpr llvm::StringLiteral kArmFeatures[] = {"+dsp", "+mve"};
constexpr llvm::StringLiteral kX86Features[] = {
    "+sse4.1",     "+avx2",    "+avx512f", "+avx512bw",
    "+avx512vnni", "+avxvnni", "+amx-int8"};
constexpr llvm::StringLiteral kAArch64Features[] = {"+neon", "+dotprod",
                                                    "+i8mm"};

llvm::ArrayRef<llvm::StringLiteral> getKernelFeatures(const llvm::Triple &t) {
  if (t.isARM() || t.isThumb())
    return kArmFeatures;
  if (t.isX86())
    return kX86Features;
  if (t.isAArch64())
    return kAArch64Features;
  return {};
}

/// A backend option applied to the code of the CPUs named \p cpu (any when
/// empty) that have feature \p feature (any when empty).
struct BackendOptionRule {
  llvm::StringLiteral cpu, feature;
  BackendOption option;
};

constexpr BackendOptionRule kBackendOptionRules[] = {
    // The dual-issue M7 scheduled for latency rather than register pressure
    // (docs/CortexM.md, "M7 scheduling").
    {"cortex-m7", "", {"misched-regpressure", "false"}},
    {"cortex-m7", "", {"misched-prera-direction", "bottomup"}},
    // Helium cores copy and fill memory with tail-predicated vector loops
    // (docs/CortexM.md, "Memory copies on Helium").
    {"", "+mve", {"arm-memtransfer-tploop", "force-enabled"}},
};
} // namespace

llvm::ArrayRef<TargetInfo> tinyq::getTargets() { return kTargets; }

const TargetInfo *tinyq::lookupTarget(StringRef name) {
  for (const TargetInfo &target : kTargets)
    if (target.name == name)
      return &target;
  return nullptr;
}

std::string tinyq::getTargetNames() {
  std::string names = "host";
  for (const TargetInfo &target : kTargets)
    names += (&target == &kTargets[std::size(kTargets) - 1] ? " or " : ", ") +
             target.name.str();
  return names;
}

/// Registers LLVM's targets, once per process.
static void initializeLLVMTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
  });
}

/// Checks `--mattr` \p features: comma-separated entries, each `+` or `-`
/// and a feature \p subtarget's architecture has.
static llvm::Error checkFeatureList(StringRef features,
                                    const llvm::MCSubtargetInfo &subtarget,
                                    StringRef triple) {
  SmallVector<StringRef> entries;
  features.split(entries, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef entry : entries) {
    StringRef name = entry.drop_front();
    if (!entry.starts_with("+") && !entry.starts_with("-"))
      return llvm::createStringError("--mattr entry '" + entry +
                                     "' must start with + or -");
    if (!llvm::any_of(subtarget.getAllProcessorFeatures(),
                      [&](const llvm::SubtargetFeatureKV &known) {
                        return name == known.Key;
                      }))
      return llvm::createStringError("--mattr: '" + name +
                                     "' is not a feature of " + triple);
  }
  return llvm::Error::success();
}

llvm::Expected<TargetAttr> tinyq::resolveTarget(MLIRContext *context,
                                                StringRef name, StringRef cpu,
                                                StringRef floatAbi,
                                                StringRef featureList) {
  initializeLLVMTargets();
  std::string triple, cpuName;
  FloatAbi abi = FloatAbi::Default;
  const TargetInfo *info = lookupTarget(name);
  bool native = (name == "host" && cpu.empty()) || cpu == "native";
  if (name == "host") {
    triple = llvm::sys::getDefaultTargetTriple();
    cpuName = llvm::sys::getHostCPUName().str();
  } else if (info) {
    triple = info->triple.str();
    cpuName = info->cpu.str();
  } else {
    return llvm::createStringError("unknown --target '" + name +
                                   "' (expected " + getTargetNames() + ")");
  }
  llvm::Triple llvmTriple(triple);
  bool isArm = llvmTriple.isARM() || llvmTriple.isThumb();
  if (info && isArm)
    abi = info->hasFpu ? FloatAbi::Hard : FloatAbi::Soft;
  if (cpu == "native") {
    llvm::Triple host(llvm::sys::getDefaultTargetTriple());
    if (host.getArch() != llvmTriple.getArch())
      return llvm::createStringError(
          "--mcpu native names this machine's CPU, a " + host.getArchName() +
          ", not one of " + triple);
    cpuName = llvm::sys::getHostCPUName().str();
  } else if (!cpu.empty()) {
    cpuName = cpu.str();
  }
  if (!floatAbi.empty()) {
    if (floatAbi != "soft" && floatAbi != "hard")
      return llvm::createStringError(
          "--mfloat-abi must be soft or hard, not '" + floatAbi + "'");
    if (!isArm)
      return llvm::createStringError(
          "--mfloat-abi applies to the Cortex-M targets");
    abi = floatAbi == "hard" ? FloatAbi::Hard : FloatAbi::Soft;
  }
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(llvmTriple, error);
  if (!llvmTarget)
    return llvm::createStringError(error);
  // A CPU LLVM does not know is ignored (LLVM warns when it makes the code
  // generator): the generic CPU's features then.
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      llvmTarget->createMCSubtargetInfo(llvmTriple, "", /*Features=*/""));
  if (!subtarget)
    return llvm::createStringError("cannot describe CPU '" + cpuName +
                                   "' of '" + triple + "'");
  if (llvm::Error error = checkFeatureList(featureList, *subtarget, triple))
    return std::move(error);
  std::string knownCpu = subtarget->isCPUStringValid(cpuName) ? cpuName : "";
  // This machine's CPU: LLVM names the model, which may lack features
  // this CPU has (a virtual CPU reported as an older model) or have some
  // it lacks; the kernel features are the ones the CPU reports.
  std::string nativeFeatures;
  if (native) {
    subtarget.reset(llvmTarget->createMCSubtargetInfo(llvmTriple, knownCpu,
                                                      /*Features=*/""));
    llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
    for (StringRef feature : getKernelFeatures(llvmTriple)) {
      bool has = host.lookup(feature.drop_front());
      if (has != subtarget->checkFeatures(feature))
        nativeFeatures += (has ? "+" : "-") + feature.drop_front().str() + ",";
    }
  }
  std::string allFeatures = nativeFeatures + featureList.str();
  featureList = allFeatures;
  subtarget.reset(
      llvmTarget->createMCSubtargetInfo(llvmTriple, knownCpu, featureList));
  if (!subtarget)
    return llvm::createStringError("cannot describe CPU '" + cpuName +
                                   "' of '" + triple + "'");
  context->getOrLoadDialect<TinyQDialect>();
  Builder builder(context);
  SmallVector<Attribute> features;
  for (StringRef feature : getKernelFeatures(llvmTriple))
    if (subtarget->checkFeatures(feature))
      features.push_back(builder.getStringAttr(feature));
  // The --mattr entries the kernel features do not say (removals, other
  // features) go to the code generator too.
  SmallVector<StringRef> entries;
  featureList.split(entries, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef entry : entries) {
    Attribute attr = builder.getStringAttr(entry);
    if (!llvm::is_contained(features, attr))
      features.push_back(attr);
  }
  return TargetAttr::get(context, cpuName, triple,
                         builder.getArrayAttr(features), abi);
}

SmallVector<BackendOption> tinyq::getBackendOptions(TargetAttr target) {
  SmallVector<BackendOption> options;
  for (const BackendOptionRule &rule : kBackendOptionRules)
    if ((rule.cpu.empty() || rule.cpu == target.getCpu()) &&
        (rule.feature.empty() || target.hasFeature(rule.feature)))
      options.push_back(rule.option);
  return options;
}

/// Sets LLVM's command-line option \p name to \p value unless the user gave
/// it (on the tool's command line).
static void setDefaultBackendOption(StringRef name, StringRef value) {
  auto &options = llvm::cl::getRegisteredOptions();
  auto option = options.find(name);
  if (option != options.end() && option->second->getNumOccurrences() == 0)
    option->second->addOccurrence(/*pos=*/0, option->first, value);
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
tinyq::createTargetMachine(TargetAttr target) {
  initializeLLVMTargets();
  llvm::Triple triple(target.getTriple());
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget)
    return llvm::createStringError(error);
  llvm::TargetOptions options;
  if (target.getFloatAbi() != FloatAbi::Default)
    options.FloatABIType = target.getFloatAbi() == FloatAbi::Hard
                               ? llvm::FloatABI::Hard
                               : llvm::FloatABI::Soft;
  // Bare-metal code is linked at fixed addresses; host objects may go into
  // shared libraries.
  bool bareMetal = triple.getOS() == llvm::Triple::UnknownOS;
  // The features the attribute lists are implied by its CPU or came from
  // --mattr; the code generator takes them all.
  std::string features;
  for (Attribute feature : target.getFeatures())
    features += (features.empty() ? "" : ",") +
                cast<StringAttr>(feature).getValue().str();
  std::unique_ptr<llvm::TargetMachine> machine(llvmTarget->createTargetMachine(
      triple, target.getCpu(), features, options,
      bareMetal ? llvm::Reloc::Static : llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError("cannot create a code generator for '" +
                                   triple.str() + "'");
  // LLVM reads these as process-wide options, which only the code generator
  // of this target uses: tools compile for one target per run.
  for (const BackendOption &option : getBackendOptions(target))
    setDefaultBackendOption(option.name, option.value);
  return std::move(machine);
}

void tinyq::attachTarget(ModuleOp module, TargetAttr target) {
  MLIRContext *context = module.getContext();
  module->setAttr(TargetAttr::kAttrName, target);
  // Index arithmetic (loop counters, addresses) as wide as the target's
  // pointers: on 32-bit cores, not in pairs of registers.
  llvm::Triple triple(target.getTriple());
  unsigned pointerBits = triple.isArch64Bit()   ? 64
                         : triple.isArch32Bit() ? 32
                                                : 16;
  context->getOrLoadDialect<DLTIDialect>();
  auto indexWidth = DataLayoutEntryAttr::get(
      IndexType::get(context),
      IntegerAttr::get(IntegerType::get(context, 64), pointerBits));
  module->setAttr(DLTIDialect::kDataLayoutAttrName,
                  DataLayoutSpecAttr::get(context, {indexWidth}));
}
