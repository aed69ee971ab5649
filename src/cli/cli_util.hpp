// Helpers shared by the subcommands: terminal detection, progress, and
// printing diagnostics for people (stderr) or programs (--json).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "units/diagnostic.hpp"

namespace assay::cli {

// A progress callback that draws on stderr only when it is a terminal.
std::function<void(uint64_t, uint64_t)> terminal_progress(std::string what);
void clear_progress_line();

// `file:line:column: error: message [code]` for each diagnostic, to stderr.
void print_diagnostics(const DiagnosticSink& sink);

// {"errors": [...], "warnings": [...]} as the contract's validate --json.
nlohmann::ordered_json diagnostics_json(const DiagnosticSink& sink);

}  // namespace assay::cli
