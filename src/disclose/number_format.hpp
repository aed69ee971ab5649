// How the report writes a number: rounded half away from zero at the
// metric's decimals (metrics/catalog.hpp, the reference report's rounding),
// then digits with a comma every three places and a point before the
// decimals ("6,056,610.1"; "0.00"; "-1,234"). The same in every language:
// the reference report writes its Chinese tables with these digits.
#pragma once

#include <string>

namespace assay::disclose {

// The rounded value (negative zero becomes zero).
double round_for_report(double value, int decimals);

// `value` is written as given at `decimals` (callers pass the rounded value).
std::string format_number(double value, int decimals);

// `value` rounded for the report and followed by its unit label: "1.269",
// "21.4%", "12.76% of base per year", "2,801,805.0 tCO2e" (a label starting
// with "%" joins the number; others take a space).
std::string format_with_unit(double value, int decimals, const std::string& unit_label);

}  // namespace assay::disclose
