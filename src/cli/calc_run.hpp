// Shared by `assay calc` and `assay explain`: read a package, build its factor
// library, compute the inventory. Header-only so the two commands need no
// extra translation unit.
#pragma once

#include <memory>
#include <string>

#include "calc/inventory.hpp"
#include "cli/calc_source.hpp"
#include "factors/factor_library.hpp"
#include "metrics/evaluate.hpp"
#include "package/package_reader.hpp"
#include "units/status.hpp"

namespace assay::cli {

struct CalcRun {
  PackageReadResult read;
  DiagnosticSink library_diagnostics;  // unknown or malformed built-in factor sets
  std::unique_ptr<FactorLibrary> library;
  Inventory inventory;    // base aggregates and every catalog figure (src/metrics)
  MetricsResult metrics;  // not-material KPIs of disclosures.csv (content index)
  std::string run_hash;
  std::string content_identity;  // what the run hash covers (cli/calc_source.hpp)

  // Package and factor-set diagnostics, in the order found (calc's own are in inventory).
  std::vector<Diagnostic> input_diagnostics() const {
    std::vector<Diagnostic> out = read.diagnostics.items();
    for (const auto& d : library_diagnostics.items()) out.push_back(d);
    return out;
  }
  bool has_errors() const {
    return read.diagnostics.has_errors() || library_diagnostics.has_errors() ||
           inventory.diagnostics.has_errors();
  }
};

inline Status run_calc(const CalcSource& source, const ReadOptions& options,
                       const std::string& engine_version, CalcRun* out) {
  Status s = load_calc_source(source, options, &out->read, &out->content_identity);
  if (!s) return s;
  const Package& pkg = out->read.package;
  out->library = std::make_unique<FactorLibrary>(
      FactorLibrary::build(pkg.user_factors, pkg.manifest.factor_sets, &out->library_diagnostics));
  CalcOptions co;
  co.engine_version = engine_version;
  out->inventory = compute_with_metrics(pkg, *out->library, co, &out->metrics);
  out->run_hash = compute_run_hash(out->content_identity, *out->library, engine_version);
  return Status::ok();
}

inline Status run_calc(const std::string& path, const ReadOptions& options,
                       const std::string& engine_version, CalcRun* out) {
  return run_calc(CalcSource{path, "", std::nullopt}, options, engine_version, out);
}

}  // namespace assay::cli
