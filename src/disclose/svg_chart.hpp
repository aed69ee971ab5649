// Generic charts of a report as inline SVG: columns over years (stacked, with
// lines on a secondary axis), horizontal bars, a share donut and lines over
// years. A chart is a description of data and texts; render_*() lays it out
// in 640 px wide documents (see svg_canvas.hpp for the guarantees of the
// bytes) that need no script, font file or stylesheet to display.
//
// What a caller may rely on:
//  - the same chart gives the same bytes;
//  - a missing value (std::nullopt, or a non-finite double) is a gap: no bar,
//    no point, the line broken; it is never drawn as 0;
//  - a chart with nothing to draw becomes a small chart with `no_data`;
//  - bars do not go below their axis start: a negative value (or a value
//    below a bar chart's baseline) is drawn with no length at the axis and
//    still labelled with its figure;
//  - every shape of a figure carries the exact figure as a tooltip and the
//    <desc> lists the figures, for readers who cannot see the chart;
//  - value axes step by 1, 2 or 5 × 10^k and cover every drawn value;
//    labels show thousands separators (grouped() of svg_format.hpp);
//  - labels too long for their place end with "…" (the full text stays in a
//    tooltip).
// Heights: 320 px, taller for bar and share charts with many rows.
//
// Every member has an initializer (`{}` at least) so that callers can use
// designated initializers and leave fields out without GCC's
// -Wmissing-field-initializers.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace assay::disclose {

// Texts of every chart, already in the report's language.
struct ChartFrame {
  std::string title{};        // the accessible name (<title>); not drawn
  std::string description{};  // opens <desc>, before the listed figures; may be empty
  std::string no_data{};      // drawn when there is nothing to draw ("No data")
};

struct ChartSeries {
  std::string name{};
  std::vector<std::optional<double>> values{};  // one per category of the chart
};

// Vertical bars over categories (years), series stacked bottom to top, and
// optional lines on a secondary axis at the right whose grid matches.
struct ColumnChart {
  ChartFrame frame{};
  std::vector<std::string> categories{};  // left to right
  std::vector<ChartSeries> stacks{};
  std::string value_unit{};  // caption of the left axis
  int value_decimals = 0;
  std::vector<ChartSeries> lines{};
  std::string line_unit{};  // caption of the right axis
  int line_decimals = 2;
};

struct LabelledValue {
  std::string label{};
  std::optional<double> value{};
};

// Horizontal bars top to bottom in the order given.
struct BarChart {
  ChartFrame frame{};
  std::vector<LabelledValue> bars{};
  std::string value_unit{};
  int value_decimals = 0;
  // Where bars start: the axis begins at the nice tick at or below it
  // (a PUE axis at 1.0, since no data centre can go below 1).
  double baseline = 0;
  std::optional<double> reference{};  // a vertical dashed line (a group average)
  std::string reference_label{};
};

// A donut of the parts of a whole with a legend of figures and percentages.
// Missing parts are left out; negative parts count as 0.
struct ShareChart {
  ChartFrame frame{};
  std::vector<LabelledValue> parts{};
  std::string value_unit{};
  int value_decimals = 0;
  int percent_decimals = 1;
};

struct LineSeries {
  std::string name{};
  std::vector<std::pair<int, std::optional<double>>> points{};  // (year, value), any order
  bool dashed = false;             // a pathway or projection rather than measured figures
  std::optional<size_t> colour{};  // palette index; default: the series' position
  bool label_last_point = false;   // write the figure next to the newest point
};

// Lines over years (the x axis spans every year of every series), with
// markers, and an optional horizontal reference line.
struct LineChart {
  ChartFrame frame{};
  std::vector<LineSeries> series{};
  std::string value_unit{};
  int value_decimals = 1;
  bool start_at_zero = true;  // else the axis covers the data only
  std::optional<double> reference{};
  std::string reference_label{};
};

std::string render_column_chart(const ColumnChart& chart);
std::string render_bar_chart(const BarChart& chart);
std::string render_share_chart(const ShareChart& chart);
std::string render_line_chart(const LineChart& chart);
std::string render_no_data_chart(const ChartFrame& frame);

// Percentages of non-negative `values` rounded at `decimals` so that, as
// written, they add up to exactly 100 (largest remainder method: the rounding
// units left over go to the largest remainders, ties to the earlier part).
// All zeros: all 0.
std::vector<double> percentages_summing_to_100(const std::vector<double>& values, int decimals);

}  // namespace assay::disclose
