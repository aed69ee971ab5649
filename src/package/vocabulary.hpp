// The activity vocabulary v1 (spec/data-package.md, activities.csv): which
// keys exist and which units each accepts. `<GAS>` families accept any gas or
// blend name known to the chosen factor sets; the caller supplies that list.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace assay {

enum class ActivityFamily {
  kUnknown,
  kFixed,           // a key of the fixed vocabulary (fuel.diesel.stationary, ...)
  kGas,             // refrigerant.<GAS>, fire_suppression.<GAS>, direct.<GAS>
  kScope3Spend,     // scope3.spend (unit: a currency code)
  kScope3Activity,  // scope3.activity.<key> (unit: per factor)
  kScope3Supplier,  // scope3.supplier_specific
};

struct ActivityKind {
  ActivityFamily family = ActivityFamily::kUnknown;
  std::string_view gas;                 // for kGas: the gas or blend name
  std::vector<std::string_view> units;  // allowed units; empty = see family
};

ActivityKind classify_activity(std::string_view key);

// "L, kg or t" for messages.
std::string join_alternatives(const std::vector<std::string_view>& items);

}  // namespace assay
