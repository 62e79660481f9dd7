//===- DebugOptions.h - Debug output and statistics in tools --*- C++ -*-===//
//
// LLVM registers -debug and -debug-only only in builds with assertions, and
// Debian's LLVM has none; its -stats then prints "Statistics are disabled".
// TinyQ's tools register what is missing themselves: --tinyq-stats in every
// build (TinyQ's counters are ALWAYS_ENABLED_STATISTIC), -debug and
// -debug-only when TinyQ is built with assertions
// (-DTINYQ_ENABLE_ASSERTIONS=ON), which compiles its LLVM_DEBUG output in.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_TOOLS_DEBUGOPTIONS_H
#define TINYQ_TOOLS_DEBUGOPTIONS_H

namespace llvm::cl {
class OptionCategory;
} // namespace llvm::cl

namespace tinyq {
/// Registers --tinyq-stats (in `category` when given, so that a tool that
/// hides unrelated options still lists it), which prints the statistics at
/// llvm_shutdown, and, in a build with assertions whose LLVM has not
/// registered them, -debug and -debug-only. Call once, before the command
/// line is parsed.
void registerDebugOptions(llvm::cl::OptionCategory *category = nullptr);
} // namespace tinyq

#endif // TINYQ_TOOLS_DEBUGOPTIONS_H
