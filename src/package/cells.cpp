#include "package/cells.hpp"

#include <charconv>
#include <cstdio>

namespace assay {

std::string quote_value(std::string_view value) {
  constexpr size_t kMaxShown = 60;
  std::string out = "\"";
  size_t n = std::min(value.size(), kMaxShown);
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (value.size() > kMaxShown) out += "...";
  out += '"';
  return out;
}

bool require_cell(RowContext& row, int col, std::string_view name, std::string_view expected) {
  if (!row.empty(col)) return true;
  row.error(col, "required_missing",
            std::string(name) + " is required (expected " + std::string(expected) + ")");
  return false;
}

std::optional<Decimal> decimal_cell(RowContext& row, int col, std::string_view name, Sign sign) {
  std::string_view v = row.cell(col);
  bool quoted = row.quoted(col);
  auto d = Decimal::parse(v, quoted);
  if (!d) {
    if (!quoted && v.find(',') != std::string_view::npos) {
      row.error(col, "number_thousands",
                std::string(name) + " " + quote_value(v) +
                    " has a thousands separator outside quotes (expected the field in quotes, "
                    "e.g. \"6,056,610.1\", or no separator)");
    } else {
      row.error(col, "number_invalid",
                std::string(name) + " " + quote_value(v) +
                    " is not a number (expected digits with . as the decimal point, e.g. 1234.5)");
    }
    return std::nullopt;
  }
  if (sign == Sign::kNonNegative && d->is_negative()) {
    row.error(col, "number_negative",
              std::string(name) + " " + quote_value(v) + " is negative (expected a value >= 0)");
    return std::nullopt;
  }
  return d;
}

std::optional<Date> date_cell(RowContext& row, int col, std::string_view name) {
  auto d = parse_date(row.cell(col));
  if (!d) {
    row.error(col, "date_invalid",
              std::string(name) + " " + quote_value(row.cell(col)) +
                  " is not a date (expected YYYY-MM-DD)");
  }
  return d;
}

std::optional<int32_t> month_cell(RowContext& row, int col, std::string_view name) {
  auto m = parse_month(row.cell(col));
  if (!m) {
    row.error(col, "month_invalid",
              std::string(name) + " " + quote_value(row.cell(col)) +
                  " is not a month (expected YYYY-MM)");
  }
  return m;
}

std::optional<bool> bool_cell(RowContext& row, int col, std::string_view name) {
  std::string_view v = row.cell(col);
  if (v == "true") return true;
  if (v == "false") return false;
  row.error(
      col, "bool_invalid",
      std::string(name) + " " + quote_value(v) + " is not a boolean (expected true or false)");
  return std::nullopt;
}

std::optional<int> int_cell(RowContext& row, int col, std::string_view name, int lo, int hi) {
  std::string_view v = row.cell(col);
  int out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size() || v.empty() || v[0] == '+' || out < lo ||
      out > hi) {
    row.error(col, "integer_invalid",
              std::string(name) + " " + quote_value(v) + " is not an integer from " +
                  std::to_string(lo) + " to " + std::to_string(hi));
    return std::nullopt;
  }
  return out;
}

std::optional<int> year_cell(RowContext& row, int col, std::string_view name) {
  std::string_view v = row.cell(col);
  if (v.size() == 4) {
    int out = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + 4, out);
    if (ec == std::errc() && ptr == v.data() + 4 && out >= 1000) return out;
  }
  row.error(col, "year_invalid",
            std::string(name) + " " + quote_value(v) + " is not a year (expected YYYY)");
  return std::nullopt;
}

bool is_identifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool is_country_code(std::string_view s) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

bool is_grid_region(std::string_view s) {
  if (is_country_code(s)) return true;
  if (s.size() < 4 || !is_country_code(s.substr(0, 2)) || s[2] != '-') return false;
  for (char c : s.substr(3)) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string_view country_of_region(std::string_view region) { return region.substr(0, 2); }

}  // namespace assay
