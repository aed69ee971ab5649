#include "factors/factor_csv.hpp"

#include <array>
#include <map>

#include "units/decimal.hpp"
#include "units/unit.hpp"

namespace assay {

std::vector<SimpleCsvRecord> parse_simple_csv(std::string_view text) {
  std::vector<SimpleCsvRecord> out;
  size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  int64_t line = 1;
  const size_t n = text.size();
  while (i < n) {
    SimpleCsvRecord rec;
    rec.line = line;
    std::string field;
    bool in_quotes = false;
    bool done = false;
    while (i < n && !done) {
      char c = text[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
          } else {
            in_quotes = false;
            ++i;
          }
        } else {
          if (c == '\n') ++line;
          field.push_back(c);
          ++i;
        }
      } else if (c == '"') {
        in_quotes = true;
        ++i;
      } else if (c == ',') {
        rec.fields.push_back(std::move(field));
        field.clear();
        ++i;
      } else if (c == '\r' && i + 1 < n && text[i + 1] == '\n') {
        i += 2;
        ++line;
        done = true;
      } else if (c == '\n') {
        ++i;
        ++line;
        done = true;
      } else {
        field.push_back(c);
        ++i;
      }
    }
    rec.fields.push_back(std::move(field));
    // An empty physical line is skipped.
    if (rec.fields.size() == 1 && rec.fields[0].empty()) continue;
    out.push_back(std::move(rec));
  }
  return out;
}

std::vector<FactorRow> parse_factor_csv(std::string_view text, const std::string& file,
                                        DiagnosticSink* diags) {
  std::vector<FactorRow> rows;
  auto records = parse_simple_csv(text);
  if (records.empty()) return rows;
  static constexpr std::array kColumns = {"factor_set", "key",  "region", "year",      "quantity",
                                          "value",      "unit", "source", "confidence"};
  std::map<std::string, size_t> col;
  const auto& header = records[0].fields;
  for (size_t c = 0; c < header.size(); ++c) col[header[c]] = c;
  for (size_t k = 0; k < kColumns.size() - 1; ++k) {
    if (!col.count(kColumns[k])) {
      diags->error(file, 1, 0, "header_missing_column",
                   std::string("factor file lacks column \"") + kColumns[k] + "\"");
      return rows;
    }
  }
  auto get = [&](const SimpleCsvRecord& r, const char* name) -> std::string {
    auto it = col.find(name);
    if (it == col.end() || it->second >= r.fields.size()) return {};
    return r.fields[it->second];
  };
  for (size_t i = 1; i < records.size(); ++i) {
    const auto& r = records[i];
    if (r.fields.size() != header.size()) {
      diags->error(file, r.line, 0, "field_count",
                   "expected " + std::to_string(header.size()) + " fields, found " +
                       std::to_string(r.fields.size()));
      continue;
    }
    FactorRow row;
    row.factor_set = get(r, "factor_set");
    row.key = get(r, "key");
    row.region = get(r, "region");
    row.year = get(r, "year");
    row.quantity = get(r, "quantity");
    row.unit = get(r, "unit");
    row.source = get(r, "source");
    row.confidence = get(r, "confidence");
    row.origin = SourceRef{file, r.line};
    std::string value_text = get(r, "value");
    auto value = Decimal::parse(value_text);
    if (row.factor_set.empty() || row.key.empty() || row.region.empty() || row.year.empty() ||
        row.quantity.empty() || row.unit.empty()) {
      diags->error(file, r.line, 0, "required_missing", "a required factor column is empty");
      continue;
    }
    if (!value) {
      diags->error(file, r.line, static_cast<int32_t>(col["value"] + 1), "number_invalid",
                   "value \"" + value_text + "\" is not a number");
      continue;
    }
    if (!parse_ratio_unit(row.unit)) {
      diags->error(file, r.line, static_cast<int32_t>(col["unit"] + 1), "unit_invalid",
                   "unit \"" + row.unit + "\" is not a known unit or ratio of units");
      continue;
    }
    row.value = *value;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace assay
