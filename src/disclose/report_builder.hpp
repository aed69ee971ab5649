// build_report(): the Report of a calc run in one language (report_model.hpp).
//
// Everything in it comes from the run: the figures of the inventory (already
// evaluated through the metric catalog), the package's manifest, targets and
// not-material rows, the factor library's sets and the run's diagnostics.
// Nothing is typed per package. Arrangement, labels and fixed words come from
// the built-in report data (report_data.hpp).
#pragma once

#include <string>
#include <vector>

#include "calc/inventory.hpp"
#include "disclose/report_data.hpp"
#include "disclose/report_model.hpp"
#include "factors/factor_library.hpp"
#include "metrics/evaluate.hpp"
#include "model/records.hpp"
#include "units/diagnostic.hpp"

namespace assay::disclose {

struct ReportInput {
  const Package* package = nullptr;
  const Inventory* inventory = nullptr;    // base aggregates and every catalog figure
  const MetricsResult* metrics = nullptr;  // not-material rows (content index)
  const FactorLibrary* library = nullptr;  // the run's factor sets (method notes)
  std::vector<Diagnostic> diagnostics;     // package, factor-set and calc diagnostics
  std::string run_hash;
  std::string engine_version;
};

// `language` is one of report_languages(). Deterministic: the same input
// gives the same Report.
Report build_report(const ReportInput& input, const std::string& language,
                    const ReportData& data = builtin_report_data(),
                    const MetricCatalog& catalog = builtin_catalog());

}  // namespace assay::disclose
