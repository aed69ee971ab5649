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

namespace assay {

// Appends `s` as a JSON string literal.
void json_append_string(std::string* out, std::string_view s);
// Appends a JSON number (shortest round-trip form; non-finite values as null).
void json_append_number(std::string* out, double v);

// {"package", "reporting_year", "run_hash", "metrics": [...], "warnings": [...]}.
// `extra` diagnostics (e.g. from reading the package) come before calc's own.
std::string calc_document_json(const std::string& package_name, int reporting_year,
                               const std::string& run_hash, const Inventory& inventory,
                               const std::vector<Diagnostic>& extra = {});

// One diagnostic as {"code", "message", file/line/record/site/region/metric when set}.
void json_append_diagnostic(std::string* out, const Diagnostic& d);

}  // namespace assay
