// workforce.csv (spec/data-package.md): aggregates, no personal data. Totals
// come only from `total` rows, never summed from categories; categories of a
// dimension that do not add up to the total row give a `dimension_sum` warning.
#include <cmath>
#include <map>
#include <tuple>

#include "factors/conversion.hpp"
#include "metrics/figure_store.hpp"

namespace assay::metrics_internal {

void add_workforce(const MetricCatalog& catalog, const Package& package, FigureStore* store,
                   DiagnosticSink* diagnostics) {
  std::map<std::string, const MetricDef*> by_measure;
  for (const auto& [id, m] : catalog.metrics) {
    if (m.kind == MetricKind::kWorkforce) by_measure[m.measure] = &m;
  }
  // (year, measure) -> the total row; (year, measure, dimension) -> sum of its categories.
  std::map<std::pair<int, std::string>, const WorkforceRow*> totals;
  std::map<std::tuple<int, std::string, std::string>, double> sums;
  for (const auto& row : package.workforce) {
    auto m = by_measure.find(row.measure);
    if (m == by_measure.end()) continue;
    const MetricDef& def = *m->second;
    const bool total = row.dimension == "total";
    const std::string category = total ? "" : row.dimension + ":" + row.category;
    Figure& f = store->at(def.id, row.year, "", category, def.unit_for(package.manifest.currency));
    f.status = FigureStatus::kOk;
    f.value = row.value.to_double();
    f.lineage = source_node(
        figure_label(def.id, row.year, category), *f.value, row.source,
        row.measure + " " + (total ? "total" : category) + " = " + row.value.to_string());
    if (total) {
      totals[{row.year, row.measure}] = &row;
    } else {
      sums[{row.year, row.measure, row.dimension}] += *f.value;
    }
  }
  for (const auto& [key, sum] : sums) {
    const auto& [year, measure, dimension] = key;
    auto t = totals.find({year, measure});
    if (t == totals.end()) continue;
    const double total = t->second->value.to_double();
    const double gap = sum - total;
    // Inputs are counts and hours written in decimal; a gap below a
    // millionth of the total is the binary rounding of the sum, not data.
    if (std::abs(gap) <= 1e-9 * std::max(1.0, std::abs(total))) continue;
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.code = "dimension_sum";
    d.file = t->second->source.file;
    d.line = t->second->source.line;
    d.metric = by_measure[measure]->id;
    d.message = "workforce " + measure + " " + std::to_string(year) + ": the categories of " +
                dimension + " sum to " + format_number(sum) + ", the total row says " +
                format_number(total) + " (gap " + (gap > 0 ? "+" : "") + format_number(gap) + ")";
    diagnostics->add(std::move(d));
  }
}

}  // namespace assay::metrics_internal
