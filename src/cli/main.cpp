// assay: the command-line interface (DESIGN.md, Interfaces).
#include <malloc.h>

#include <cstdio>
#include <exception>
#include <vector>

#include "cli/command.hpp"

namespace {

// A run reads millions of records, then computes from them: memory one phase
// frees should serve the next rather than go back to the kernel and be
// faulted in again page by page (in a VM each 4 KiB fault costs
// microseconds). No trimming, and blocks up to 32 MiB from the heap. W2 (10 M
// rows): 1.28 M -> 1.03 M page faults, ~0.4 s, with one arena for all threads.
// Two arenas, not one: calc plans groups on two threads, which allocate
// often, and with one arena they waited on its lock 20,000 times (W2 plan
// 0.54 -> 0.29 s); page faults stay within 1% (the second thread of each
// phase reuses the second arena, freed by the one before).
void tune_malloc() {
  mallopt(M_ARENA_MAX, 2);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

}  // namespace

int main(int argc, char** argv) {
  tune_malloc();
  CLI::App app{
      "assay: audit-grade ESG data and carbon accounting.\n"
      "Reads a data package (spec/data-package.md), checks it, computes the inventory\n"
      "and key figures with cited factors, and keeps the trail an auditor needs."};
  app.set_version_flag("--version", std::string("assay ") + ASSAY_VERSION);
  app.require_subcommand(1);
  app.fallthrough(false);
  std::vector<std::pair<CLI::App*, assay::cli::CommandRunner>> commands;
  auto add = [&](assay::cli::CommandRunner (*reg)(CLI::App&)) {
    size_t before = app.get_subcommands({}).size();
    assay::cli::CommandRunner run = reg(app);
    auto subs = app.get_subcommands({});
    if (subs.size() > before) commands.emplace_back(subs.back(), std::move(run));
  };
  add(assay::cli::register_validate);
  add(assay::cli::register_ingest);
  add(assay::cli::register_history);
  add(assay::cli::register_verify);
  add(assay::cli::register_calc);
  add(assay::cli::register_explain);
  add(assay::cli::register_telemetry);
  add(assay::cli::register_lock);
  add(assay::cli::register_unlock);
  add(assay::cli::register_signoff);
  add(assay::cli::register_sample);
  add(assay::cli::register_diff);
  add(assay::cli::register_report);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    // --help and --version are successes; every other parse problem is usage.
    return code == 0 ? assay::cli::kExitOk : assay::cli::kExitUsage;
  }
  for (auto& [sub, run] : commands) {
    if (sub->parsed()) {
      try {
        return run();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "assay %s: %s\n", sub->get_name().c_str(), e.what());
        return assay::cli::kExitDataError;
      }
    }
  }
  return assay::cli::kExitUsage;
}
