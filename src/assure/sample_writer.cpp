#include "assure/sample_writer.hpp"

#include <xlsxwriter.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "factors/conversion.hpp"
#include "model/date.hpp"

namespace assay {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// RFC 4180: quote a field holding a comma, quote or line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Columns written as numbers in the workbook.
bool numeric_column(size_t column) {
  return column == 0 || column == 6 || column == 8 || column == 12 || column == 13 || column == 14;
}

}  // namespace

SampleParameters sample_parameters(const Sample& s) {
  return {{"metric", s.metric},
          {"year", std::to_string(s.year)},
          {"unit", s.unit},
          {"figure_value", format_number(s.figure_value)},
          {"method",
           "monetary-unit sampling weighted by |contribution|, key items then systematic "
           "selection from a random start (std::mt19937_64); see src/assure/README.md"},
          {"requested", std::to_string(s.requested)},
          {"seed", std::to_string(s.seed)},
          {"population_records", std::to_string(s.population)},
          {"population_total", format_number(s.population_total)},
          {"key_items", std::to_string(s.key_items)},
          {"interval", format_number(s.interval)},
          {"random_start", format_number(s.random_start)},
          {"selected", std::to_string(s.records.size())}};
}

std::vector<std::vector<std::string>> sample_rows(const Sample& s) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"selection", "record_id", "site_id", "start", "end", "activity", "quantity",
                  "unit", "quantity_in_year", "evidence", "factor", "citation", "contribution",
                  "calc_contribution", "share_pct", "selected_by", "source"});
  size_t i = 0;
  for (const SampledRecord& r : s.records) {
    const ActivityRecord& a = *r.item.record;
    const double share = s.figure_value != 0.0 ? 100.0 * r.item.contribution / s.figure_value : 0.0;
    std::string source(a.source.file);
    if (!source.empty() && a.source.line > 0) source += ":" + std::to_string(a.source.line);
    rows.push_back(
        {std::to_string(++i), std::string(a.record_id), std::string(a.site_id),
         format_date(a.start), format_date(a.end), std::string(a.activity), a.quantity.to_string(),
         std::string(a.unit), format_number(r.item.quantity_in_year), std::string(a.evidence),
         describe_factors(r.item), describe_citations(r.item), format_number(r.item.recomputed),
         format_number(r.item.contribution), format_number(share),
         r.key_item ? "key item (>= interval)"
                    : "systematic, monetary unit " + format_number(r.point),
         source});
  }
  return rows;
}

Status write_sample(const Sample& sample, const SampleParameters& parameters,
                    const std::string& path) {
  const auto rows = sample_rows(sample);
  if (ends_with(path, ".csv")) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return Status::error("cannot write " + path);
    for (const auto& [name, value] : parameters) out << "# " << name << ": " << value << "\n";
    for (const auto& row : rows) {
      for (size_t c = 0; c < row.size(); ++c) out << (c ? "," : "") << csv_field(row[c]);
      out << "\n";
    }
    out.close();
    if (!out) return Status::error("cannot write " + path);
    return Status::ok();
  }
  if (!ends_with(path, ".xlsx")) {
    return Status::error("--out must end in .csv or .xlsx: " + path);
  }
  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr) return Status::error("cannot create " + path);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Sample");
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const auto row = static_cast<lxw_row_t>(r);
      const auto col = static_cast<lxw_col_t>(c);
      const std::string& cell = rows[r][c];
      if (r > 0 && numeric_column(c)) {
        char* end = nullptr;
        const double v = std::strtod(cell.c_str(), &end);
        if (end != nullptr && *end == '\0' && std::isfinite(v)) {
          worksheet_write_number(ws, row, col, v, nullptr);
          continue;
        }
      }
      worksheet_write_string(ws, row, col, cell.c_str(), r == 0 ? bold : nullptr);
    }
  }
  worksheet_freeze_panes(ws, 1, 0);
  lxw_worksheet* ps = workbook_add_worksheet(wb, "Parameters");
  lxw_row_t pr = 0;
  for (const auto& [name, value] : parameters) {
    worksheet_write_string(ps, pr, 0, name.c_str(), bold);
    worksheet_write_string(ps, pr, 1, value.c_str(), nullptr);
    ++pr;
  }
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    return Status::error("writing " + path + ": " + lxw_strerror(err));
  }
  return Status::ok();
}

}  // namespace assay
