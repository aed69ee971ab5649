// package.toml: the manifest of a data package (spec/data-package.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/records.hpp"
#include "units/diagnostic.hpp"

namespace assay {

// Parses and checks `text` (the bytes of package.toml). Problems are
// Diagnostics on `file` with the TOML line and column; what could be read is
// in `out` either way. `builtin_sets` are the names a factor_sets entry may take.
void parse_manifest(std::string_view text, const std::string& file,
                    const std::vector<std::string>& builtin_sets, Manifest* out,
                    DiagnosticSink* sink);

}  // namespace assay
