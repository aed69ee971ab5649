// assay explain METRIC [--year Y] [--site S] [--category C] [--depth N]
// [--json] PACKAGE: the tree of contributions of one figure, down to record
// ids, their evidence, the factor rows used and their citations.
#include <cstdio>
#include <memory>
#include <set>

#include "calc/explain.hpp"
#include "cli/calc_run.hpp"
#include "cli/cli_util.hpp"
#include "cli/command.hpp"

namespace assay::cli {

CommandRunner register_explain(CLI::App& app) {
  struct Options {
    std::string metric;
    std::string package;
    int year = 0;
    std::string site;
    std::string category;
    int depth = -1;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "explain",
      "Explain one figure: its value, the share of each contribution, down to record ids, "
      "evidence, factor rows with their citations, conversions and instrument allocations. "
      "In --json the leaves sum to the figure.");
  cmd->add_option("metric", opt->metric, "Metric id, e.g. ghg.scope2.market")->required();
  cmd->add_option("package", opt->package, "The package folder or .zip")->required();
  cmd->add_option("--year", opt->year, "Year (default: the package's reporting_year)");
  cmd->add_option("--site", opt->site, "Site id, for per-site figures");
  cmd->add_option("--category", opt->category,
                  "Category, for breakdowns (gas, scope 3 category...)");
  cmd->add_option("--depth", opt->depth, "Levels below the figure to show (default: all)");
  cmd->add_flag("--json", opt->json, "Print the tree as JSON on stdout");
  return [opt]() {
    ReadOptions ro;
    ro.write_quarantine = false;
    ro.progress = terminal_progress("reading");
    CalcRun run;
    Status s = run_calc(opt->package, ro, ASSAY_VERSION, &run);
    clear_progress_line();
    if (!s) {
      std::fprintf(stderr, "assay explain: %s\n", s.message().c_str());
      return kExitDataError;
    }
    const int year = opt->year != 0 ? opt->year : run.read.package.manifest.reporting_year;
    const Figure* f = run.inventory.find(opt->metric, year, opt->site, opt->category);
    if (!f) {
      std::fprintf(stderr, "assay explain: no figure %s for year %d%s%s%s%s\n", opt->metric.c_str(),
                   year, opt->site.empty() ? "" : " site ", opt->site.c_str(),
                   opt->category.empty() ? "" : " category ", opt->category.c_str());
      std::set<std::string> sites, categories;
      for (const auto& g : run.inventory.figures) {
        if (g.id != opt->metric || g.year != year) continue;
        if (!g.site.empty()) sites.insert(g.site);
        if (!g.category.empty()) categories.insert(g.category);
      }
      auto list = [](const std::set<std::string>& s) {
        std::string out;
        for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
        return out;
      };
      if (!sites.empty()) std::fprintf(stderr, "  sites: %s\n", list(sites).c_str());
      if (!categories.empty()) {
        std::fprintf(stderr, "  categories: %s\n", list(categories).c_str());
      }
      return kExitUsage;
    }
    ExplainOptions eo;
    eo.depth = opt->depth;
    std::string out = opt->json ? explain_json(*f, eo) : explain_text(*f, eo);
    std::fwrite(out.data(), 1, out.size(), stdout);
    if (run.has_errors()) {
      DiagnosticSink all;
      for (const auto& d : run.input_diagnostics()) all.add(d);
      for (const auto& d : run.inventory.diagnostics.items()) all.add(d);
      print_diagnostics(all);
      return kExitDataError;
    }
    return kExitOk;
  };
}

}  // namespace assay::cli
