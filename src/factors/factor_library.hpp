// FactorLibrary: the factor sets a package chose, in resolution order, and
// the contract's rule for finding a factor (spec/data-package.md, factors.csv).
//
// Order of sets: the user's factor files first (their rows in `factor_files`
// order; each distinct factor_set name is one set, in order of first
// appearance), then the built-in sets in the package's `factor_sets` order.
// A user set is distinct from a built-in set of the same name: a user's row
// always beats a built-in one.
//
// resolve(K, Q, R, Y):
//   1. sets in order; the first set that yields a row wins (even a `*` row);
//   2. within a set, keys from most to least specific (drop dot-segments);
//   3. for a key, regions exact -> country (text before the first '-') -> `*`;
//   4. for a region, years exact -> latest earlier year -> `*`.
// A step past the first choice of 2-4 is a fallback when the chosen set holds
// rows for that key and quantity at the more specific level but not this one
// (a set that only has `*` rows is not a fallback). The returned
// FactorResolution records the steps so a figure's lineage can show them.
//
// Invariants: rows are owned by the library and never move after build, so
// `const FactorRow*` handed out stay valid for the library's lifetime. The
// library is immutable after construction and safe to share between threads.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/records.hpp"
#include "units/diagnostic.hpp"
#include "units/status.hpp"

namespace assay {

// How a factor was found: what was asked, what was used, and whether a step
// fell back (a fallback is warned once per distinct request: `factor_fallback`).
struct FactorResolution {
  // The request.
  std::string key;
  std::string quantity;
  std::string region;
  std::string year;  // "2024" or "*"
  // What was used (valid when `row` is set).
  const FactorRow* row = nullptr;
  std::string set;        // factor_set name of the set that answered
  bool user_set = false;  // from the package's factor files
  bool key_fallback = false;
  bool region_fallback = false;
  bool year_fallback = false;
  // Human-readable trail: "key fuel.diesel.stationary: no rows; key fuel.diesel: region CN-East: no
  // rows ..."
  std::vector<std::string> steps;

  bool found() const { return row != nullptr; }
  bool fallback() const { return key_fallback || region_fallback || year_fallback; }
  // One line: "ipcc2006 fuel.diesel CO2 * * = 74100 kg/TJ (IPCC 2006 ...)".
  std::string citation() const;
};

// A component of a gas or blend: `fraction` kg of `gas` per kg released, with
// that gas's GWP-100 (the gas itself is one component of fraction 1).
struct GasComponent {
  std::string gas;
  double fraction = 1.0;
  double gwp = 0.0;
  const FactorRow* fraction_row = nullptr;  // blend row; null for a plain gas
  std::shared_ptr<const FactorResolution> gwp_resolution;
};

struct GasGwp {
  std::string name;
  bool is_blend = false;
  double gwp = 0.0;  // mass-weighted sum of the components' GWPs
  std::vector<GasComponent> components;
};

class FactorLibrary {
 public:
  FactorLibrary() = default;

  // Built from explicit rows. `user_rows` come first (their set order is the
  // order of first appearance); `builtin_rows` are grouped by factor_set and
  // ordered by `builtin_order` (sets not named there are not used).
  static FactorLibrary from_rows(std::vector<FactorRow> user_rows,
                                 std::vector<FactorRow> builtin_rows,
                                 const std::vector<std::string>& builtin_order);

  // The package's library: user rows, then the built-in sets compiled into the
  // binary (`factors/<set>.csv`) in `set_names` order. An unknown set name or
  // a malformed built-in row is an error Diagnostic in `diags`.
  static FactorLibrary build(const std::vector<FactorRow>& user_rows,
                             const std::vector<std::string>& set_names, DiagnosticSink* diags);

  // Names of the built-in sets compiled into the binary, sorted.
  static std::vector<std::string> builtin_set_names();

  FactorResolution resolve(std::string_view key, std::string_view quantity, std::string_view region,
                           std::string_view year) const;
  FactorResolution resolve(std::string_view key, std::string_view quantity, std::string_view region,
                           int year) const;

  // The emission quantities (gas names or CO2e) that the first set holding
  // any emission row for `key` (or a parent key) gives, in first-row order.
  // Each is then resolved on its own with resolve().
  std::vector<std::string> emission_quantities(std::string_view key) const;

  // GWP-100 of a gas or blend for `year` (quantity `gwp100`; blends from
  // `blend.NAME` rows of the first set that defines NAME). nullopt when the
  // gas, a component, or its GWP is unknown; `missing` then names what.
  std::optional<GasGwp> gwp(std::string_view gas, int year, std::string* missing = nullptr) const;

  // Gas and blend names known to the sets (keys with a `gwp100` row, and NAME
  // of every `blend.NAME`), sorted: the vocabulary of `refrigerant.<GAS>` etc.
  std::vector<std::string> known_gases() const;
  bool is_known_gas(std::string_view name) const;

  // Canonical bytes of every row in resolution order: what the run hash covers.
  std::string fingerprint_bytes() const;

  size_t row_count() const;
  const std::vector<std::string>& set_order() const { return set_names_; }

 private:
  struct SetIndex {
    std::string name;
    bool user = false;
    std::vector<std::unique_ptr<FactorRow>> rows;
    // (key, quantity) -> rows in file order.
    std::map<std::pair<std::string, std::string>, std::vector<const FactorRow*>, std::less<>>
        by_key;
    // key -> quantities in first-row order.
    std::map<std::string, std::vector<std::string>, std::less<>> quantities_of_key;
  };
  static void add_row(SetIndex* set, FactorRow row);
  bool resolve_in_set(const SetIndex& set, std::string_view key, std::string_view quantity,
                      std::string_view region, std::string_view year, FactorResolution* out) const;

  std::vector<std::shared_ptr<SetIndex>> sets_;  // shared: the library is cheap to copy
  std::vector<std::string> set_names_;
};

// Splits "fuel.diesel.stationary" into {"fuel.diesel.stationary", "fuel.diesel", "fuel"}.
std::vector<std::string> key_chain(std::string_view key);
// "CN-East" -> {"CN-East", "CN", "*"}; "CN" -> {"CN", "*"}; "*" -> {"*"}.
std::vector<std::string> region_chain(std::string_view region);
// Quantities that are not emissions: gwp100, ncv, density, coal_equivalent, fraction.
bool is_emission_quantity(std::string_view quantity);

}  // namespace assay
