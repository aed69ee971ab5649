// Shared by `assay calc` and `assay explain`: read a package, build its factor
// library, compute the inventory. Header-only so the two commands need no
// extra translation unit.
#pragma once

#include <pthread.h>
#include <sched.h>

#include <future>
#include <memory>
#include <string>
#include <system_error>

#include "calc/calc_json.hpp"
#include "calc/inventory.hpp"
#include "cli/calc_source.hpp"
#include "factors/factor_library.hpp"
#include "metrics/evaluate.hpp"
#include "package/package_reader.hpp"
#include "telemetry/site_energy.hpp"
#include "telemetry/telemetry.hpp"
#include "units/sha256.hpp"
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

// The monthly metered energy of a package's readings. Readings with errors
// give none: read_package checked them by the same rules, and its
// diagnostics (the run's input diagnostics) already name each error.
inline Status metered_energy(const std::string& package_path, const Package& pkg,
                             std::vector<MeteredSiteMonth>* out) {
  std::vector<ReadingsFile> files;
  Status s = package_readings_files(package_path, pkg, &files);
  if (!s) return s;
  TelemetryResult t;
  s = compute_telemetry(pkg.meters, files, TelemetryOptions{}, &t);
  if (!s) return s;
  if (!t.diagnostics.has_errors()) *out = metered_site_months(t);
  return Status::ok();
}

// The run hash covers the metered energy calc used, not only the records.
inline std::string metered_identity(const std::string& records_identity,
                                    const std::vector<MeteredSiteMonth>& metered) {
  std::string bytes = records_identity;
  for (const MeteredSiteMonth& m : metered) {
    for (const auto* e : {&m.facility, &m.it}) {
      if (!*e) continue;
      bytes += "\n" + (*e)->rollup + "\t";
      json_append_number(&bytes, (*e)->kwh);
      for (const std::string& meter : (*e)->meters) bytes += "\t" + meter;
    }
  }
  return "records+telemetry-sha256:" + sha256_hex(bytes);
}

// The calling thread runs only when a core would otherwise be idle (Linux's
// SCHED_IDLE; elsewhere, or if refused, nothing changes). For work beside
// calc that is needed only at its end: calc's own threads come first.
inline void run_when_idle() {
#ifdef SCHED_IDLE
  sched_param none{};
  pthread_setschedparam(pthread_self(), SCHED_IDLE, &none);
#endif
}

inline Status run_calc(const CalcSource& source, const ReadOptions& options,
                       const std::string& engine_version, CalcRun* out) {
  // calc identifies its input by its records (content_identity below), not
  // by the bytes of the files: no SHA-256 of the package's files.
  ReadOptions read_options = options;
  read_options.hash_files = false;
  Status s = load_calc_source(source, read_options, &out->read);
  if (!s) return s;
  const Package& pkg = out->read.package;
  // The identity (hashing every record) and compute() only read the
  // package: the identity runs beside compute instead of before it, on one
  // thread that yields to compute's (compute plans and adds records on both
  // cores; the identity fills the moments one of them waits). get()
  // rethrows what it threw; on an early return the future of std::async
  // waits in its destructor, so the thread never outlives `out`.
  std::future<std::string> identity;
  try {
    identity = std::async(std::launch::async, [read = &out->read] {
      run_when_idle();
      return content_identity(*read, 1);
    });
  } catch (const std::system_error&) {
    // No thread to be had: it is hashed on this thread when get() asks for it.
    identity =
        std::async(std::launch::deferred, [read = &out->read] { return content_identity(*read); });
  }
  out->library = std::make_unique<FactorLibrary>(
      FactorLibrary::build(pkg.user_factors, pkg.manifest.factor_sets, &out->library_diagnostics));
  CalcOptions co;
  co.engine_version = engine_version;
  // PUE from meters for months without records (spec/metrics.md): only a
  // package (not a ledger) with meters and readings pays for the roll-up.
  std::vector<MeteredSiteMonth> metered;
  if (!source.package.empty() && !pkg.meters.empty() && !pkg.reading_files.empty()) {
    s = metered_energy(source.package, pkg, &metered);
    if (!s) return s;
  }
  if (!metered.empty()) co.metered = &metered;
  out->inventory = compute_with_metrics(pkg, *out->library, co, &out->metrics);
  out->content_identity = identity.get();
  if (!metered.empty()) out->content_identity = metered_identity(out->content_identity, metered);
  out->run_hash = compute_run_hash(out->content_identity, *out->library, engine_version);
  return Status::ok();
}

inline Status run_calc(const std::string& path, const ReadOptions& options,
                       const std::string& engine_version, CalcRun* out) {
  return run_calc(CalcSource{path, "", std::nullopt}, options, engine_version, out);
}

}  // namespace assay::cli
