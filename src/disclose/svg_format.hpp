// Text and number helpers of the SVG charts (svg_chart.hpp): XML escaping,
// fixed-decimal numbers, labels fitted to a width, and "nice" axes.
//
// Everything here is a pure function of its arguments and independent of the
// C locale, so the same chart input always gives the same bytes. Invariants:
//  - escape_xml() returns text that is valid XML 1.0 character data and
//    attribute content (invalid UTF-8 becomes U+FFFD, control characters
//    other than tab and newline are dropped);
//  - fixed() and grouped() never write "nan", "inf" or "-0".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace assay::disclose::svg {

std::string escape_xml(std::string_view text);

// `value` rounded half away from zero at `decimals` (the metric catalog's rule,
// so a chart label shows what the KPI table shows): "1234.50". A value that
// is not finite is written as 0.
std::string fixed(double value, int decimals);

// fixed() with a comma between groups of three digits: "6,056,610.1".
std::string grouped(double value, int decimals);

// Width of `text` in px at `font_size`, estimated without font metrics:
// CJK and full-width characters take 1 em, the rest 0.6 em (a little more than
// an average Latin sans glyph, so estimates err on the side of room).
double text_width(std::string_view text, double font_size);

// `text` unchanged when it fits in `max_width`, else as many leading
// characters as fit followed by "…". Never splits a UTF-8 sequence.
std::string fit_text(std::string_view text, double max_width, double font_size);

// A value axis from `lo` to `hi` with ticks every `step`, where step is
// 1, 2 or 5 × 10^k and lo, hi are multiples of step covering the data.
struct Axis {
  double lo = 0;
  double hi = 1;
  double step = 0.2;
  int decimals = 1;           // decimals a tick label needs to show `step`
  std::vector<double> ticks;  // lo, lo + step, ..., hi
};

// The axis of at most about `max_intervals` intervals that covers
// [data_lo, data_hi]. Non-finite bounds count as 0; an empty range becomes
// [data_lo, data_lo + max(1, |data_lo| / 10)].
Axis nice_axis(double data_lo, double data_hi, int max_intervals = 5);

// An axis from 0 with exactly `intervals` intervals of a nice step that
// covers `data_hi`: a secondary axis whose grid lines match the primary's.
Axis nice_axis_with_intervals(double data_hi, int intervals);

}  // namespace assay::disclose::svg
