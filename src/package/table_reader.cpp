#include "package/table_reader.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <unordered_map>

namespace assay {

RowContext::RowContext(const std::string& file, const CsvRecord& record,
                       const std::vector<int>& field_of_column, DiagnosticSink* sink)
    : file_(file),
      record_(record),
      field_of_column_(field_of_column),
      sink_(sink),
      first_diagnostic_(sink->items().size()) {}

std::string_view RowContext::cell(int col) const {
  int f = field_of_column_[static_cast<size_t>(col)];
  return f < 0 ? std::string_view() : record_.fields[static_cast<size_t>(f)].value;
}

bool RowContext::quoted(int col) const {
  int f = field_of_column_[static_cast<size_t>(col)];
  return f >= 0 && record_.fields[static_cast<size_t>(f)].quoted;
}

int32_t RowContext::position(int col) const {
  if (col < 0) return 0;
  int f = field_of_column_[static_cast<size_t>(col)];
  return f < 0 ? 0 : f + 1;
}

void RowContext::error(int col, std::string code, std::string message) {
  ++errors_;
  sink_->error(file_, record_.line, position(col), std::move(code), std::move(message));
}

void RowContext::warning(int col, std::string code, std::string message) {
  ++warnings_;
  sink_->warning(file_, record_.line, position(col), std::move(code), std::move(message));
}

namespace {

std::string separator_hint(std::string_view name) {
  for (char c : {';', '\t', '|'}) {
    if (name.find(c) != std::string_view::npos) {
      std::string shown = c == '\t' ? "a tab" : std::string("'") + c + "'";
      return " (the separator must be a comma; this header seems to use " + shown + ")";
    }
  }
  return "";
}

void reject_row(const TableInput& input, std::string_view header_raw, const CsvRecord& record,
                DiagnosticSink* sink, size_t first_diag, Quarantine* quarantine) {
  if (!record.raw_streamed) quarantine->write(input.quarantine_name, header_raw, record.raw);
  for (size_t i = first_diag; i < sink->items().size(); ++i) {
    if (sink->items()[i].is_error()) quarantine->add_reason(sink->items()[i]);
  }
}

}  // namespace

TableStats read_table(TableInput& input, RowHandler& handler, DiagnosticSink* sink,
                      Quarantine* quarantine) {
  TableStats stats;
  TableHeader header;
  if (read_header(input, handler, sink, quarantine, &header, &stats))
    read_rows(input, handler, header, sink, quarantine, &stats);
  return stats;
}

bool read_header(TableInput& input, RowHandler& handler, DiagnosticSink* sink,
                 Quarantine* quarantine, TableHeader* out, TableStats* stats_out) {
  TableStats& stats = *stats_out;
  const TableSchema& schema = handler.schema();
  std::string& header_raw = out->raw;
  // Rows too long to hold are streamed straight into the quarantine.
  if (input.set_overflow_sink) {
    input.set_overflow_sink([&input, &header_raw, quarantine](std::string_view chunk) {
      quarantine->write(input.quarantine_name, header_raw, chunk);
    });
  }
  CsvRecord header;
  if (!input.next(&header)) {
    sink->error(input.label, 1, 0, "empty_file",
                "the file is empty (expected a header row naming the columns of " +
                    std::string(schema.name) + ")");
    quarantine->add_reason(sink->items().back());
    quarantine->write(input.quarantine_name, "", "");  // the (empty) file, kept as it came
    return false;
  }
  header_raw = header.raw_streamed ? std::string() : std::string(header.raw);
  // Map the header onto the schema.
  size_t first_diag = sink->items().size();
  bool header_ok = true;
  auto header_error = [&](int32_t column, std::string code, std::string message) {
    header_ok = false;
    sink->error(input.label, header.line, column, std::move(code), std::move(message));
  };
  std::vector<int> field_of_column(schema.columns.size(), -1);
  if (header.has_error) {
    header_error(header.error_column, header.error_code, "header: " + header.error_message);
  } else {
    std::unordered_map<std::string_view, int> seen;
    for (size_t f = 0; f < header.fields.size(); ++f) {
      std::string_view name = header.fields[f].value;
      int32_t pos = static_cast<int32_t>(f + 1);
      if (!seen.emplace(name, static_cast<int>(f)).second) {
        header_error(pos, "header_duplicate",
                     "column \"" + std::string(name) + "\" appears twice in the header");
        continue;
      }
      bool known = false;
      for (size_t c = 0; c < schema.columns.size(); ++c) {
        if (schema.columns[c].name == name) {
          field_of_column[c] = static_cast<int>(f);
          known = true;
        }
      }
      if (!known && name.substr(0, 2) != "x_") {
        std::string expected;
        for (size_t c = 0; c < schema.columns.size(); ++c) {
          expected += (c ? ", " : "") + std::string(schema.columns[c].name);
        }
        header_error(pos, "header_unknown_column",
                     "unknown column \"" + std::string(name) + "\"" + separator_hint(name) +
                         " (expected one of " + expected + ", or a name starting with x_)");
      }
    }
    for (size_t c = 0; c < schema.columns.size(); ++c) {
      if (schema.columns[c].required && field_of_column[c] < 0) {
        header_error(0, "header_missing_column",
                     "required column \"" + std::string(schema.columns[c].name) +
                         "\" is missing from the header");
      }
    }
  }
  if (!header_ok) {
    // A header error rejects the whole file, quarantined whole.
    for (size_t i = first_diag; i < sink->items().size(); ++i)
      quarantine->add_reason(sink->items()[i]);
    if (input.set_overflow_sink) input.set_overflow_sink(nullptr);  // copied whole below
    CsvRecord rest;
    while (input.next(&rest)) ++stats.rows;
    stats.rejected = stats.rows;
    if (input.copy_whole) input.copy_whole(quarantine);
    return false;
  }
  out->field_of_column = std::move(field_of_column);
  out->expected_fields = header.fields.size();
  return true;
}

void read_rows(TableInput& input, RowHandler& handler, const TableHeader& header,
               DiagnosticSink* sink, Quarantine* quarantine, TableStats* stats) {
  const size_t expected_fields = header.expected_fields;
  const std::vector<int>& field_of_column = header.field_of_column;
  CsvRecord record;
  while (input.next(&record)) {
    ++stats->rows;
    size_t diag_start = sink->items().size();
    if (record.has_error) {
      sink->error(input.label, record.line, record.error_column, record.error_code,
                  record.error_message);
    } else if (record.fields.size() != expected_fields) {
      int32_t column = static_cast<int32_t>(std::min(record.fields.size(), expected_fields) + 1);
      std::string hint = record.fields.size() > expected_fields
                             ? " (a comma inside a value needs the value in quotes, e.g. "
                               "\"6,056,610.1\")"
                             : "";
      sink->error(input.label, record.line, column, "field_count",
                  "expected " + std::to_string(expected_fields) +
                      " fields as in the header, found " + std::to_string(record.fields.size()) +
                      hint);
    } else {
      if (input.peek_line) handler.prefetch(input.peek_line(), field_of_column);
      RowContext row(input.label, record, field_of_column, sink);
      handler.handle(row);
      // A row's findings read left to right, whatever order the handler
      // checked them in; findings about the whole row (column 0) come last.
      auto& items = sink->items();
      if (items.size() - diag_start > 1) {
        std::stable_sort(items.begin() + static_cast<std::ptrdiff_t>(diag_start), items.end(),
                         [](const Diagnostic& a, const Diagnostic& b) {
                           auto key = [](const Diagnostic& d) {
                             return d.column == 0 ? INT32_MAX : d.column;
                           };
                           return key(a) < key(b);
                         });
      }
      if (!row.has_errors()) continue;
    }
    ++stats->rejected;
    reject_row(input, header.raw, record, sink, diag_start, quarantine);
  }
}

}  // namespace assay
