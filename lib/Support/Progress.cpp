//===- Progress.cpp - Progress bar for long loops -------------------------===//

#include "tinyq/Support/Progress.h"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

using namespace tinyq;

ProgressBar::ProgressBar(std::string label, int64_t total)
    : label(std::move(label)), total(total), enabled(isatty(STDERR_FILENO)) {}

void ProgressBar::update(int64_t done) {
  if (!enabled)
    return;
  constexpr int width = 40;
  int filled = int(width * done / std::max<int64_t>(total, 1));
  std::fprintf(stderr, "\r%s [%s%s] %lld/%lld", label.c_str(),
               std::string(filled, '#').c_str(),
               std::string(width - filled, ' ').c_str(), (long long)done,
               (long long)total);
  if (done == total)
    std::fputc('\n', stderr);
  std::fflush(stderr);
}
