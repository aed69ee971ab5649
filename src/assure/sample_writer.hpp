// Writing an auditor sample (sampling.hpp) as CSV or an XLSX workbook.
//
// Both list one row per selected record with the same columns:
// selection, record_id, site_id, start, end, activity, quantity, unit,
// quantity_in_year, evidence, factor, citation, contribution (re-performed),
// calc_contribution, share_pct, selected_by, source. The XLSX workbook adds a
// "Parameters" sheet (metric, year, seed, interval, random start, ...);
// the CSV carries the same parameters as leading `# name: value` lines.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "assure/sampling.hpp"
#include "units/status.hpp"

namespace assay {

using SampleParameters = std::vector<std::pair<std::string, std::string>>;

// Parameters that describe `sample` itself (metric, year, n, seed, interval, ...).
SampleParameters sample_parameters(const Sample& sample);

// The rows as text cells (header first), shared by both formats.
std::vector<std::vector<std::string>> sample_rows(const Sample& sample);

// Chooses the format by the extension of `path` (.csv or .xlsx).
Status write_sample(const Sample& sample, const SampleParameters& parameters,
                    const std::string& path);

}  // namespace assay
