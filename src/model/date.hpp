// Calendar dates, months and UTC timestamps as the data package writes them.
//
// Dates are proleptic Gregorian days counted from 1970-01-01 so that periods
// can be apportioned by days with integer arithmetic (spec: "a straddling
// record is apportioned to years by days", periods inclusive of both ends).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace assay {

struct Date {
  int32_t days = 0;  // days since 1970-01-01
  int year() const;
  int month() const;  // 1..12
  int day() const;
  bool operator==(const Date&) const = default;
  auto operator<=>(const Date&) const = default;
};

// Days since 1970-01-01 of a valid civil date (Howard Hinnant's algorithm).
int32_t days_from_civil(int y, unsigned m, unsigned d);
bool is_valid_civil(int y, int m, int d);

std::optional<Date> parse_date(std::string_view s);      // YYYY-MM-DD
std::optional<int32_t> parse_month(std::string_view s);  // YYYY-MM -> year*12 + (month-1)
// ISO 8601 with Z or +hh:mm / -hh:mm offset; seconds (and fractions) optional.
// Returns seconds since the epoch, UTC (fractions truncated toward -inf).
std::optional<int64_t> parse_timestamp(std::string_view s);
std::string format_date(Date d);
std::string format_month(int32_t month_index);  // year*12 + (month-1) -> YYYY-MM
// Seconds since the epoch as YYYY-MM-DDTHH:MM:SSZ (UTC).
std::string format_utc_timestamp(int64_t unix_seconds);
Date first_day_of_year(int year);
Date last_day_of_year(int year);

}  // namespace assay
