//===- DebugOptions.cpp - Debug output and statistics in TinyQ's tools ----===//

#include "tinyq/Tools/DebugOptions.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/ManagedStatic.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

using namespace llvm;

namespace {
/// Prints the statistics when llvm_shutdown destroys it. Constructed right
/// after LLVM's registry of statistics, it is destroyed right before it:
/// ManagedStatics die in the reverse order of their construction, and the
/// tools' InitLLVM (inside MlirOptMain for tinyq-opt) calls llvm_shutdown
/// last thing.
struct StatisticsPrinter {
  ~StatisticsPrinter() { PrintStatistics(errs()); }
};
} // namespace

static ManagedStatic<StatisticsPrinter> statisticsPrinter;

void tinyq::registerDebugOptions(cl::OptionCategory *category) {
  static cl::opt<bool> stats(
      "tinyq-stats",
      cl::desc("Print the statistics TinyQ's passes count (kernels chosen, "
               "layers left to the portable lowering, ...) on exit"),
      cl::callback([](const bool &on) {
        if (!on)
          return;
        EnableStatistics(/*DoPrintOnExit=*/false);
        // Constructs the registry first (see StatisticsPrinter).
        (void)GetStatistics();
        (void)*statisticsPrinter;
      }));
  if (category)
    stats.addCategory(*category);
#ifndef NDEBUG
  // An LLVM built with assertions has its own: registering again would
  // abort.
  if (cl::getRegisteredOptions().count("debug-only"))
    return;
  static cl::opt<bool, /*ExternalStorage=*/true> debug(
      "debug", cl::desc("Print the debug output of every pass"), cl::Hidden,
      cl::location(DebugFlag));
  // Every type named so far, as setCurrentDebugTypes replaces the list.
  static std::vector<std::string> types;
  static cl::list<std::string> debugOnly(
      "debug-only",
      cl::desc("Print the debug output of the named debug types only "
               "(a pass's DEBUG_TYPE is its flag)"),
      cl::Hidden, cl::CommaSeparated, cl::value_desc("debug type"),
      cl::callback([](const std::string &type) {
        types.push_back(type);
        std::vector<const char *> names;
        for (const std::string &name : types)
          names.push_back(name.c_str());
        setCurrentDebugTypes(names.data(), names.size());
        DebugFlag = true;
      }));
#endif
}
