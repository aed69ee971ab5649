#include "disclose/number_format.hpp"

#include <cmath>
#include <cstdio>

#include "metrics/catalog.hpp"

namespace assay::disclose {

double round_for_report(double value, int decimals) {
  const double r = round_half_away_from_zero(value, decimals);
  return r == 0.0 ? 0.0 : r;  // -0.0 -> 0.0: "-0.0" is not a figure anyone published
}

std::string format_number(double value, int decimals) {
  if (!std::isfinite(value)) return "—";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals < 0 ? 0 : decimals, value);
  std::string digits(buf);
  const bool negative = !digits.empty() && digits[0] == '-';
  if (negative) digits.erase(0, 1);
  const auto point = digits.find('.');
  const std::string whole = digits.substr(0, point);
  const std::string frac = point == std::string::npos ? "" : digits.substr(point);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  return (negative ? "-" : "") + grouped + frac;
}

}  // namespace assay::disclose
