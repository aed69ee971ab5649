#include "model/date.hpp"

#include <cstdio>

namespace assay {
namespace {

bool digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

struct Civil {
  int y;
  unsigned m, d;
};

Civil civil_from_days(int32_t z) {
  z += 719468;
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

}  // namespace

int32_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int32_t>(doe) - 719468;
}

bool is_valid_civil(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= max;
}

int Date::year() const { return civil_from_days(days).y; }
int Date::month() const { return static_cast<int>(civil_from_days(days).m); }
int Date::day() const { return static_cast<int>(civil_from_days(days).d); }

std::optional<Date> parse_date(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!digits(s, 0, 4, &y) || !digits(s, 5, 2, &m) || !digits(s, 8, 2, &d)) return std::nullopt;
  if (!is_valid_civil(y, m, d)) return std::nullopt;
  return Date{days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d))};
}

std::optional<int32_t> parse_month(std::string_view s) {
  int y, m;
  if (s.size() != 7 || s[4] != '-') return std::nullopt;
  if (!digits(s, 0, 4, &y) || !digits(s, 5, 2, &m)) return std::nullopt;
  if (y < 1 || m < 1 || m > 12) return std::nullopt;
  return y * 12 + (m - 1);
}

std::optional<int64_t> parse_timestamp(std::string_view s) {
  // YYYY-MM-DDTHH:MM[:SS[.fff]](Z|+hh:mm|-hh:mm)
  if (s.size() < 17) return std::nullopt;
  auto date = parse_date(s.substr(0, 10));
  if (!date || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) return std::nullopt;
  int hh, mm, ss = 0;
  if (!digits(s, 11, 2, &hh) || s[13] != ':' || !digits(s, 14, 2, &mm)) return std::nullopt;
  size_t i = 16;
  if (i < s.size() && s[i] == ':') {
    if (!digits(s, i + 1, 2, &ss)) return std::nullopt;
    i += 3;
    if (i < s.size() && s[i] == '.') {
      ++i;
      size_t start = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == start) return std::nullopt;
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  int64_t offset = 0;
  if (i >= s.size()) return std::nullopt;  // the contract requires Z or an offset
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    int oh, om;
    if (!digits(s, i + 1, 2, &oh) || i + 3 >= s.size() || s[i + 3] != ':' ||
        !digits(s, i + 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = (oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return static_cast<int64_t>(date->days) * 86400 + hh * 3600 + mm * 60 + ss - offset;
}

std::string format_date(Date d) {
  Civil c = civil_from_days(d.days);
  char buf[40];  // sized for any int, so -Wformat-truncation can prove it fits
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.y, c.m, c.d);
  return buf;
}

std::string format_month(int32_t month_index) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d", month_index / 12, month_index % 12 + 1);
  return buf;
}

std::string format_utc_timestamp(int64_t t) {
  int64_t days = t / 86400;
  if (t % 86400 < 0) --days;  // floor, for times before 1970
  int64_t secs = t - days * 86400;
  char buf[48];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return format_date(Date{static_cast<int32_t>(days)}) + buf;
}

Date first_day_of_year(int year) { return Date{days_from_civil(year, 1, 1)}; }
Date last_day_of_year(int year) { return Date{days_from_civil(year, 12, 31)}; }

}  // namespace assay
