// Diagnostic: one finding about the input, written for the person who must
// fix it. Every row-level error carries where it is (file or workbook[sheet],
// physical line or row, 1-based column = field position) and what was
// expected, so that `file:line:column: message` is enough to act on.
//
// Codes are stable strings (documented in docs/diagnostics.md); messages may
// be reworded between versions, codes may not.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace assay {

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;     // "activities.csv" or "book.xlsx[activities]"; empty if none
  int64_t line = 0;     // physical line (CSV) or row (XLSX); 0 if not about a line
  int32_t column = 0;   // 1-based field position; 0 if about the whole row or file
  std::string code;     // stable machine code, e.g. "unit_invalid"
  std::string message;  // what is wrong and the expected form
  // Optional context used by calc warnings (spec: record, site, region, metric).
  std::string record;
  std::string site;
  std::string region;
  std::string metric;

  bool is_error() const { return severity == Severity::kError; }
  // "file:line:column: message" (parts that are unset are left out).
  std::string to_string() const;
};

// Collects diagnostics in the order they were found.
class DiagnosticSink {
 public:
  void add(Diagnostic d) {
    if (d.is_error()) ++error_count_;
    items_.push_back(std::move(d));
  }
  void error(std::string file, int64_t line, int32_t column, std::string code,
             std::string message) {
    add(Diagnostic{Severity::kError,
                   std::move(file),
                   line,
                   column,
                   std::move(code),
                   std::move(message),
                   {},
                   {},
                   {},
                   {}});
  }
  void warning(std::string file, int64_t line, int32_t column, std::string code,
               std::string message) {
    add(Diagnostic{Severity::kWarning,
                   std::move(file),
                   line,
                   column,
                   std::move(code),
                   std::move(message),
                   {},
                   {},
                   {},
                   {}});
  }
  const std::vector<Diagnostic>& items() const { return items_; }
  std::vector<Diagnostic>& items() { return items_; }
  size_t error_count() const { return error_count_; }
  bool has_errors() const { return error_count_ > 0; }

 private:
  std::vector<Diagnostic> items_;
  size_t error_count_ = 0;
};

}  // namespace assay
