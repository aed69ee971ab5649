// Parsing factor rows (the shape of factors.csv, spec/data-package.md) out of
// text already in memory: the built-in sets compiled into the binary. User
// factor files are read by src/package with the package's CSV reader; this is
// a small RFC 4180 parser for trusted, small inputs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/records.hpp"
#include "units/diagnostic.hpp"

namespace assay {

// RFC 4180 records of `text` (BOM skipped, LF or CRLF, "" inside quotes).
// Each record is its fields plus the physical line it starts on.
struct SimpleCsvRecord {
  int64_t line = 0;
  std::vector<std::string> fields;
};
std::vector<SimpleCsvRecord> parse_simple_csv(std::string_view text);

// Factor rows of `text` (header: factor_set,key,region,year,quantity,value,
// unit,source[,confidence], any order). Bad rows are reported in `diags`
// with `file` and line, and left out.
std::vector<FactorRow> parse_factor_csv(std::string_view text, const std::string& file,
                                        DiagnosticSink* diags);

}  // namespace assay
