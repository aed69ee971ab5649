#include "disclose/number_format.hpp"

#include "disclose/svg_format.hpp"
#include "metrics/catalog.hpp"

namespace assay::disclose {

double round_for_report(double value, int decimals) {
  const double r = round_half_away_from_zero(value, decimals);
  return r == 0.0 ? 0.0 : r;  // -0.0 -> 0.0: "-0.0" is not a figure anyone published
}

// One writer of digits for tables and charts (svg_format.hpp: locale-free,
// never "-0", "nan" or "inf"), so a chart label reads as its table cell.
std::string format_number(double value, int decimals) { return svg::grouped(value, decimals); }

std::string format_with_unit(double value, int decimals, const std::string& unit_label) {
  const std::string number = format_number(round_for_report(value, decimals), decimals);
  if (unit_label.empty()) return number;
  return unit_label.starts_with("%") ? number + unit_label : number + " " + unit_label;
}

}  // namespace assay::disclose
