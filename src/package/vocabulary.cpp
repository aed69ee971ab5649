#include "package/vocabulary.hpp"

#include <array>

namespace assay {
namespace {

struct FixedKey {
  std::string_view key;
  std::vector<std::string_view> units;
};

const std::vector<FixedKey>& fixed_keys() {
  static const std::vector<FixedKey> keys = {
      {"fuel.gasoline.mobile", {"L", "kg", "t"}},
      {"fuel.diesel.mobile", {"L", "kg", "t"}},
      {"fuel.diesel.stationary", {"L", "kg", "t"}},
      {"fuel.natural_gas.stationary", {"m3", "GJ"}},
      {"fuel.lpg.stationary", {"kg", "t"}},
      {"electricity.grid", {"kWh", "MWh"}},
      {"electricity.onsite_renewable", {"kWh", "MWh"}},
      {"heat.purchased", {"GJ", "MWh"}},
      {"it_energy", {"kWh", "MWh"}},
      {"water.withdrawal", {"m3", "t"}},
      {"waste.nonhazardous", {"t"}},
      {"waste.hazardous", {"t"}},
      {"ewaste.reused", {"t"}},
      {"ewaste.recycled", {"t"}},
      {"scope3.supplier_specific", {"tCO2e", "kgCO2e"}},
  };
  return keys;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

ActivityKind classify_activity(std::string_view key) {
  for (const auto& k : fixed_keys()) {
    if (k.key == key) {
      ActivityKind kind{ActivityFamily::kFixed, {}, k.units};
      if (key == "scope3.supplier_specific") kind.family = ActivityFamily::kScope3Supplier;
      return kind;
    }
  }
  if (key == "scope3.spend") return {ActivityFamily::kScope3Spend, {}, {}};
  static constexpr std::array<std::string_view, 3> kGasPrefixes = {"refrigerant.",
                                                                   "fire_suppression.", "direct."};
  for (auto prefix : kGasPrefixes) {
    if (starts_with(key, prefix) && key.size() > prefix.size()) {
      return {ActivityFamily::kGas, key.substr(prefix.size()), {"kg", "t"}};
    }
  }
  if (starts_with(key, "scope3.activity.") && key.size() > 16) {
    return {ActivityFamily::kScope3Activity, {}, {}};
  }
  return {};
}

std::string join_alternatives(const std::vector<std::string_view>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

}  // namespace assay
