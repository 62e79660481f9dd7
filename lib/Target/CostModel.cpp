//===- CostModel.cpp - Estimated cycles of a layer per target -------------===//

#include "tinyq/Target/CostModel.h"
#include "tinyq/Target/Target.h"

using namespace tinyq;

double CostModel::estimateCycles(KernelKind kind, int64_t macs,
                                 unsigned weightBits, bool sparq) const {
  auto index = static_cast<unsigned>(kind);
  double perMac = weightBits <= 4 ? int4PerMac[index] : int8PerMac[index];
  if (sparq)
    perMac += sparqExtraPerMac[index];
  return perMac * double(macs);
}

const CostModel *tinyq::lookupCostModel(llvm::StringRef name) {
  const TargetInfo *target = lookupTarget(name);
  return target ? target->costModel : nullptr;
}

std::string tinyq::getCostModelNames() {
  std::string names;
  for (const TargetInfo &target : getTargets()) {
    if (!target.costModel)
      continue;
    if (!names.empty())
      names += ", ";
    names += target.name.str();
  }
  return names;
}
