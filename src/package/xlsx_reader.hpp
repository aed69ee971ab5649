// Reading the cells of an Excel workbook (.xlsx, Office Open XML
// SpreadsheetML) as text, the way a data owner sees them.
//
// The package reader turns each sheet whose name is a table name into rows of
// that table (spec/data-package.md, "XLSX"). This layer only decodes cells:
//   - shared and inline strings: their text;
//   - numeric cells: the shortest decimal text that reads back to the same
//     double ("1234.5", "0.1"), no exponent for ordinary magnitudes;
//   - numeric cells whose number format is a date or date-time (built-in
//     formats 14-22, 45-47, or a custom format code with d/m/y/h/s outside
//     quotes and brackets): "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SSZ" when the
//     value has a time part; the workbook's 1900 (with Excel's 1900-02-29
//     quirk) or 1904 date system is honoured;
//   - booleans: "true" / "false"; error cells (#N/A...): flagged;
//   - formula cells: the cached value, flagged `from_formula`; a formula cell
//     with no cached value has empty text and is flagged
//     `formula_without_value` (not `from_formula`: there is no value).
// A cell is blank when its text is empty and no flag is set; blank cells are
// not kept after a row's last non-blank one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "units/status.hpp"

namespace assay::xlsx {

struct Cell {
  std::string text;                    // empty: blank cell
  bool from_formula = false;           // value is a formula's cached result
  bool formula_without_value = false;  // formula with no cached result
  bool is_error = false;               // an error value such as #N/A (text holds it)
};

struct Row {
  int64_t row_number = 0;   // 1-based as Excel shows it
  std::vector<Cell> cells;  // index = column - 1; trailing blanks trimmed
};

struct Sheet {
  std::string name;
  std::vector<Row> rows;  // rows with at least one non-blank cell, in row order
};

struct Workbook {
  bool date1904 = false;
  std::vector<Sheet> sheets;  // in workbook order
};

// Bounds that keep a hostile or broken file from exhausting memory or time;
// going past one is a Status, never a partial workbook. Cells are counted as
// held in memory, so the blanks between a row's values count too.
struct Limits {
  int64_t max_part_bytes = int64_t{256} << 20;  // one part, uncompressed
  int64_t max_total_bytes = int64_t{1} << 30;   // all parts read, uncompressed
  int64_t max_cells = int64_t{1} << 24;         // cells in the result
  int64_t max_text_bytes = int64_t{512} << 20;  // bytes of cell text in the result
};

// Reads a workbook from its bytes. A non-zip, a missing part or malformed XML
// is a Status naming the part; cell-level oddities are flags, not failures.
// A sheet is also rejected (Status naming the part and cell) when a cell
// reference is malformed or outside A1:XFD1048576, when rows or the cells of a
// row are not in increasing order (Excel itself refuses such a file), or when
// a shared-string index does not exist. On failure *out is left untouched.
Status read_workbook(const std::string& bytes, Workbook* out);
Status read_workbook(const std::string& bytes, const Limits& limits, Workbook* out);

}  // namespace assay::xlsx
