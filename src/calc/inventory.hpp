// compute(): the base aggregates of a package, per year, with lineage.
//
// A pure function of (records, factor library, options): the same inputs give
// the same Inventory, figure for figure and in the same order. Figures cover
// the package's `years` and its `base_year`; ids as spec/metrics.md (GHG,
// energy, renewables, instruments, PUE, water, waste): the base aggregates
// only. Derived figures (totals over scopes, shares, intensities, rates,
// renewable share, scope 2 coverage) are the metric catalog's: see
// src/metrics (compute_with_metrics gives both). Rules of
// spec/data-package.md: records apportioned to years by days (inclusive
// periods); out-of-boundary sites go to scope 3 category 8; market-based
// scope 2 in the contract's five steps; a missing factor makes the figures
// that need it null with status "incomplete" and an error `factor_missing`;
// a figure with no input is null with status "not_available".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calc/lineage.hpp"
#include "factors/factor_library.hpp"
#include "model/records.hpp"
#include "units/diagnostic.hpp"

namespace assay {

struct MeteredSiteMonth;  // telemetry/site_energy.hpp

struct CalcOptions {
  // Engine version covered by the run hash.
  std::string engine_version = "0.1.0";
  // Metered energy per site and month (telemetry's metered_site_months()), or
  // null. When set, PUE takes a data centre's facility and IT energy from its
  // meters for the months without billed electricity / it_energy records
  // (spec/metrics.md, PUE). Read during compute() only (lineage copies the
  // roll-up ids and meter ids).
  const std::vector<MeteredSiteMonth>* metered = nullptr;
  // A year with at least this many records adds them on two threads (split
  // by site; the figures are the same bits either way). Tests lower it to
  // compare both paths on small packages.
  size_t parallel_min_records = 200000;
};

enum class FigureStatus { kOk, kNotAvailable, kIncomplete };
std::string_view status_name(FigureStatus s);

struct Figure {
  std::string id;
  int year = 0;
  std::string site;             // empty for totals and breakdowns
  std::string category;         // empty unless a breakdown row
  std::optional<double> value;  // set iff status == kOk
  FigureStatus status = FigureStatus::kOk;
  std::string unit;
  ContributionPtr lineage;  // null when not available
};

struct Inventory {
  // Sorted by id, year, site (empty first), category (empty first), byte order.
  std::vector<Figure> figures;
  // Figures that formulas of the metric catalog read but the output does not
  // show (ids starting with `_`: grid electricity in the boundary, instrument
  // cover, facility and IT energy), in the same order.
  std::vector<Figure> intermediates;
  // Warnings and errors found while computing, in a deterministic order.
  DiagnosticSink diagnostics;

  const Figure* find(std::string_view id, int year, std::string_view site = {},
                     std::string_view category = {}) const;
};

// The Inventory's lineage points into `package` (records, instruments) and
// `library` (factor rows): both must outlive it.
Inventory compute(const Package& package, const FactorLibrary& library, const CalcOptions& options);

// "sha256:<hex>" over the package content hash, the factor data used and the
// engine version.
std::string compute_run_hash(const std::string& content_hash, const FactorLibrary& library,
                             const std::string& engine_version);

}  // namespace assay
