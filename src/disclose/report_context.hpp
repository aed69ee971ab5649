// Internal to src/disclose: what the parts of build_report() share while
// they make one Report (tables, notes, index, charts), so each part reads
// the run the same way.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "disclose/report_builder.hpp"

namespace assay::disclose::internal {

struct Context {
  const ReportInput& in;
  const std::string& lang;
  const ReportData& data;
  const MetricCatalog& catalog;
  std::vector<int> years;  // newest first

  const Package& package() const { return *in.package; }
  const Inventory& inventory() const { return *in.inventory; }
  // The catalog label of a metric in the language (the id itself for `x.` ids).
  std::string metric_label(const std::string& id) const;
  // The display unit of a contract unit in the language.
  std::string unit_label(const std::string& contract_unit) const;
  // A metric's unit as the contract writes it, the package's currency filled in.
  std::string metric_unit(const MetricDef* def) const;
  const std::string& word(const std::string& key) const;  // ui.toml
  // Label of a breakdown category: scope 3 category, "dimension:category", or as written.
  std::string category_label(const std::string& metric, const std::string& category) const;
};

// The KPI tables, in layout order, with their generated notes.
std::vector<KpiTable> build_tables(const Context& cx);

// The run's method in sentences (consolidation, GWPs, factor sets, scope 2,
// PUE, fallbacks, warnings) and the notes each table gets (notes.toml).
std::vector<std::string> method_notes(const Context& cx);
// Fills table->notes and the note numbers of the rows they annotate.
void add_table_notes(const Context& cx, KpiTable* table);

std::vector<TargetRow> build_targets(const Context& cx);

// The content indexes. Adds a `kpi_not_answered` warning per quantitative
// HKEX KPI with neither figures nor a not-material explanation.
std::vector<FrameworkIndex> build_indexes(const Context& cx, const std::vector<KpiTable>& tables,
                                          std::vector<ReportWarning>* warnings);

std::vector<Chart> build_report_charts(const Context& cx);

}  // namespace assay::disclose::internal
