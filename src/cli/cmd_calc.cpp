// assay calc PACKAGE [--json]: compute the inventory and key figures
// (spec/data-package.md, Outputs). Exit 1 when there is any error, after
// printing the whole document.
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "calc/calc_json.hpp"
#include "cli/calc_run.hpp"
#include "cli/cli_util.hpp"
#include "cli/command.hpp"
#include "factors/conversion.hpp"

namespace assay::cli {

namespace {

// The run holds millions of lineage nodes, records and strings (W2: ~5 GiB);
// freeing them one by one took longer than writing the document. The process
// ends here anyway, so once the output is flushed it exits without running
// destructors. Only this command does it: library code and tests still free
// everything (ASan checks that).
[[noreturn]] void exit_without_freeing(int code) {
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(code);
}

}  // namespace

CommandRunner register_calc(CLI::App& app) {
  struct Options {
    std::string package;
    std::string db;  // calc from the ledger instead (cli/calc_source.hpp)
    std::string as_of;
    std::string quarantine;
    bool json = false;
    bool no_quarantine = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "calc",
      "Compute the greenhouse-gas inventory, energy, renewables, PUE, water and waste figures of "
      "a data package, per year, with lineage. Exit 0 when there is no error, 1 otherwise (the "
      "whole document is printed either way).");
  cmd->add_option("package", opt->package, "The package folder or .zip (or use --db)");
  cmd->add_option("--db", opt->db,
                  "Compute from a ledger instead: the same records give the same figures and "
                  "run hash as the package they came from");
  cmd->add_option("--as-of", opt->as_of,
                  "With --db: the ledger as it stood at this time (unix seconds or ISO 8601, "
                  "e.g. 2025-03-01T09:30:00Z; a date alone is the end of that day, UTC)");
  cmd->add_flag("--json", opt->json,
                "Print the contract's JSON document {package, reporting_year, run_hash, metrics, "
                "warnings} on stdout");
  cmd->add_option("--quarantine", opt->quarantine,
                  "Folder for rejected rows (default: <package>.quarantine beside the package)");
  cmd->add_flag("--no-quarantine", opt->no_quarantine, "Do not write the quarantine folder");
  return [opt]() {
    ReadOptions ro;
    ro.quarantine_dir = opt->quarantine;
    ro.write_quarantine = !opt->no_quarantine;
    ro.progress = terminal_progress("reading");
    CalcSource source{opt->package, opt->db, std::nullopt};
    if (opt->package.empty() == opt->db.empty() || (!opt->as_of.empty() && opt->db.empty())) {
      std::fprintf(stderr, "assay calc: give either a PACKAGE or --db FILE [--as-of TIME]\n");
      return kExitUsage;
    }
    if (!opt->as_of.empty()) {
      int64_t t = 0;
      if (Status a = parse_as_of(opt->as_of, &t); !a) {
        std::fprintf(stderr, "assay calc: %s\n", a.message().c_str());
        return kExitUsage;
      }
      source.as_of = t;
    }
    CalcRun run;
    Status s = run_calc(source, ro, ASSAY_VERSION, &run);
    clear_progress_line();
    if (!s) {
      std::fprintf(stderr, "assay calc: %s\n", s.message().c_str());
      return kExitDataError;
    }
    const Manifest& m = run.read.package.manifest;
    if (opt->json) {
      std::string doc = calc_document_json(m.name, m.reporting_year, run.run_hash, run.inventory,
                                           run.input_diagnostics());
      std::fwrite(doc.data(), 1, doc.size(), stdout);
    } else {
      std::printf("%s, reporting year %d, %s\n", m.name.c_str(), m.reporting_year,
                  run.run_hash.c_str());
      for (const auto& f : run.inventory.figures) {
        std::string what = f.id;
        if (!f.site.empty()) what += " site=" + f.site;
        if (!f.category.empty()) what += " category=" + f.category;
        std::string value =
            f.value ? format_number(*f.value) + " " + f.unit : std::string(status_name(f.status));
        std::printf("%d  %-48s %s\n", f.year, what.c_str(), value.c_str());
      }
      DiagnosticSink all;
      for (const auto& d : run.input_diagnostics()) all.add(d);
      for (const auto& d : run.inventory.diagnostics.items()) all.add(d);
      print_diagnostics(all);
    }
    exit_without_freeing(run.has_errors() ? kExitDataError : kExitOk);
  };
}

}  // namespace assay::cli
