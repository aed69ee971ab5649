// The `assay` command: one file per subcommand, each registering itself on the
// CLI11 app and returning the function that runs it once chosen.
//
// Exit codes (DESIGN.md, Interfaces): 0 ok, 1 data errors, 2 usage.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace assay::cli {

constexpr int kExitOk = 0;
constexpr int kExitDataError = 1;
constexpr int kExitUsage = 2;

using CommandRunner = std::function<int()>;

CommandRunner register_validate(CLI::App& app);
CommandRunner register_ingest(CLI::App& app);
CommandRunner register_history(CLI::App& app);
CommandRunner register_verify(CLI::App& app);
CommandRunner register_calc(CLI::App& app);
CommandRunner register_explain(CLI::App& app);
CommandRunner register_telemetry(CLI::App& app);
CommandRunner register_lock(CLI::App& app);     // cmd_lock.cpp
CommandRunner register_unlock(CLI::App& app);   // cmd_lock.cpp
CommandRunner register_signoff(CLI::App& app);  // cmd_lock.cpp
CommandRunner register_sample(CLI::App& app);
CommandRunner register_diff(CLI::App& app);
CommandRunner register_report(CLI::App& app);

// True when stderr is a terminal: progress is shown only then.
bool stderr_is_terminal();

}  // namespace assay::cli
