// Lineage: how every figure was made, down to records, factors and their
// citations (DESIGN.md: "every number that leaves the engine can be explained").
//
// A figure's root is a Contribution tree. Invariant a caller may rely on: for
// every node with children, value == scale * sum(children values) (up to
// floating-point rounding), so the leaves, each multiplied by the scales of
// its ancestors, sum to the root. `scale` is 1 for sums and 1/denominator
// (or 100/denominator) for ratios and shares. Nodes are immutable and shared:
// the same record leaf appears under ghg.scope1, its site and its gas.
//
// How a unit of a record becomes the figure's unit is a Method, shared by all
// records with the same (activity, unit, region, year): the per-unit value,
// its terms (one per gas or factor) with the factor resolutions used and the
// conversion steps. A record leaf's value = quantity in the year * per_unit
// (market-based scope 2 leaves instead take their share of the site's split).
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "factors/conversion.hpp"
#include "factors/factor_library.hpp"
#include "model/records.hpp"

namespace assay {

struct MethodTerm {
  std::string label;      // "CO2", "CH4", "HFC-32 (R-410A)", "CO2e", "energy", ...
  double per_unit = 0.0;  // figure unit per record unit from this term
  // Factor rows used, in the order applied (emission factor, blend fraction, GWP...).
  std::vector<std::shared_ptr<const FactorResolution>> factors;
  std::vector<ConversionStep> steps;
  std::string note;  // "x GWP 273", "blend fraction 0.5 kg/kg"
};

struct Method {
  std::string from_unit;  // the record's unit
  std::string to_unit;    // the figure's unit
  double per_unit = 0.0;  // sum of the terms
  std::vector<MethodTerm> terms;
};

// One instrument's cover of one site's grid electricity in one year.
struct InstrumentAllocation {
  const Instrument* instrument = nullptr;
  std::string site_id;
  std::string step;  // "site instrument", "pool CN-East", "pool CN"
  double mwh = 0.0;
  double emission_factor = 0.0;  // tCO2e/MWh
};

// Market-based split of one site's grid electricity in one year.
struct MarketSplit {
  std::string site_id;
  int year = 0;
  double grid_mwh = 0.0;
  std::vector<InstrumentAllocation> allocations;
  double residual_mwh = 0.0;
  std::shared_ptr<const Method> residual_method;  // residual mix, or grid with a warning
  bool residual_is_grid = false;
  double emissions = 0.0;  // tCO2e of the grid electricity (heat not included)
};

// One record's contribution to one figure. Compact, because a package may
// have millions: the method and market split are shared and owned by the
// LineageStore that the enclosing Contribution keeps alive.
struct RecordLeaf {
  const ActivityRecord* record = nullptr;
  const Method* method = nullptr;       // record unit -> figure unit (or -> MWh for market leaves)
  const MarketSplit* market = nullptr;  // market-based scope 2 / category 8 leaves
  double value = 0.0;                   // in the figure's unit
  int32_t year = 0;
};

// Part of a record's period (inclusive) that falls in `year`, by days; the
// record's quantity in the year is quantity x share (spec: apportioned by days).
inline double year_share(const ActivityRecord& r, int year) {
  const int32_t a = std::max(r.start.days, first_day_of_year(year).days);
  const int32_t b = std::min(r.end.days, last_day_of_year(year).days);
  const int32_t total = r.end.days - r.start.days + 1;
  if (b < a || total <= 0) return 0.0;
  if (b - a + 1 == total) return 1.0;
  return static_cast<double>(b - a + 1) / static_cast<double>(total);
}

// Owns what record leaves point to.
struct LineageStore {
  std::vector<std::shared_ptr<const Method>> methods;
  std::vector<std::shared_ptr<const MarketSplit>> splits;
};

struct Contribution {
  enum class Kind { kGroup, kInstrument };
  Kind kind = Kind::kGroup;
  std::string label;       // "site DC-01", "ghg.scope2.market 2024", instrument id
  double value = 0.0;      // in the unit of the figure this node sits in (before ancestors' scales)
  double scale = 1.0;      // see the invariant above
  std::string scale_note;  // "/ revenue 660257 million CNY"
  // Instrument leaves (renewable.purchased, coverage, unused).
  const Instrument* instrument = nullptr;
  std::string note;
  // Sub-trees first, then record leaves; value == scale * (sum of both).
  std::vector<std::shared_ptr<const Contribution>> children;
  std::vector<RecordLeaf> leaves;
  std::shared_ptr<const LineageStore> store;  // set when `leaves` is not empty
  // Metered energy (PUE from telemetry): the label is the roll-up row
  // ("telemetry:monthly/SITE/YYYY-MM/ROLE"), these the meters behind it.
  std::vector<std::string> meters;
  // Ratios only: how the denominator was made (not part of the sum above), in
  // `denominator_unit`. PUE sets it when calc was given metered energy.
  std::shared_ptr<const Contribution> denominator;
  std::string denominator_unit;
};

using ContributionPtr = std::shared_ptr<const Contribution>;

}  // namespace assay
