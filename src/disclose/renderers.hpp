// The text formats of a Report: HTML (one self-contained page per language,
// readable on screen and printable, charts inline as SVG, no script),
// Markdown (the same tables) and JSON (the calc output plus the report's
// tables with labels in every language). The XLSX workbook is
// xlsx_report.hpp. Each renderer only lays out what the Report holds.
#pragma once

#include <string>
#include <vector>

#include "disclose/report_model.hpp"

namespace assay::disclose {

std::string render_html(const Report& report);
std::string render_markdown(const Report& report);

// {"calc": <the document of `assay calc --json`>, "report": {years,
// languages, tables (rows with labels, units and notes per language, the
// rounded values), targets, indexes, warnings}}. `reports` are the same run
// in each language, in the order given; `calc_document` is
// calc_document_json()'s text.
std::string render_json(const std::vector<Report>& reports, const std::string& calc_document);

}  // namespace assay::disclose
