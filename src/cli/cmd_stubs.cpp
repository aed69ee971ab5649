// Commands whose modules are not built yet report so plainly (exit 2).
#include <cstdio>

#include "cli/command.hpp"

namespace assay::cli {
namespace {
CommandRunner not_yet(CLI::App& app, const char* name, const char* what) {
  CLI::App* cmd = app.add_subcommand(name, what);
  cmd->allow_extras();
  return [name]() {
    std::fprintf(stderr, "assay %s: not available in this build yet\n", name);
    return kExitUsage;
  };
}
}  // namespace

CommandRunner register_calc(CLI::App& app) { return not_yet(app, "calc", "Compute the inventory and key figures"); }
CommandRunner register_explain(CLI::App& app) { return not_yet(app, "explain", "Explain a figure down to its records"); }

}  // namespace assay::cli
