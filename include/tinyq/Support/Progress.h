//===- Progress.h - Progress bar for long loops -----------------*- C++ -*-===//
//
// Calibration and evaluation run a model over thousands of samples; users see
// how far they are on stderr when it is a terminal.
//
//===----------------------------------------------------------------------===//

#ifndef TINYQ_SUPPORT_PROGRESS_H
#define TINYQ_SUPPORT_PROGRESS_H

#include <cstdint>
#include <string>

namespace tinyq {

class ProgressBar {
public:
  /// A bar labelled \p label counting to \p total; silent unless stderr is a
  /// terminal.
  ProgressBar(std::string label, int64_t total);
  void update(int64_t done);

private:
  std::string label;
  int64_t total;
  bool enabled;
};

} // namespace tinyq

#endif // TINYQ_SUPPORT_PROGRESS_H
