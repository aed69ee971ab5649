#include "package/readings.hpp"

#include <algorithm>

#include "package/cells.hpp"

namespace assay {

ReadingsHandler::ReadingsHandler(ReadContext* ctx) : ctx_(ctx) {}

const TableSchema& ReadingsHandler::schema() const {
  static const TableSchema s{"readings", {{"ts", true}, {"meter_id", true}, {"value", true}}};
  return s;
}

void ReadingsHandler::begin_file(const std::string& name) {
  close_file();
  file_ = name;
  state_.assign(ctx_->package->meters.size(), MeterState{});
}

void ReadingsHandler::close_file() {
  for (size_t m : touched_) {
    ranges_.push_back({file_, m, state_[m].min_ts, state_[m].max_ts});
  }
  touched_.clear();
}

void ReadingsHandler::handle(RowContext& row) {
  enum { kTs, kMeter, kValue };
  std::optional<int64_t> ts;
  if (require_cell(row, kTs, "ts", "an ISO 8601 timestamp with Z or an offset")) {
    ts = parse_timestamp(row.cell(kTs));
    if (!ts) {
      row.error(kTs, "timestamp_invalid",
                "ts " + quote_value(row.cell(kTs)) +
                    " is not a timestamp (expected ISO 8601 with Z or an offset, e.g. "
                    "2024-01-01T00:15:00Z)");
    }
  }
  size_t meter = 0;
  bool meter_ok = false;
  if (require_cell(row, kMeter, "meter_id", "a meter_id of meters.csv")) {
    const size_t* index = ctx_->meter_index.find(row.cell(kMeter));
    if (!index) {
      row.error(kMeter, "meter_unknown",
                "meter_id " + quote_value(row.cell(kMeter)) + " is not a meter of meters.csv");
    } else {
      meter = *index;
      meter_ok = true;
    }
  }
  std::optional<Decimal> value;
  if (require_cell(row, kValue, "value", "a cumulative register reading >= 0")) {
    value = decimal_cell(row, kValue, "value", Sign::kNonNegative);
  }
  if (row.has_errors() || !meter_ok || !ts || !value) return;
  MeterState& s = state_[meter];
  if (*ts < s.last_ts) {
    row.error(kTs, "readings_out_of_order",
              "reading of meter " + std::string(row.cell(kMeter)) + " at " +
                  format_utc_timestamp(*ts) + " comes after one at " +
                  format_utc_timestamp(s.last_ts) + " (line " + std::to_string(s.last_line) +
                  "; expected rows of a meter in time order)");
    return;
  }
  if (*ts == s.last_ts) {
    if (!(*value == s.last_value)) {
      row.error(kValue, "duplicate_timestamp",
                "meter " + std::string(row.cell(kMeter)) + " has two readings at " +
                    format_utc_timestamp(*ts) + " with different values (" +
                    s.last_value.to_string() + " on line " + std::to_string(s.last_line) + ")");
    } else {
      row.warning(kTs, "duplicate_reading",
                  "reading of meter " + std::string(row.cell(kMeter)) + " at " +
                      format_utc_timestamp(*ts) + " repeats line " + std::to_string(s.last_line) +
                      "; counted once");
    }
    return;
  }
  if (s.min_ts == INT64_MAX) touched_.push_back(meter);
  s.last_ts = *ts;
  s.last_value = *value;
  s.last_line = row.line();
  s.min_ts = std::min(s.min_ts, *ts);
  s.max_ts = std::max(s.max_ts, *ts);
}

void ReadingsHandler::finish(DiagnosticSink* sink) {
  close_file();
  std::sort(ranges_.begin(), ranges_.end(), [](const FileRange& a, const FileRange& b) {
    return a.meter != b.meter ? a.meter < b.meter : a.from < b.from;
  });
  for (size_t i = 1; i < ranges_.size(); ++i) {
    const FileRange& a = ranges_[i - 1];
    const FileRange& b = ranges_[i];
    if (a.meter == b.meter && b.from <= a.to) {
      sink->error(b.file, 0, 0, "readings_overlap",
                  "readings of meter " + ctx_->package->meters[b.meter].meter_id + " in " + b.file +
                      " (" + format_utc_timestamp(b.from) + ".." + format_utc_timestamp(b.to) +
                      ") overlap those in " + a.file + " (" + format_utc_timestamp(a.from) + ".." +
                      format_utc_timestamp(a.to) +
                      "; expected the files of a meter to cover separate time ranges)");
    }
  }
  ranges_.clear();
}

}  // namespace assay
