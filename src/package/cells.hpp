// Parsing cells with the contract's forms, reporting a precise error naming
// the column and the expected form. Each returns nullopt after reporting.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/date.hpp"
#include "package/table_reader.hpp"
#include "units/decimal.hpp"

namespace assay {

// Reports `<name> is required` when the cell is empty; returns false then.
bool require_cell(RowContext& row, int col, std::string_view name, std::string_view expected);

enum class Sign { kAny, kNonNegative };
std::optional<Decimal> decimal_cell(RowContext& row, int col, std::string_view name, Sign sign);
std::optional<Date> date_cell(RowContext& row, int col, std::string_view name);
std::optional<int32_t> month_cell(RowContext& row, int col, std::string_view name);
std::optional<bool> bool_cell(RowContext& row, int col, std::string_view name);
std::optional<int> year_cell(RowContext& row, int col, std::string_view name);
std::optional<int> int_cell(RowContext& row, int col, std::string_view name, int lo, int hi);

// `"litre"`: a cell value quoted for messages (control bytes shown as \xNN, long values cut).
std::string quote_value(std::string_view value);

bool is_identifier(std::string_view s);    // [A-Za-z0-9_.-]+
bool is_country_code(std::string_view s);  // two upper-case letters
// A grid region: a country code or CC-NAME with NAME of [A-Za-z0-9_.]+.
bool is_grid_region(std::string_view s);
std::string_view country_of_region(std::string_view region);

}  // namespace assay
