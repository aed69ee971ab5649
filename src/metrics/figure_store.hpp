// Internal to src/metrics: the figures of one evaluation, by (id, year, site,
// category), in the Outputs contract's order (std::string compares bytes).
#pragma once

#include <map>
#include <string>
#include <tuple>

#include "calc/inventory.hpp"
#include "metrics/catalog.hpp"
#include "model/records.hpp"

namespace assay::metrics_internal {

using FigureKey = std::tuple<std::string, int, std::string, std::string>;

struct FigureStore {
  std::map<FigureKey, Figure> figures;

  const Figure* find(const std::string& id, int year, const std::string& site = {},
                     const std::string& category = {}) const {
    auto it = figures.find(FigureKey{id, year, site, category});
    return it == figures.end() ? nullptr : &it->second;
  }
  // The figure (created not_available with `unit` when absent).
  Figure& at(const std::string& id, int year, const std::string& site, const std::string& category,
             const std::string& unit) {
    Figure& f = figures[FigureKey{id, year, site, category}];
    if (f.id.empty()) {
      f.id = id;
      f.year = year;
      f.site = site;
      f.category = category;
      f.unit = unit;
      f.status = FigureStatus::kNotAvailable;
    }
    return f;
  }
};

inline std::string figure_label(const std::string& id, int year, const std::string& category) {
  std::string label = id + " " + std::to_string(year);
  if (!category.empty()) label += " [" + category + "]";
  return label;
}

// A lineage node for a number read from a package file (workforce.csv,
// disclosures.csv, package.toml): no records below it, the place in `note`.
ContributionPtr source_node(std::string label, double value, const SourceRef& at, std::string note);

// workforce.csv -> figures, and the dimension_sum check.
void add_workforce(const MetricCatalog& catalog, const Package& package, FigureStore* store,
                   DiagnosticSink* diagnostics);

// targets.csv -> target.progress / target.required_annual, and the SBTi check.
void add_targets(const MetricCatalog& catalog, const Package& package, FigureStore* store,
                 DiagnosticSink* diagnostics);

}  // namespace assay::metrics_internal
