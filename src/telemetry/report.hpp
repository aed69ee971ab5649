// What `assay telemetry` reports besides the roll-ups: PUE per data centre
// and month / year, and the reconciliation of metered against billed energy
// (spec/data-package.md, telemetry; JSON shape in its Outputs section).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/records.hpp"
#include "telemetry/telemetry.hpp"
#include "units/json_text.hpp"
#include "units/status.hpp"

namespace assay {

struct PueRow {
  std::string site;
  std::optional<int32_t> month;  // a month row, or
  int year = 0;                  // a year row (month empty)
  double value = 0;
};

struct ReconciliationRow {
  std::string site;
  int32_t month = 0;
  double metered_kwh = 0;
  double billed_kwh = 0;
  std::optional<double> difference_pct;  // empty when billed is 0
};

struct TelemetryReport {
  // Per site: month rows in month order, then year rows. A month has a PUE
  // when it has both facility and IT energy (IT > 0); a year's PUE is the sum
  // of facility over the sum of IT of those months.
  std::vector<PueRow> pue;
  // Per (site, month) with facility meter energy and billed electricity
  // (electricity.grid + electricity.onsite_renewable, apportioned to months
  // by days, period inclusive); sorted by site, month.
  std::vector<ReconciliationRow> reconciliation;
  // reconciliation_gap warnings (|difference_pct| > 2), with site.
  DiagnosticSink warnings;
};

TelemetryReport build_telemetry_report(const Package& package, const TelemetryResult& result);

// The contract's JSON document (one line per array element; byte-identical
// for the same inputs). `hourly_file` empty: the key is left out.
std::string telemetry_json(const std::string& package, const TelemetryResult& result,
                           const TelemetryReport& report, const std::string& hourly_file);

// site,hour,role,kwh rows, sorted by site, hour, role.
Status write_hourly_csv(const std::string& path, const TelemetryResult& result);

// json_number() is in units/json_text.hpp.

}  // namespace assay
