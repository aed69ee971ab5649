// The XLSX rendering of a Report (report_model.hpp): a workbook an analyst
// can compute with, so every figure is a numeric cell, not text.
//
// Sheets, in this order:
//  - one per KPI table, named after the table's title (made a valid Excel
//    sheet name: at most 31 characters, none of []:*?/\, unique). Rows: the
//    report title, the package name, the reporting year, the table title,
//    then a header row "indicator | unit | one column per year | notes", one
//    row per KpiRow and the table's numbered notes below. A figure is a
//    number cell holding Cell::rounded with the number format of the row's
//    decimals ("#,##0.0"); a figure without value is the text
//    ui.not_available. Labels are indented with the cell format's indent
//    level, never with leading spaces, so the text equals the catalog label.
//  - "Targets" (ui.targets) when the report has targets; progress is a
//    percent cell (fraction with format "0.0%");
//  - one per framework index (index title);
//  - "Method" (ui.method): method notes, run hash, engine;
//  - "Warnings" (ui.warnings): every ReportWarning, present also when there
//    are none.
//
// Guarantee: the same Report gives the same bytes. The workbook's creation
// date is fixed (see xlsx_report.cpp) and libxlsxwriter 1.1.4 stamps every zip
// entry 1980-01-01 00:00 whatever the clock.
#pragma once

#include <string>

#include "disclose/report_model.hpp"
#include "units/status.hpp"

namespace assay::disclose {

// Writes `report` to `path`, replacing the file. An error names the path and
// says what failed (cannot create the file, a text longer than Excel allows);
// after an error the file at `path` may be missing or incomplete.
Status write_report_xlsx(const Report& report, const std::string& path);

}  // namespace assay::disclose
