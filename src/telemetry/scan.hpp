// Internal to src/telemetry: scanning one chunk of a readings file.
//
// A chunk is a run of whole lines of one file (or a whole file read through
// the general CSV reader). The scanner keeps, per meter, the last reading it
// saw (rows of a meter in a chunk must be in time order), turns each pair of
// consecutive readings into an interval, and remembers the meter's first and
// last reading of the chunk so that the interval spanning two chunks (or two
// files) is added when the chunks are stitched, in order, by telemetry.cpp.
//
// Line numbers in a ChunkResult are relative to the chunk (1 = its first
// line) until the merge adds the lines before it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/accumulate.hpp"
#include "units/flat_string_map.hpp"

namespace assay::telemetry_internal {

// What the scanner knows about the meters (shared, read-only, by all threads).
struct MeterTable {
  std::vector<std::string> ids;
  std::vector<uint32_t> group;     // meter -> (site, role) group
  std::vector<int> unit_pow;       // 0 kWh, 3 MWh: powers of ten to 1 kWh
  std::vector<EnergyUnits> scale;  // meter * 4 + decimals (0..3) -> units per last digit
  FlatStringMap<uint32_t> index;
  size_t groups = 0;
};

struct Reading {
  int64_t ts = kNoTime;
  EnergyUnits value = 0;
  int64_t line = 0;
};

struct Segment {
  uint32_t meter = 0;
  Reading first, last;
};

struct ChunkResult {
  Accumulator acc;
  std::vector<Segment> segments;  // per touched meter, in meter order
  std::vector<Diagnostic> diagnostics;
  int64_t lines = 0;  // lines the chunk holds
  uint64_t readings = 0;
  bool needs_general = false;  // a quoted field: re-read the file with the CSV reader
  Status status;
};

struct ScanSettings {
  const MeterTable* meters = nullptr;
  bool hourly = false;
  // Per meter: intervals longer than this are gaps (second pass), or nullptr:
  // keep intervals longer than twice the shortest seen so far (first pass).
  const int64_t* gap_threshold = nullptr;
};

// Lines [begin, end) of `file` (whole lines; no header).
void scan_lines(const ScanSettings& settings, const std::string& file, const char* begin,
                const char* end, ChunkResult* out);

// A whole file through the RFC 4180 reader (quoted fields, any column order).
void scan_csv(const ScanSettings& settings, const std::string& file, ByteSource* source,
              ChunkResult* out);

// Value text -> exact units for a meter whose unit is 10^unit_pow kWh.
bool parse_energy(std::string_view text, int unit_pow, EnergyUnits* out, bool* negative);

}  // namespace assay::telemetry_internal
