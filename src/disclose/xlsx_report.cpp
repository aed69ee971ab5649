// The XLSX renderer (xlsx_report.hpp), on libxlsxwriter (Debian 12: 1.1.4).
#include "disclose/xlsx_report.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace assay::disclose {
namespace {

// docProps/core.xml carries a creation date, which libxlsxwriter takes from
// the clock unless it is given one (workbook.h, lxw_doc_properties::created;
// 0 means "now"). A fixed date keeps the same report byte-identical; it is
// the date libxlsxwriter itself stamps on every zip entry (packager.c), so the
// file claims no date it does not have. 1980-01-01T00:00:00Z.
constexpr std::time_t kFixedCreationTime = 315'532'800;

// Excel's sheet-name limit (Excel specifications and limits), counted in
// UTF-16 code units as Excel counts; libxlsxwriter checks code points, which
// are never more.
constexpr size_t kMaxSheetName = 31;

// KPI sheets: four rows of title block, then the header row.
constexpr lxw_row_t kKpiHeaderRow = 4;
// Other sheets: a title row, then the header row.
constexpr lxw_row_t kListHeaderRow = 1;

// ------------------------------------------------------------ UTF-8 text --

// Decodes the code point at s[i] and advances i; a malformed byte counts as
// one character so that widths and truncation never stall.
char32_t next_code_point(std::string_view s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  size_t length = lead < 0x80           ? 1
                  : (lead >> 5) == 0x6  ? 2
                  : (lead >> 4) == 0xE  ? 3
                  : (lead >> 3) == 0x1E ? 4
                                        : 1;
  if (i + length > s.size()) length = 1;
  char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (byte(i + k) & 0x3F);
  i += length;
  return cp;
}

// East Asian wide characters take about two columns of Calibri 11.
double display_width(std::string_view s) {
  double width = 0;
  for (size_t i = 0; i < s.size();) width += next_code_point(s, i) >= 0x2E80 ? 2.0 : 1.0;
  return width;
}

// The longest prefix of `s` of at most `units` UTF-16 code units, never
// cutting a character.
std::string truncate_utf16(const std::string& s, size_t units) {
  size_t used = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t next = i;
    const size_t cost = next_code_point(s, next) >= 0x10000 ? 2 : 1;
    if (used + cost > units) break;
    used += cost;
    i = next;
  }
  return s.substr(0, i);
}

// ----------------------------------------------------------- sheet names --

// Hands out valid, unique sheet names (Excel: at most 31 characters, none of
// []:*?/\, not starting or ending with an apostrophe, unique ignoring case,
// and not "History", which Excel reserves).
class SheetNames {
 public:
  std::string claim(const std::string& wanted, const std::string& fallback) {
    std::string base = clean(wanted);
    if (base.empty()) base = clean(fallback);
    if (base.empty()) base = "Sheet";
    std::string name = trim(truncate_utf16(base, kMaxSheetName));
    for (int n = 2; taken(name); ++n) {
      const std::string suffix = " (" + std::to_string(n) + ")";
      name = trim(truncate_utf16(base, kMaxSheetName - suffix.size())) + suffix;
    }
    used_.push_back(fold(name));
    return name;
  }

 private:
  static std::string clean(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) {
        out += '-';
      } else if (static_cast<unsigned char>(c) < 0x20) {
        out += ' ';
      } else {
        out += c;
      }
    }
    return trim(out);
  }
  static std::string trim(std::string s) {
    const auto edge = [](char c) { return c == ' ' || c == '\''; };
    while (!s.empty() && edge(s.back())) s.pop_back();
    size_t start = 0;
    while (start < s.size() && edge(s[start])) ++start;
    return s.substr(start);
  }
  // Excel compares names ignoring case; ASCII folding covers the names a
  // report makes (Chinese has no case).
  static std::string fold(std::string s) {
    for (char& c : s) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
  }
  bool taken(const std::string& name) const {
    return std::find(used_.begin(), used_.end(), fold(name)) != used_.end();
  }

  std::vector<std::string> used_{"history"};
};

// ---------------------------------------------------------------- styles --

// The workbook's formats, made once each (libxlsxwriter keeps every format
// added, so asking twice must not add twice).
class Styles {
 public:
  explicit Styles(lxw_workbook* workbook) : workbook_(workbook) {}

  lxw_format* title() {
    return get("title", [](lxw_format* f) {
      format_set_bold(f);
      format_set_font_size(f, 14);
    });
  }
  lxw_format* bold() {
    return get("bold", [](lxw_format* f) { format_set_bold(f); });
  }
  lxw_format* header() {
    return get("header", [](lxw_format* f) {
      format_set_bold(f);
      format_set_bottom(f, LXW_BORDER_THIN);
    });
  }
  lxw_format* label(int indent, bool heading) {
    const int level = std::clamp(indent, 0, 15);  // Excel's indent range
    if (level == 0 && !heading) return nullptr;
    return get("label" + std::to_string(level) + (heading ? "b" : ""), [&](lxw_format* f) {
      format_set_indent(f, static_cast<uint8_t>(level));
      if (heading) format_set_bold(f);
    });
  }
  // "#,##0", "#,##0.0", "#,##0.00", ...: thousands separators and exactly the
  // row's decimals, as the reference report prints figures.
  lxw_format* figure(int decimals) {
    const int places = std::clamp(decimals, 0, 15);
    std::string code = "#,##0";
    if (places > 0) code += "." + std::string(static_cast<size_t>(places), '0');
    return get(code, [&](lxw_format* f) { format_set_num_format(f, code.c_str()); });
  }
  lxw_format* percent() {
    return get("0.0%", [](lxw_format* f) { format_set_num_format(f, "0.0%"); });
  }
  lxw_format* wrapped() {
    return get("wrap", [](lxw_format* f) {
      format_set_text_wrap(f);
      format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    });
  }

 private:
  template <typename Setup>
  lxw_format* get(const std::string& key, Setup setup) {
    auto it = formats_.find(key);
    if (it != formats_.end()) return it->second;
    lxw_format* format = workbook_add_format(workbook_);
    setup(format);
    formats_.emplace(key, format);
    return format;
  }

  lxw_workbook* workbook_;
  std::map<std::string, lxw_format*> formats_;
};

// ---------------------------------------------------------------- sheets --

std::string cell_name(lxw_row_t row, lxw_col_t col) {
  std::string letters;
  for (unsigned c = col + 1u; c > 0; c = (c - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  }
  return letters + std::to_string(row + 1);
}

// One worksheet: writes cells, keeps the first libxlsxwriter error (with the
// cell it happened at) and the widest text of each column for its width.
class Sheet {
 public:
  Sheet(lxw_worksheet* sheet, std::string name, Status* status)
      : sheet_(sheet), name_(std::move(name)), status_(status) {}

  // `fits` false: the text may run over the next empty cells (titles, notes)
  // and does not widen its column.
  void text(lxw_row_t row, lxw_col_t col, const std::string& s, lxw_format* format = nullptr,
            bool fits = true) {
    check(worksheet_write_string(sheet_, row, col, s.c_str(), format), row, col);
    if (fits) widen(col, display_width(s));
  }
  void number(lxw_row_t row, lxw_col_t col, double value, lxw_format* format,
              const std::string& shown) {
    check(worksheet_write_number(sheet_, row, col, value, format), row, col);
    widen(col, display_width(shown));
  }
  // Sets every used column's width to its widest text, within [least, most].
  void fit_column(lxw_col_t col, double least, double most) {
    const double wanted = col < widths_.size() ? widths_[col] + 2 : 0;
    worksheet_set_column(sheet_, col, col, std::clamp(wanted, least, most), nullptr);
  }
  void set_column(lxw_col_t col, double width, lxw_format* format) {
    worksheet_set_column(sheet_, col, col, width, format);
  }
  void freeze_rows(lxw_row_t rows) { worksheet_freeze_panes(sheet_, rows, 0); }

 private:
  void check(lxw_error error, lxw_row_t row, lxw_col_t col) {
    if (error == LXW_NO_ERROR || !status_->is_ok()) return;
    *status_ = Status::error("sheet '" + name_ + "' cell " + cell_name(row, col) + ": " +
                             lxw_strerror(error));
  }
  void widen(lxw_col_t col, double width) {
    if (widths_.size() <= col) widths_.resize(col + 1u, 0);
    widths_[col] = std::max(widths_[col], width);
  }

  lxw_worksheet* sheet_;
  std::string name_;
  Status* status_;
  std::vector<double> widths_;
};

class ReportWorkbook {
 public:
  explicit ReportWorkbook(lxw_workbook* workbook) : workbook_(workbook), styles_(workbook) {}

  // A new sheet named after `wanted` (or `fallback`), or nullopt on error.
  std::optional<Sheet> add_sheet(const std::string& wanted, const std::string& fallback) {
    const std::string name = names_.claim(wanted, fallback);
    lxw_worksheet* sheet = workbook_add_worksheet(workbook_, name.c_str());
    if (sheet == nullptr) {
      if (status_.is_ok()) status_ = Status::error("cannot add a sheet named '" + name + "'");
      return std::nullopt;
    }
    return Sheet(sheet, name, &status_);
  }
  Styles& styles() { return styles_; }
  Status& status() { return status_; }

 private:
  lxw_workbook* workbook_;
  Styles styles_;
  SheetNames names_;
  Status status_;
};

lxw_col_t column(size_t index) { return static_cast<lxw_col_t>(index); }

std::string year_text(int year, const UiText& ui) { return std::to_string(year) + ui.year_suffix; }

std::string joined(const std::vector<int>& numbers) {
  std::string out;
  for (int n : numbers) out += (out.empty() ? "" : ", ") + std::to_string(n);
  return out;
}

// A figure: the rounded value as a number cell; the "not available" text when
// there is none (or, against the model's invariant, no finite rounded value).
void write_cell(Sheet& sheet, lxw_row_t row, lxw_col_t col, const Cell& cell, int decimals,
                const UiText& ui, Styles& styles) {
  if (cell.rounded && std::isfinite(*cell.rounded)) {
    sheet.number(row, col, *cell.rounded, styles.figure(decimals), cell.text);
  } else {
    sheet.text(row, col, cell.value ? cell.text : ui.not_available);
  }
}

void write_kpi_table(ReportWorkbook& book, const Report& report, const KpiTable& table) {
  std::optional<Sheet> sheet = book.add_sheet(table.title, table.id);
  if (!sheet) return;
  Styles& styles = book.styles();
  const UiText& ui = report.ui;
  sheet->text(0, 0, ui.report_title, styles.title(), false);
  sheet->text(1, 0, report.package_name, nullptr, false);
  sheet->text(2, 0, year_text(report.reporting_year, ui), nullptr, false);
  sheet->text(3, 0, table.title, styles.bold(), false);

  const size_t years = report.years.size();
  const lxw_col_t notes_col = column(2 + years);
  sheet->text(kKpiHeaderRow, 0, ui.indicator, styles.header());
  sheet->text(kKpiHeaderRow, 1, ui.unit, styles.header());
  for (size_t y = 0; y < years; ++y) {
    sheet->text(kKpiHeaderRow, column(2 + y), year_text(report.years[y], ui), styles.header());
  }
  sheet->text(kKpiHeaderRow, notes_col, ui.notes, styles.header());

  lxw_row_t row = kKpiHeaderRow + 1;
  for (const KpiRow& kpi : table.rows) {
    sheet->text(row, 0, kpi.label, styles.label(kpi.indent, kpi.heading));
    if (!kpi.heading) {
      sheet->text(row, 1, kpi.unit);
      for (size_t y = 0; y < years && y < kpi.cells.size(); ++y) {
        write_cell(*sheet, row, column(2 + y), kpi.cells[y], kpi.decimals, ui, styles);
      }
    }
    if (!kpi.notes.empty()) sheet->text(row, notes_col, joined(kpi.notes));
    ++row;
  }

  if (!table.notes.empty()) {
    ++row;
    sheet->text(row++, 0, ui.notes, styles.bold(), false);
    for (size_t n = 0; n < table.notes.size(); ++n) {
      sheet->text(row++, 0, std::to_string(n + 1) + ". " + table.notes[n], nullptr, false);
    }
  }

  sheet->freeze_rows(kKpiHeaderRow + 1);
  sheet->fit_column(0, 24, 70);
  sheet->fit_column(1, 8, 30);
  for (size_t y = 0; y < years; ++y) sheet->fit_column(column(2 + y), 12, 20);
  sheet->fit_column(notes_col, 8, 12);
}

// A list sheet: title row, header row, frozen below the header.
std::optional<Sheet> add_list_sheet(ReportWorkbook& book, const std::string& title,
                                    const std::string& fallback,
                                    const std::vector<std::string>& heads) {
  std::optional<Sheet> sheet = book.add_sheet(title, fallback);
  if (!sheet) return sheet;
  sheet->text(0, 0, title.empty() ? fallback : title, book.styles().title(), false);
  for (size_t c = 0; c < heads.size(); ++c) {
    sheet->text(kListHeaderRow, column(c), heads[c], book.styles().header());
  }
  sheet->freeze_rows(kListHeaderRow + 1);
  return sheet;
}

void fit_columns(Sheet& sheet, size_t count, double most) {
  for (size_t c = 0; c < count; ++c) sheet.fit_column(column(c), 8, most);
}

std::string dated(int year, const std::string& value, const UiText& ui) {
  return year > 0 ? year_text(year, ui) + ": " + value : value;
}

void write_targets(ReportWorkbook& book, const Report& report) {
  if (report.targets.empty()) return;
  const UiText& ui = report.ui;
  std::optional<Sheet> sheet = add_list_sheet(
      book, ui.targets, "Targets",
      {ui.target_id, ui.target_metric, ui.target_kind, ui.target_base, ui.target_goal,
       ui.target_current, ui.target_progress, ui.target_required, ui.notes});
  if (!sheet) return;
  lxw_row_t row = kListHeaderRow + 1;
  for (const TargetRow& t : report.targets) {
    sheet->text(row, 0, t.target_id);
    sheet->text(row, 1, t.metric_label);
    sheet->text(row, 2, t.kind);
    sheet->text(row, 3, dated(t.base_year, t.base_value, ui));
    sheet->text(row, 4, dated(t.target_year, t.target_value, ui));
    sheet->text(row, 5, dated(t.current_year, t.current_value, ui));
    if (t.progress && std::isfinite(*t.progress)) {
      // An Excel percent cell holds the fraction; rounded at one decimal of a
      // percent as the catalog shows target.progress (half away from zero).
      const double percent = std::round(*t.progress * 10) / 10;
      sheet->number(row, 6, percent / 100, book.styles().percent(), t.progress_text);
    } else {
      sheet->text(row, 6, t.progress_text.empty() ? ui.not_available : t.progress_text);
    }
    sheet->text(row, 7, t.required_annual_text);
    sheet->text(row, 8, t.note);
    ++row;
  }
  fit_columns(*sheet, 9, 40);
}

std::string places_text(const IndexEntry& entry) {
  std::string out;
  for (const IndexEntry::Place& place : entry.answered_in) {
    if (!out.empty()) out += "; ";
    out += place.table_title;
    if (!place.metric_label.empty()) out += " — " + place.metric_label;
  }
  return out;
}

void write_index(ReportWorkbook& book, const Report& report, const FrameworkIndex& index) {
  const UiText& ui = report.ui;
  // The last column: the package's explanation of a not-material item.
  std::optional<Sheet> sheet = add_list_sheet(
      book, index.title, index.id,
      {ui.index_code, ui.index_requirement, ui.index_status, ui.index_where, ui.index_explanation});
  if (!sheet) return;
  lxw_row_t row = kListHeaderRow + 1;
  for (const IndexEntry& entry : index.entries) {
    sheet->text(row, 0, entry.code_text.empty() ? entry.code : entry.code_text);
    sheet->text(row, 1, entry.title);
    sheet->text(row, 2, entry.status_text);
    sheet->text(row, 3, places_text(entry));
    sheet->text(row, 4, entry.explanation);
    ++row;
  }
  sheet->fit_column(0, 8, 24);
  sheet->fit_column(1, 20, 60);
  sheet->fit_column(2, 10, 20);
  sheet->fit_column(3, 20, 80);
  sheet->fit_column(4, 10, 80);
}

void write_method(ReportWorkbook& book, const Report& report) {
  const UiText& ui = report.ui;
  std::optional<Sheet> sheet = book.add_sheet(ui.method, "Method");
  if (!sheet) return;
  sheet->text(0, 0, ui.method.empty() ? "Method" : ui.method, book.styles().title(), false);
  lxw_row_t row = 1;
  for (const std::string& paragraph : report.method_notes) {
    sheet->text(row++, 0, paragraph, nullptr, false);
  }
  ++row;
  sheet->text(row++, 0, ui.run_hash + ": " + report.run_hash, nullptr, false);
  if (!ui.generated_by.empty()) sheet->text(row++, 0, ui.generated_by, nullptr, false);
  // Paragraphs wrap in one wide column rather than run off to the right.
  sheet->set_column(0, 100, book.styles().wrapped());
}

void write_warnings(ReportWorkbook& book, const Report& report) {
  // Heads in the report's language; the messages stay as the engine wrote
  // them (English, ReportWarning), so they can be searched for.
  std::optional<Sheet> sheet = add_list_sheet(book, report.ui.warnings, "Warnings",
                                              {report.ui.warning_severity, report.ui.warning_code,
                                               report.ui.warning_where, report.ui.warning_message});
  if (!sheet) return;
  lxw_row_t row = kListHeaderRow + 1;
  if (report.warnings.empty()) sheet->text(row, 0, report.ui.no_warnings, nullptr, false);
  for (const ReportWarning& w : report.warnings) {
    sheet->text(row, 0, w.severity);
    sheet->text(row, 1, w.code);
    sheet->text(row, 2, w.where);
    sheet->text(row, 3, w.message, nullptr, false);
    ++row;
  }
  sheet->fit_column(0, 10, 12);
  sheet->fit_column(1, 10, 40);
  sheet->fit_column(2, 10, 40);
  sheet->set_column(3, 100, nullptr);
}

}  // namespace

Status write_report_xlsx(const Report& report, const std::string& path) {
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) return Status::error("cannot create workbook " + path);

  // lxw_doc_properties takes char*; these strings outlive workbook_close.
  std::string title = report.ui.report_title;
  std::string subject = report.package_name + " " + std::to_string(report.reporting_year);
  std::string comments = report.ui.generated_by;
  lxw_doc_properties properties{};
  properties.title = title.data();
  properties.subject = subject.data();
  properties.comments = comments.data();
  properties.created = kFixedCreationTime;
  workbook_set_properties(workbook, &properties);

  ReportWorkbook book(workbook);
  for (const KpiTable& table : report.tables) write_kpi_table(book, report, table);
  write_targets(book, report);
  for (const FrameworkIndex& index : report.indexes) write_index(book, report, index);
  write_method(book, report);
  write_warnings(book, report);

  if (!book.status().is_ok()) {
    lxw_workbook_free(workbook);  // nothing is written before workbook_close
    return Status::error("writing " + path + ": " + book.status().message());
  }
  // libxlsxwriter opens the file only in workbook_close and then also prints
  // its own message to stderr; trying first gives the caller one clear error.
  if (std::FILE* probe = std::fopen(path.c_str(), "wb")) {
    std::fclose(probe);
  } else {
    const std::string reason = std::strerror(errno);
    lxw_workbook_free(workbook);
    return Status::error("cannot create " + path + ": " + reason);
  }
  const lxw_error error = workbook_close(workbook);
  if (error != LXW_NO_ERROR) return Status::error("writing " + path + ": " + lxw_strerror(error));
  return Status::ok();
}

}  // namespace assay::disclose
