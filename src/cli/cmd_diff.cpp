// assay diff RUN_A RUN_B [--threshold 5]: the figures that changed between
// two calc runs, flagged beyond a materiality threshold (issue 7, item 6;
// the rules are in src/assure/run_diff.hpp).
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "assure/run_diff.hpp"
#include "calc/calc_json.hpp"
#include "cli/calc_run.hpp"
#include "cli/command.hpp"

namespace assay::cli {

namespace {

Status read_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return Status::ok();
}

// The calc document of the ledger as it stood at `as_of` (nullopt: now).
Status ledger_document(const std::string& db, std::optional<int64_t> as_of, std::string* out) {
  CalcRun run;
  Status s = run_calc(CalcSource{"", db, as_of}, ReadOptions{}, ASSAY_VERSION, &run);
  if (!s) return s;
  const Manifest& m = run.read.package.manifest;
  *out = calc_document_json(m.name, m.reporting_year, run.run_hash, run.inventory,
                            run.input_diagnostics());
  return Status::ok();
}

}  // namespace

CommandRunner register_diff(CLI::App& app) {
  struct Options {
    std::vector<std::string> runs;
    std::string db;
    std::vector<std::string> as_of;
    double threshold = 5.0;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "diff",
      "List the figures that changed between two calc runs (two `assay calc --json` files, or a "
      "ledger at two --as-of times) with absolute and relative change, and flag those whose "
      "relative change is strictly greater than the materiality threshold (a change of exactly "
      "the threshold is not flagged; added or removed figures, changes from zero and to or from "
      "null always are). Exit 0 when the comparison was made, whatever changed; 1 on error; 2 on "
      "usage.");
  cmd->add_option("runs", opt->runs, "RUN_A RUN_B: two calc JSON files")->expected(0, 2);
  cmd->add_option("--db", opt->db, "Compare the ledger at two times instead");
  cmd->add_option("--as-of", opt->as_of,
                  "With --db, twice: the earlier and the later time (unix seconds or ISO 8601); "
                  "once: that time against now")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--threshold", opt->threshold, "Materiality threshold in percent (default 5)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--json", opt->json, "Print the comparison as JSON on stdout");
  return [opt]() {
    std::string a, b;
    if (!opt->db.empty()) {
      if (!opt->runs.empty() || opt->as_of.empty() || opt->as_of.size() > 2) {
        std::fprintf(stderr,
                     "assay diff: with --db give --as-of T1 [--as-of T2] and no run files\n");
        return kExitUsage;
      }
      std::vector<std::optional<int64_t>> times;
      for (const std::string& t : opt->as_of) {
        int64_t v = 0;
        Status s = parse_as_of(t, &v);
        if (!s) {
          std::fprintf(stderr, "assay diff: %s\n", s.message().c_str());
          return kExitUsage;
        }
        times.emplace_back(v);
      }
      if (times.size() == 1) times.emplace_back(std::nullopt);
      Status s = ledger_document(opt->db, times[0], &a);
      if (s) s = ledger_document(opt->db, times[1], &b);
      if (!s) {
        std::fprintf(stderr, "assay diff: %s\n", s.message().c_str());
        return kExitDataError;
      }
    } else {
      if (opt->runs.size() != 2 || !opt->as_of.empty()) {
        std::fprintf(stderr,
                     "assay diff: give RUN_A RUN_B (calc JSON files), or --db with --as-of\n");
        return kExitUsage;
      }
      Status s = read_file(opt->runs[0], &a);
      if (s) s = read_file(opt->runs[1], &b);
      if (!s) {
        std::fprintf(stderr, "assay diff: %s\n", s.message().c_str());
        return kExitDataError;
      }
    }
    RunDiff d;
    Status s = diff_calc_documents(a, b, opt->threshold, &d);
    if (!s) {
      std::fprintf(stderr, "assay diff: %s\n", s.message().c_str());
      return kExitDataError;
    }
    const std::string text = opt->json ? diff_json(d) : diff_text(d);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kExitOk;
  };
}

}  // namespace assay::cli
