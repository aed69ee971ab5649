// assay sample METRIC --year Y --n 25 --seed S (--db FILE | PACKAGE) --out FILE:
// the auditor's monetary-unit sample of the records behind a figure
// (issue 7, item 5; the algorithm is in src/assure/sampling.hpp).
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "assure/sample_writer.hpp"
#include "assure/sampling.hpp"
#include "cli/calc_run.hpp"
#include "cli/cli_util.hpp"
#include "cli/command.hpp"
#include "factors/conversion.hpp"
#include "ledger/ledger.hpp"

namespace assay::cli {

CommandRunner register_sample(CLI::App& app) {
  struct Options {
    std::string metric;
    int year = 0;
    size_t n = 25;
    uint64_t seed = 0;
    std::string package;
    std::string db;
    std::string as_of;
    std::string site;
    std::string category;
    std::string out;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "sample",
      "Pick records behind a figure for the auditor by monetary-unit sampling: each record is "
      "weighted by its absolute contribution to the figure; records at least as large as the "
      "sampling interval are always taken, the rest by systematic selection from a random start "
      "drawn from std::mt19937_64 seeded with --seed (src/assure/README.md). The same inputs and "
      "seed give the same sample. Writes one row per record: id, site, period, quantity and unit, "
      "evidence, factor and citation, re-performed contribution. Exit 0 when written, 1 on "
      "error, 2 on usage.");
  cmd->add_option("metric", opt->metric, "The figure's id, e.g. ghg.scope1")->required();
  cmd->add_option("--year", opt->year, "The figure's year")->required();
  cmd->add_option("--n", opt->n, "Number of records to select (default 25)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--seed", opt->seed, "Seed of the random start (record it with the sample)")
      ->required();
  cmd->add_option("package", opt->package, "A package folder or .zip (or use --db)");
  cmd->add_option("--db", opt->db, "A ledger file to sample from");
  cmd->add_option("--as-of", opt->as_of,
                  "With --db: the ledger as it stood then (unix seconds or ISO 8601)");
  cmd->add_option("--site", opt->site, "The per-site figure of this site");
  cmd->add_option("--category", opt->category, "The breakdown row of this category");
  cmd->add_option("--out", opt->out, "Where to write the sample: FILE.csv or FILE.xlsx")
      ->required();
  cmd->add_flag("--json", opt->json, "Print the sample's parameters as JSON on stdout");
  return [opt]() {
    if (opt->package.empty() == opt->db.empty()) {
      std::fprintf(stderr, "assay sample: give either a PACKAGE or --db FILE\n");
      return kExitUsage;
    }
    CalcSource source{opt->package, opt->db, std::nullopt};
    if (!opt->as_of.empty()) {
      if (opt->db.empty()) {
        std::fprintf(stderr, "assay sample: --as-of needs --db\n");
        return kExitUsage;
      }
      int64_t t = 0;
      Status s = parse_as_of(opt->as_of, &t);
      if (!s) {
        std::fprintf(stderr, "assay sample: %s\n", s.message().c_str());
        return kExitUsage;
      }
      source.as_of = t;
    }
    ReadOptions ro;
    ro.write_quarantine = false;
    ro.progress = terminal_progress("reading");
    CalcRun run;
    Status s = run_calc(source, ro, ASSAY_VERSION, &run);
    clear_progress_line();
    if (!s) {
      std::fprintf(stderr, "assay sample: %s\n", s.message().c_str());
      return kExitDataError;
    }
    const Figure* f = run.inventory.find(opt->metric, opt->year, opt->site, opt->category);
    if (f == nullptr) {
      std::fprintf(stderr, "assay sample: no figure %s for %d%s%s in this run\n",
                   opt->metric.c_str(), opt->year,
                   opt->site.empty() ? "" : (" site " + opt->site).c_str(),
                   opt->category.empty() ? "" : (" category " + opt->category).c_str());
      return kExitDataError;
    }
    if (!f->value || !f->lineage) {
      std::fprintf(stderr, "assay sample: %s %d has no value (%s): nothing to sample\n",
                   opt->metric.c_str(), opt->year, std::string(status_name(f->status)).c_str());
      return kExitDataError;
    }
    Sample sample = sample_figure(*f, opt->n, opt->seed);
    if (sample.population == 0) {
      std::fprintf(stderr, "assay sample: %s %d is not made of records (nothing to sample)\n",
                   opt->metric.c_str(), opt->year);
      return kExitDataError;
    }
    SampleParameters params = sample_parameters(sample);
    if (!opt->site.empty()) params.insert(params.begin() + 2, {"site", opt->site});
    if (!opt->category.empty()) params.insert(params.begin() + 2, {"category", opt->category});
    params.push_back({"run_hash", run.run_hash});
    params.push_back({"source", opt->db.empty() ? opt->package : opt->db});
    if (source.as_of) params.push_back({"as_of", format_utc_timestamp(*source.as_of)});
    s = write_sample(sample, params, opt->out);
    if (!s) {
      std::fprintf(stderr, "assay sample: %s\n", s.message().c_str());
      return kExitDataError;
    }
    if (opt->json) {
      nlohmann::ordered_json j;
      for (const auto& [k, v] : params) j[k] = v;
      j["out"] = opt->out;
      std::printf("%s\n", j.dump(2).c_str());
    } else {
      std::printf(
          "%s %d = %s %s: %zu of %zu records selected (%zu key items, interval %s, random start "
          "%s, seed %llu) -> %s\n",
          sample.metric.c_str(), sample.year, format_number(sample.figure_value).c_str(),
          sample.unit.c_str(), sample.records.size(), sample.population, sample.key_items,
          format_number(sample.interval).c_str(), format_number(sample.random_start).c_str(),
          static_cast<unsigned long long>(sample.seed), opt->out.c_str());
    }
    return kExitOk;
  };
}

}  // namespace assay::cli
