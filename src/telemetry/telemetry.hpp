// Telemetry: cumulative meter registers (readings/*.csv) to interval energy,
// rolled up per site, month and hour (spec/data-package.md, "meters.csv and
// readings/*.csv").
//
// Rules (the contract's): the energy of an interval is the difference of two
// consecutive readings of a meter, assigned to the UTC month and hour of the
// later reading; a negative difference is a register reset and the energy is
// then the new reading itself; MWh meters count x1000 in kWh. Rows of a file
// are in time order per meter; two readings with one timestamp and different
// values are an error (equal values: counted once, warned); a meter's files
// may not overlap in time, and the interval that spans two of its files
// counts. A gap is an interval longer than twice the median of all the
// meter's intervals.
//
// Invariants a caller may rely on:
//  - Energy is summed exactly: each reading becomes an integer count of
//    1e-12 kWh (exact for values with up to 12 decimals in kWh, 9 in MWh;
//    finer digits are rounded half-even, per reading), and sums are 128-bit
//    integers. The result is therefore the same whatever the thread count and
//    the order in which chunks finish: the same bytes out for the same input.
//  - Memory is bounded by meters x files (per-meter state and per-file
//    segment ends), plus the hourly grid (sites x roles x hours) when asked
//    for; never by the number of readings.
//  - Every data error is a Diagnostic naming file and line; errors make the
//    result unusable (callers exit 1), warnings do not.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/date.hpp"
#include "model/records.hpp"
#include "units/diagnostic.hpp"
#include "units/status.hpp"

namespace assay {

class ByteSource;

// An exact energy: a count of 1e-12 kWh.
using EnergyUnits = __int128;
constexpr int kEnergyDecimals = 12;
// Correctly rounded kWh of an exact energy.
double energy_to_kwh(EnergyUnits e);

struct TelemetryOptions {
  // Worker threads; 0 = the machine's cores (at most 8). Output does not depend on it.
  unsigned threads = 0;
  // Also roll up per (site, hour, role); costs sites x roles x hours of memory.
  bool hourly = false;
  // Called now and then with (bytes done, bytes total) from one worker thread.
  std::function<void(uint64_t, uint64_t)> progress;
};

struct MonthlyEnergy {
  std::string site;
  int32_t month = 0;  // year*12 + month-1
  MeterRole role = MeterRole::kFacility;
  EnergyUnits energy = 0;
  std::vector<std::string> meters;  // the meters whose intervals made it, in id order
};

struct HourlyEnergy {
  std::string site;
  int64_t hour = 0;  // hours since 1970-01-01T00:00Z
  MeterRole role = MeterRole::kFacility;
  EnergyUnits energy = 0;
};

struct MeterGap {
  std::string meter;
  int64_t from = 0;  // seconds since the epoch, UTC: the earlier reading
  int64_t to = 0;    // the later reading
};

struct TelemetryResult {
  // Sorted by site, month, role name (byte order).
  std::vector<MonthlyEnergy> monthly;
  // Sorted by site, hour, role name; empty unless options.hourly.
  std::vector<HourlyEnergy> hourly;
  // Sorted by meter, from.
  std::vector<MeterGap> gaps;
  // Errors and warnings about readings, sorted by file, line, column, code.
  DiagnosticSink diagnostics;
  uint64_t readings = 0;  // rows that were readings (accepted or not)
  uint64_t bytes = 0;     // bytes of readings files
};

// A readings file: its name in the package (for diagnostics) and where it is.
// `disk_path` set: read with mmap, split at line boundaries across threads.
// Otherwise `open` streams it (a zip entry), on one thread.
struct ReadingsFile {
  std::string name;
  std::string disk_path;
  std::function<Status(std::unique_ptr<ByteSource>*)> open;
};

// Computes the roll-ups of `files` for `meters`. Returns non-ok only for I/O
// failures; data problems are in result->diagnostics.
Status compute_telemetry(const std::vector<Meter>& meters, const std::vector<ReadingsFile>& files,
                         const TelemetryOptions& options, TelemetryResult* result);

// The readings files of a package read by read_package (folder or zip).
Status package_readings_files(const std::string& package_path, const Package& package,
                              std::vector<ReadingsFile>* out);

std::string_view meter_role_name(MeterRole role);
// format_utc_timestamp() is in model/date.hpp.
// "2024-03-01T10:00Z"
std::string format_utc_hour(int64_t hour);

}  // namespace assay
