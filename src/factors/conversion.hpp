// Converting a record's quantity into the unit a factor needs.
//
// Spec (data-package.md, "How a factor applies"): the record's quantity is
// converted to the unit in the factor's denominator and multiplied; density
// and net calorific value (found by the same resolution as any factor, for
// the record's key, region and year) bridge volume -> mass -> energy when the
// denominator needs it. Within one dimension the scale is a definition
// (src/units). Conversion is linear, so it is computed once per (key, unit,
// region, year) as a multiplier and kept with its steps for the lineage.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "factors/factor_library.hpp"
#include "units/unit.hpp"

namespace assay {

// Resolves through a FactorLibrary and remembers each distinct request, so
// that millions of records share a handful of FactorResolution objects (and
// so that a fallback is reported once per distinct request). Not thread-safe.
class CachedResolver {
 public:
  explicit CachedResolver(const FactorLibrary* lib) : lib_(lib) {}
  std::shared_ptr<const FactorResolution> resolve(const std::string& key,
                                                  const std::string& quantity,
                                                  const std::string& region, int year);
  const FactorLibrary& library() const { return *lib_; }
  // Every distinct resolution made, in request order.
  const std::vector<std::shared_ptr<const FactorResolution>>& all() const { return order_; }

 private:
  const FactorLibrary* lib_;
  std::map<std::tuple<std::string, std::string, std::string, int>,
           std::shared_ptr<const FactorResolution>>
      cache_;
  std::vector<std::shared_ptr<const FactorResolution>> order_;
};

struct ConversionStep {
  std::string text;                                // "1 L -> 0.84 kg (density)"
  std::shared_ptr<const FactorResolution> factor;  // density or ncv used; null for a unit scale
};

struct Conversion {
  bool ok = false;
  double multiplier = 0.0;  // one `from` unit is `multiplier` `to` units
  std::vector<ConversionStep> steps;
  // When !ok: "factor_missing" (with `missing` set) or "unit_mismatch".
  std::string error_code;
  std::string error;
  std::shared_ptr<const FactorResolution> missing;
};

// Multiplier from `from` to `to` for activity `key` in `region`, `year`.
Conversion convert_unit(CachedResolver* resolver, const Unit& from, const Unit& to,
                        const std::string& key, const std::string& region, int year);

// Shortest round-trip text of a double ("0.84", "1e-06").
std::string format_number(double v);

}  // namespace assay
