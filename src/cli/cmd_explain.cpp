// assay explain METRIC [--year Y] [--site S] [--category C] [--depth N]
// [--top N] [--json] PACKAGE: the tree of contributions of one figure, down to
// record ids, their evidence, the factor rows used and their citations.
// assay explain --batch FILE PACKAGE: many figures, the package read once.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_map>

#include "calc/explain.hpp"
#include "cli/calc_run.hpp"
#include "cli/cli_util.hpp"
#include "cli/command.hpp"

namespace assay::cli {
namespace {

struct Query {
  std::string metric;
  int year = 0;
  std::string site;
  std::string category;
};

// One query a line: METRIC [--year Y] [--site S] [--category C]; blank lines
// and lines starting with # are skipped. False (with the line) on a bad line.
bool parse_batch(std::istream& in, std::vector<Query>* out, std::string* bad) {
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    if (w.empty() || w[0][0] == '#') continue;
    Query q;
    q.metric = w[0];
    for (size_t i = 1; i < w.size(); i += 2) {
      if (i + 1 >= w.size()) return *bad = line, false;
      if (w[i] == "--year") {
        q.year = std::atoi(w[i + 1].c_str());
      } else if (w[i] == "--site") {
        q.site = w[i + 1];
      } else if (w[i] == "--category") {
        q.category = w[i + 1];
      } else {
        return *bad = line, false;
      }
    }
    out->push_back(std::move(q));
  }
  return true;
}

std::string figure_key(std::string_view id, int year, std::string_view site,
                       std::string_view category) {
  std::string k(id);
  k += '\0';
  k += std::to_string(year);
  k += '\0';
  k += site;
  k += '\0';
  k += category;
  return k;
}

double percentile_ms(std::vector<double> ms, double p) {
  if (ms.empty()) return 0.0;
  std::sort(ms.begin(), ms.end());
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(ms.size())));
  return ms[std::min(ms.size(), std::max<size_t>(rank, 1)) - 1];
}

}  // namespace

CommandRunner register_explain(CLI::App& app) {
  struct Options {
    std::string metric;
    std::string package;
    int year = 0;
    std::string site;
    std::string category;
    int depth = -1;
    size_t top = 20;
    bool json = false;
    std::string batch;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "explain",
      "Explain one figure: its value, the share of each contribution, down to record ids, "
      "evidence, factor rows with their citations, conversions and instrument allocations. "
      "A node with more than --top contributions shows its largest ones (by absolute value, "
      "largest first) and one line \"K more contributions\" with their sum, so a group total "
      "over millions of records stays readable. In --json what is shown sums to the figure.");
  cmd->add_option("metric", opt->metric, "Metric id, e.g. ghg.scope2.market");
  cmd->add_option("package", opt->package, "The package folder or .zip (required)");
  cmd->add_option("--year", opt->year, "Year (default: the package's reporting_year)");
  cmd->add_option("--site", opt->site, "Site id, for per-site figures");
  cmd->add_option("--category", opt->category,
                  "Category, for breakdowns (gas, scope 3 category...)");
  cmd->add_option("--depth", opt->depth, "Levels below the figure to show (default: all)");
  cmd->add_option("--top", opt->top,
                  "Contributions shown per node, largest first (default 20; 0: all of them)");
  cmd->add_flag("--json", opt->json, "Print the tree as JSON on stdout");
  cmd->add_option("--batch", opt->batch,
                  "Explain every figure listed in FILE (one a line: METRIC [--year Y] [--site S] "
                  "[--category C]), reading the package once; prints each explanation and, on "
                  "stderr, the load time and p50/p99 of the time per figure");
  return [opt]() {
    // With --batch the one positional argument is the package.
    if (!opt->batch.empty() && opt->package.empty()) std::swap(opt->package, opt->metric);
    if (opt->package.empty() || opt->metric.empty() == opt->batch.empty()) {
      std::fprintf(stderr, "assay explain: give METRIC PACKAGE, or --batch FILE PACKAGE\n");
      return kExitUsage;
    }
    std::vector<Query> queries;
    if (!opt->batch.empty()) {
      std::ifstream in(opt->batch);
      std::string bad;
      if (!in) {
        std::fprintf(stderr, "assay explain: cannot read %s\n", opt->batch.c_str());
        return kExitUsage;
      }
      if (!parse_batch(in, &queries, &bad)) {
        std::fprintf(stderr, "assay explain: %s: bad line \"%s\"\n", opt->batch.c_str(),
                     bad.c_str());
        return kExitUsage;
      }
    } else {
      queries.push_back(Query{opt->metric, opt->year, opt->site, opt->category});
    }
    const auto t0 = std::chrono::steady_clock::now();
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
    // Figures by key: a batch looks up many among hundreds of thousands.
    std::unordered_map<std::string, const Figure*> by_key;
    if (queries.size() > 1) {
      for (const auto& f : run.inventory.figures) {
        by_key.emplace(figure_key(f.id, f.year, f.site, f.category), &f);
      }
    }
    const double load_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const int reporting_year = run.read.package.manifest.reporting_year;
    ExplainOptions eo;
    eo.depth = opt->depth;
    eo.top = opt->top;
    std::vector<double> ms;
    for (const Query& q : queries) {
      const auto q0 = std::chrono::steady_clock::now();
      const int year = q.year != 0 ? q.year : reporting_year;
      const Figure* f = nullptr;
      if (by_key.empty()) {
        f = run.inventory.find(q.metric, year, q.site, q.category);
      } else if (auto it = by_key.find(figure_key(q.metric, year, q.site, q.category));
                 it != by_key.end()) {
        f = it->second;
      }
      if (!f) {
        std::fprintf(stderr, "assay explain: no figure %s for year %d%s%s%s%s\n", q.metric.c_str(),
                     year, q.site.empty() ? "" : " site ", q.site.c_str(),
                     q.category.empty() ? "" : " category ", q.category.c_str());
        if (!opt->batch.empty()) return kExitUsage;
        std::set<std::string> sites, categories;
        for (const auto& g : run.inventory.figures) {
          if (g.id != q.metric || g.year != year) continue;
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
      std::string out = opt->json ? explain_json(*f, eo) : explain_text(*f, eo);
      std::fwrite(out.data(), 1, out.size(), stdout);
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - q0).count());
    }
    if (!opt->batch.empty()) {
      std::fflush(stdout);
      std::fprintf(stderr,
                   "explain batch: queries=%zu load_s=%.3f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
                   ms.size(), load_s, percentile_ms(ms, 50), percentile_ms(ms, 99),
                   ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end()));
    }
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
