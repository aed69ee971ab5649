// Reading one table (a CSV file or a workbook sheet) against its schema.
//
// read_table() checks the header (unknown columns other than `x_*`, missing
// required columns, duplicates: any of these rejects the whole file), then
// hands each well-formed row to the table's RowHandler, which validates the
// cells and keeps the record only when the row has no error. Every rejected
// row is copied to the quarantine with its reasons.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/records.hpp"
#include "package/byte_source.hpp"
#include "package/csv_reader.hpp"
#include "package/quarantine.hpp"
#include "units/diagnostic.hpp"

namespace assay {

struct ColumnSpec {
  std::string_view name;
  bool required = false;
};

struct TableSchema {
  std::string_view name;  // "activities" (file activities.csv, sheet "activities")
  std::vector<ColumnSpec> columns;
};

// One row as the handler sees it: cells by schema column.
class RowContext {
 public:
  RowContext(const std::string& file, const CsvRecord& record,
             const std::vector<int>& field_of_column, DiagnosticSink* sink);

  // Cell of schema column `col` (empty when the file has no such column).
  std::string_view cell(int col) const;
  bool quoted(int col) const;
  bool empty(int col) const { return cell(col).empty(); }
  int64_t line() const { return record_.line; }
  const std::string& file() const { return file_; }
  SourceRef source() const { return SourceRef{file_, record_.line}; }

  void error(int col, std::string code, std::string message);
  void warning(int col, std::string code, std::string message);
  bool has_errors() const { return errors_ > 0; }
  // Errors and warnings this row has had so far.
  int diagnostic_count() const { return errors_ + warnings_; }
  size_t diagnostics_begin() const { return first_diagnostic_; }

 private:
  int32_t position(int col) const;
  const std::string& file_;
  const CsvRecord& record_;
  const std::vector<int>& field_of_column_;
  DiagnosticSink* sink_;
  size_t first_diagnostic_;
  int errors_ = 0;
  int warnings_ = 0;
};

class RowHandler {
 public:
  virtual ~RowHandler() = default;
  virtual const TableSchema& schema() const = 0;
  // Validates the row; stores the record only if `row.has_errors()` is false at the end.
  virtual void handle(RowContext& row) = 0;
  // Called with the raw text of the row after the one about to be handled, so
  // that a handler with large look-up tables can start loading what that row
  // will need (a cache miss per row otherwise dominates big tables).
  // `field_of_column` maps schema columns to field positions. Only a hint.
  virtual void prefetch(std::string_view /*next_line*/,
                        const std::vector<int>& /*field_of_column*/) {}

  // Reading one table in parts on several threads (split_reader). A handler
  // whose rows depend on earlier rows only through the ids they claim may
  // return a worker: same checks, its records go to `records`. While the parts
  // are read neither it nor its workers look ids up (begin_parts); whether an
  // id repeats is settled once for the whole table (settle_parts). Others
  // return nullptr and their table is read on one thread.
  virtual std::unique_ptr<RowHandler> fork(Package* /*records*/) { return nullptr; }
  // From now on rows are read in parts: ids are noted, not looked up.
  virtual void begin_parts() {}
  // Appends a worker's records and noted ids (parts are absorbed in file order).
  virtual void absorb(RowHandler& /*worker*/) {}
  // After every part is absorbed: true when no id checked by a row of the
  // table equals the id of a kept row (of this table or one read before), so
  // that no row came out differently for not having looked its id up. The
  // handler then goes on as if the rows had been read one by one.
  virtual bool settle_parts() { return false; }
  // Back to the state before begin_parts(), the table's records dropped: it
  // is then read again on one thread.
  virtual void abandon_parts() {}
  // A hint: about `rows` more records will come (spares regrowing the vector).
  virtual void reserve_rows(size_t /*rows*/) {}
};

// Where the rows of one table come from.
struct TableInput {
  std::string label;            // "activities.csv" or "book.xlsx[activities]" (for messages)
  std::string quarantine_name;  // file name inside the quarantine folder
  // Produces the rows; the CSV form streams from a ByteSource.
  std::function<bool(CsvRecord*)> next;
  std::function<std::string_view()> peek_line;  // optional: see RowHandler::prefetch
  std::function<void(std::function<void(std::string_view)>)> set_overflow_sink;
  // Copies the whole input to the quarantine (a file rejected whole).
  std::function<void(Quarantine*)> copy_whole;
};

struct TableStats {
  uint64_t rows = 0;
  uint64_t rejected = 0;
  uint64_t parts_merged = 0;  // parts read on other threads and used (split_reader)
};

TableStats read_table(TableInput& input, RowHandler& handler, DiagnosticSink* sink,
                      Quarantine* quarantine);

// read_table() in two steps, for split_reader.
struct TableHeader {
  std::string raw;  // the header line's bytes, first line of a quarantined file
  std::vector<int> field_of_column;
  size_t expected_fields = 0;
};
// Reads and checks the header. Returns false when the rows are not to be
// read (empty file, or a header error: the file was then read to its end and
// quarantined whole). `header` must outlive the reading of the rows: the
// overflow sink installed here refers to it.
bool read_header(TableInput& input, RowHandler& handler, DiagnosticSink* sink,
                 Quarantine* quarantine, TableHeader* header, TableStats* stats);
// Reads the rows until input.next() returns false.
void read_rows(TableInput& input, RowHandler& handler, const TableHeader& header,
               DiagnosticSink* sink, Quarantine* quarantine, TableStats* stats);

}  // namespace assay
