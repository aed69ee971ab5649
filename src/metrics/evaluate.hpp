// Every figure that is not a base aggregate of calc, through the catalog:
// derived figures by their formulas (totals, shares, intensities, rates),
// workforce figures from workforce.csv, counted facts from disclosures.csv
// and targets from targets.csv (spec/data-package.md; spec/metrics.md).
//
// evaluate_metrics() adds these figures to an Inventory that calc computed
// and keeps it sorted as the Outputs contract says. Each derived figure keeps
// lineage: its contributions are its operand figures (a formula
// k * (a + b) / d is a group of a and b with scale k / d, so explain reaches
// the records). Findings are warnings in the inventory's diagnostics:
// `dimension_sum` (categories of a workforce dimension that do not add up to
// the total row), `sbti_ambition` (information: a target's implied linear
// annual reduction against the SBTi near-term minimum of data/metrics/sbti.toml),
// `target_metric_unknown`, `target_not_evaluable`, `disclosure_ignored`.
#pragma once

#include <string>
#include <vector>

#include "calc/inventory.hpp"
#include "factors/factor_library.hpp"
#include "metrics/catalog.hpp"
#include "model/records.hpp"

namespace assay {

// A disclosures.csv row with value = not_material: a framework KPI the group
// explains as not material (for the content index).
struct NotMaterialKpi {
  int year = 0;
  std::string metric;
  std::string category;
  std::string explanation;  // the row's evidence
  SourceRef source;
};

struct MetricsResult {
  std::vector<NotMaterialKpi> not_material;
};

// Adds the catalog's figures for every year of the package (its `years` and
// `base_year`) to `inventory`. The catalog must have loaded without errors.
MetricsResult evaluate_metrics(const MetricCatalog& catalog, const Package& package,
                               Inventory* inventory);

// calc's compute() followed by evaluate_metrics() with the built-in catalog:
// every figure of the Outputs contract.
Inventory compute_with_metrics(const Package& package, const FactorLibrary& library,
                               const CalcOptions& options, MetricsResult* result = nullptr);

}  // namespace assay
