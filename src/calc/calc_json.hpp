// The document `assay calc PACKAGE --json` writes (spec/data-package.md,
// Outputs), and a small deterministic JSON writer for it.
//
// Numbers are the shortest text that reads back to the same IEEE double
// (std::to_chars), so the document is byte-identical for the same inputs on
// any machine; strings are escaped minimally (", \, control characters).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "calc/inventory.hpp"
#include "units/diagnostic.hpp"
#include "units/json_text.hpp"

namespace assay {

// {"package", "reporting_year", "run_hash", "metrics": [...], "warnings": [...]}.
// `extra` diagnostics (e.g. from reading the package) come before calc's own.
std::string calc_document_json(const std::string& package_name, int reporting_year,
                               const std::string& run_hash, const Inventory& inventory,
                               const std::vector<Diagnostic>& extra = {});

// The key of a figure: "<id_key>", "year", then "site" and "category" when
// set, as members without braces (output rows, explain, run diffs).
void json_append_figure_key(std::string* out, std::string_view id_key, std::string_view id,
                            int year, std::string_view site, std::string_view category);
// A figure's "<id_key>", "year", "site", "category", "value" (or null and
// "status") and "unit" members, without braces: the head of every figure object.
void json_append_figure_fields(std::string* out, const Figure& f, std::string_view id_key);

// One diagnostic as {"code", "message", file/line/record/site/region/metric when set}.
void json_append_diagnostic(std::string* out, const Diagnostic& d);

}  // namespace assay
