// Validation of meter readings (readings/*.csv: ts, meter_id, value).
//
// Streams every file once, with memory bounded by the number of meters:
// rows of a meter within a file must be in time order, two readings of a
// meter with one timestamp and different values are an error (equal values:
// a harmless repeat, warned), and a meter's files may not overlap in time.
// The readings themselves are not stored: telemetry streams them again.
#pragma once

#include <memory>
#include <string>

#include "package/table_reader.hpp"
#include "package/tables.hpp"

namespace assay {

class ReadingsHandler final : public RowHandler {
 public:
  explicit ReadingsHandler(ReadContext* ctx);
  const TableSchema& schema() const override;
  void handle(RowContext& row) override;
  // Called before each readings file.
  void begin_file(const std::string& name);
  // After all files: per-meter overlaps between files, as file-level errors.
  void finish(DiagnosticSink* sink);

 private:
  struct MeterState {
    int64_t last_ts = INT64_MIN;
    Decimal last_value;
    int64_t last_line = 0;
    int64_t min_ts = INT64_MAX;  // within the current file
    int64_t max_ts = INT64_MIN;
  };
  struct FileRange {
    std::string file;
    size_t meter;
    int64_t from, to;
  };
  void close_file();
  ReadContext* ctx_;
  std::string file_;
  std::vector<MeterState> state_;
  std::vector<size_t> touched_;
  std::vector<FileRange> ranges_;
};

}  // namespace assay
