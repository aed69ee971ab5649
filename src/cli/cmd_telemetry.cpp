// assay telemetry PACKAGE: meter readings to monthly (and hourly) energy, PUE,
// gaps and the reconciliation against billed electricity.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>

#include "cli/cli_util.hpp"
#include "cli/command.hpp"
#include "package/package_reader.hpp"
#include "telemetry/report.hpp"
#include "telemetry/telemetry.hpp"

namespace assay::cli {

CommandRunner register_telemetry(CLI::App& app) {
  struct Options {
    std::string package;
    std::string hourly_dir;
    bool json = false;
    unsigned threads = 0;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "telemetry",
      "Turn the meter readings of a package (meters.csv, readings/*.csv: cumulative registers) "
      "into "
      "interval energy and roll it up per site, month (UTC) and role; PUE per data centre and "
      "month "
      "and year; gaps per meter; metered facility energy against billed electricity "
      "(reconciliation_gap warning above 2%). Exit 0 when the readings are valid, 1 on data "
      "errors (out-of-order rows, duplicate timestamps with different values, overlapping files), "
      "each named with file and line.");
  cmd->add_option("package", opt->package, "The package folder or .zip")->required();
  cmd->add_flag("--json", opt->json,
                "Print the JSON document of the contract (monthly, pue, gaps, reconciliation, "
                "warnings) on stdout");
  cmd->add_option("--hourly", opt->hourly_dir,
                  "Also write DIR/hourly.csv (site,hour,role,kwh; hour as YYYY-MM-DDTHH:00Z)");
  cmd->add_option(
      "--threads", opt->threads,
      "Worker threads (default: the machine's cores); the output does not depend on it");
  return [opt]() {
    ReadOptions ro;
    ro.write_quarantine = false;
    ro.stream_readings = false;  // telemetry reads and checks the readings itself, in parallel
    PackageReadResult pkg;
    Status s = read_package(opt->package, ro, &pkg);
    if (!s) {
      std::fprintf(stderr, "assay telemetry: %s\n", s.message().c_str());
      return kExitDataError;
    }
    if (pkg.diagnostics.has_errors()) {
      print_diagnostics(pkg.diagnostics);
      if (opt->json) std::printf("%s\n", diagnostics_json(pkg.diagnostics).dump(2).c_str());
      std::fprintf(stderr, "assay telemetry: %s has errors (see above); nothing computed\n",
                   opt->package.c_str());
      return kExitDataError;
    }
    std::vector<ReadingsFile> files;
    if (Status fs = package_readings_files(opt->package, pkg.package, &files); !fs) {
      std::fprintf(stderr, "assay telemetry: %s\n", fs.message().c_str());
      return kExitDataError;
    }
    TelemetryOptions to;
    to.threads = opt->threads;
    to.hourly = !opt->hourly_dir.empty();
    to.progress = terminal_progress("reading meter readings");
    TelemetryResult result;
    s = compute_telemetry(pkg.package.meters, files, to, &result);
    clear_progress_line();
    if (!s) {
      std::fprintf(stderr, "assay telemetry: %s\n", s.message().c_str());
      return kExitDataError;
    }
    if (result.diagnostics.has_errors()) {
      print_diagnostics(result.diagnostics);
      if (opt->json) std::printf("%s\n", diagnostics_json(result.diagnostics).dump(2).c_str());
      std::fprintf(stderr, "assay telemetry: %zu errors in the readings; nothing computed\n",
                   result.diagnostics.error_count());
      return kExitDataError;
    }
    std::string hourly_file;
    if (to.hourly) {
      std::error_code ec;
      std::filesystem::create_directories(opt->hourly_dir, ec);
      hourly_file = (std::filesystem::path(opt->hourly_dir) / "hourly.csv").string();
      if (Status hs = write_hourly_csv(hourly_file, result); !hs) {
        std::fprintf(stderr, "assay telemetry: %s\n", hs.message().c_str());
        return kExitDataError;
      }
    }
    TelemetryReport report = build_telemetry_report(pkg.package, result);
    if (opt->json) {
      std::string doc = telemetry_json(pkg.package.manifest.name, result, report, hourly_file);
      std::fwrite(doc.data(), 1, doc.size(), stdout);
      return kExitOk;
    }
    std::printf("%-12s %-8s %-18s %20s\n", "site", "month", "role", "kWh");
    for (const MonthlyEnergy& r : result.monthly) {
      std::printf("%-12s %-8s %-18s %20.3f\n", r.site.c_str(), format_month(r.month).c_str(),
                  std::string(meter_role_name(r.role)).c_str(), energy_to_kwh(r.energy));
    }
    for (const PueRow& p : report.pue) {
      std::printf("PUE %s %s %s\n", p.site.c_str(),
                  p.month ? format_month(*p.month).c_str() : std::to_string(p.year).c_str(),
                  json_number(p.value).c_str());
    }
    for (const MeterGap& g : result.gaps) {
      std::printf("gap %s %s .. %s\n", g.meter.c_str(), format_utc_timestamp(g.from).c_str(),
                  format_utc_timestamp(g.to).c_str());
    }
    print_diagnostics(result.diagnostics);
    print_diagnostics(report.warnings);
    std::fprintf(stderr,
                 "%s: %llu readings, %zu meters, %zu monthly rows, %zu gaps, %zu warnings\n",
                 opt->package.c_str(), static_cast<unsigned long long>(result.readings),
                 pkg.package.meters.size(), result.monthly.size(), result.gaps.size(),
                 result.diagnostics.items().size() + report.warnings.items().size());
    return kExitOk;
  };
}

}  // namespace assay::cli
