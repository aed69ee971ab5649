// Layouts of the four generic charts; see svg_chart.hpp.
#include "disclose/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "disclose/svg_canvas.hpp"
#include "disclose/svg_format.hpp"

namespace assay::disclose {
namespace {

using svg::Anchor;
using svg::Canvas;
using svg::coord;
using svg::grouped;
using svg::TextStyle;

constexpr double kWidth = 640;
constexpr double kHeight = 320;
constexpr double kPad = 8;
constexpr double kTickFont = 11;
constexpr double kLegendFont = 12;
constexpr double kLegendRow = 18;
constexpr double kXLabelBand = 24;  // below a plot: category or year labels

std::optional<double> finite(std::optional<double> v) {
  if (v && std::isfinite(*v)) return v;
  return std::nullopt;
}

std::optional<double> at(const std::vector<std::optional<double>>& values, size_t i) {
  return i < values.size() ? finite(values[i]) : std::nullopt;
}

std::string with_unit(const std::string& figure, const std::string& unit) {
  return unit.empty() ? figure : figure + " " + unit;
}

// A linear map from a value axis onto pixels; values outside the axis are
// drawn at its ends (the "bars stop at their axis" rule of svg_chart.hpp).
struct Scale {
  double lo, hi, px_lo, px_hi;
  double operator()(double v) const {
    const double t = (std::clamp(v, lo, hi) - lo) / (hi - lo);
    return px_lo + t * (px_hi - px_lo);
  }
};

struct LegendEntry {
  std::string name;
  size_t colour;
  enum class Swatch { kBox, kLine, kDashedLine, kReference } swatch = Swatch::kBox;
};

// Legend entries left to right from the top, wrapping to new rows; returns
// the y below the legend.
double draw_legend(Canvas& canvas, const std::vector<LegendEntry>& entries, double top) {
  if (entries.empty()) return top;
  constexpr double kMaxName = 200;
  double x = kPad;
  double baseline = top + 12;
  for (const auto& e : entries) {
    const double name_width = std::min(kMaxName, svg::text_width(e.name, kLegendFont));
    const double entry_width = 22 + name_width + 16;
    if (x > kPad && x + entry_width > canvas.width() - kPad) {
      x = kPad;
      baseline += kLegendRow;
    }
    const auto& colour = svg::palette(e.colour);
    const double mid = baseline - 4;
    switch (e.swatch) {
      case LegendEntry::Swatch::kBox:
        canvas.rect(x, mid - 6, 14, 12, colour.fill, "legend-swatch");
        break;
      case LegendEntry::Swatch::kLine:
        canvas.line(x, mid, x + 16, mid, colour.fill, 2.5, {}, "legend-swatch");
        break;
      case LegendEntry::Swatch::kDashedLine:
        canvas.line(x, mid, x + 16, mid, colour.fill, 2.5, "4 3", "legend-swatch");
        break;
      case LegendEntry::Swatch::kReference:
        canvas.line(x, mid, x + 16, mid, svg::kMutedColour, 1.5, "2 2", "legend-swatch");
        break;
    }
    canvas.text(x + 20, baseline, e.name, {.size = kLegendFont, .css_class = "legend"}, kMaxName);
    x += entry_width;
  }
  return baseline + 8;
}

double widest_tick_label(const svg::Axis& axis) {
  double widest = 0;
  for (double t : axis.ticks) {
    widest = std::max(widest, svg::text_width(grouped(t, axis.decimals), kTickFont));
  }
  return widest;
}

// Horizontal grid lines and tick labels of a vertical value axis, at `label_x`
// anchored toward the plot.
void draw_value_ticks(Canvas& canvas, const svg::Axis& axis, const Scale& y, double left,
                      double right, double label_x, Anchor anchor, bool grid) {
  for (double t : axis.ticks) {
    if (grid) canvas.line(left, y(t), right, y(t), svg::kGridColour, 1, {}, "grid");
    canvas.text(label_x, y(t) + 4, grouped(t, axis.decimals),
                {.size = kTickFont, .anchor = anchor, .css_class = "tick"});
  }
}

// "name: a 1; b 2." with the missing figures left out.
std::string describe(const std::string& name, const std::vector<std::string>& keys,
                     const std::vector<std::optional<double>>& values, int decimals,
                     const std::string& unit) {
  std::string out = name.empty() ? "" : name + (unit.empty() ? "" : " (" + unit + ")") + ":";
  bool first = true;
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto v = at(values, i);
    if (!v) continue;
    out += (first ? " " : "; ") + keys[i] + " " + grouped(*v, decimals);
    first = false;
  }
  return out + ". ";
}

std::string description_of(const ChartFrame& frame, const std::string& figures) {
  std::string out = frame.description;
  if (!out.empty() && !figures.empty()) out += " ";
  out += figures;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// ---------------------------------------------------------------- columns

void draw_column_lines(Canvas& canvas, const ColumnChart& chart, const Scale& y, double left,
                       double slot) {
  for (size_t s = 0; s < chart.lines.size(); ++s) {
    const auto& series = chart.lines[s];
    const auto& colour = svg::palette(chart.stacks.size() + s);
    std::string d;
    bool pen_down = false;
    for (size_t c = 0; c < chart.categories.size(); ++c) {
      const auto v = at(series.values, c);
      if (!v) {
        pen_down = false;
        continue;
      }
      d += (pen_down ? "L" : "M") + coord(left + slot * (c + 0.5)) + " " + coord(y(*v)) + " ";
      pen_down = true;
    }
    if (!d.empty()) d.pop_back();
    if (!d.empty()) canvas.path(d, "none", colour.fill, 2.5, {}, "line");
    for (size_t c = 0; c < chart.categories.size(); ++c) {
      const auto v = at(series.values, c);
      if (!v) continue;
      const double cx = left + slot * (c + 0.5);
      const double cy = y(*v);
      canvas.path("M" + coord(cx - 4) + " " + coord(cy) + " a4 4 0 1 0 8 0 a4 4 0 1 0 -8 0",
                  "#ffffff", colour.fill, 2, {}, "marker",
                  series.name + " " + chart.categories[c] + ": " +
                      with_unit(grouped(*v, chart.line_decimals), chart.line_unit));
      canvas.text(
          cx + 6, cy - 6, grouped(*v, chart.line_decimals),
          {.size = 10, .fill = colour.fill, .bold = true, .css_class = "value", .halo = true});
    }
  }
}

}  // namespace

std::string render_no_data_chart(const ChartFrame& frame) {
  Canvas canvas(kWidth, 96);
  canvas.rect(kPad, kPad, kWidth - 2 * kPad, 96 - 2 * kPad, "#f6f6f6", "no-data");
  const std::string text = frame.no_data.empty() ? "No data" : frame.no_data;
  canvas.text(kWidth / 2, 96 / 2 + 5, text,
              {.size = 14, .anchor = Anchor::kMiddle, .fill = svg::kMutedColour});
  return canvas.finish(frame.title, description_of(frame, text));
}

std::string render_column_chart(const ColumnChart& chart) {
  const size_t n = chart.categories.size();
  // Stack tops: only positive parts have length (see "bars stop at their axis").
  double max_stack = 0;
  double max_line = 0;
  bool any_value = false;
  for (size_t c = 0; c < n; ++c) {
    double top = 0;
    for (const auto& s : chart.stacks) {
      if (const auto v = at(s.values, c)) top += std::max(0.0, *v), any_value = true;
    }
    max_stack = std::max(max_stack, top);
    for (const auto& l : chart.lines) {
      if (const auto v = at(l.values, c)) max_line = std::max(max_line, *v), any_value = true;
    }
  }
  if (n == 0 || !any_value) return render_no_data_chart(chart.frame);

  Canvas canvas(kWidth, kHeight);
  std::vector<LegendEntry> legend;
  for (size_t s = 0; s < chart.stacks.size(); ++s) legend.push_back({chart.stacks[s].name, s});
  for (size_t l = 0; l < chart.lines.size(); ++l) {
    legend.push_back({chart.lines[l].name, chart.stacks.size() + l, LegendEntry::Swatch::kLine});
  }
  const double caption_y = draw_legend(canvas, legend, kPad) + 10;
  const double top = caption_y + 10;
  const double bottom = kHeight - kXLabelBand;

  // Room above the tallest bar for its total label.
  const svg::Axis axis = svg::nice_axis(0, max_stack * 1.08);
  const bool has_lines = !chart.lines.empty();
  const svg::Axis line_axis =
      svg::nice_axis_with_intervals(max_line * 1.08, static_cast<int>(axis.ticks.size()) - 1);
  const double left = kPad + widest_tick_label(axis) + 8;
  const double right = kWidth - kPad - (has_lines ? widest_tick_label(line_axis) + 8 : 0);
  const Scale y{axis.lo, axis.hi, bottom, top};
  const Scale line_y{line_axis.lo, line_axis.hi, bottom, top};

  canvas.text(kPad, caption_y, chart.value_unit,
              {.size = kTickFont, .fill = svg::kMutedColour, .css_class = "unit"}, 200);
  draw_value_ticks(canvas, axis, y, left, right, left - 6, Anchor::kEnd, true);
  if (has_lines) {
    canvas.text(
        kWidth - kPad, caption_y, chart.line_unit,
        {.size = kTickFont, .anchor = Anchor::kEnd, .fill = svg::kMutedColour, .css_class = "unit"},
        200);
    draw_value_ticks(canvas, line_axis, line_y, left, right, right + 6, Anchor::kStart, false);
  }

  const double slot = (right - left) / n;
  const double bar_width = std::min(64.0, slot * 0.6);
  std::string figures;
  for (size_t c = 0; c < n; ++c) {
    const double x = left + slot * (c + 0.5) - bar_width / 2;
    double stacked = 0;
    double total = 0;
    bool has_total = false;
    for (size_t s = 0; s < chart.stacks.size(); ++s) {
      const auto v = at(chart.stacks[s].values, c);
      if (!v) continue;
      has_total = true;
      total += *v;
      const double length = std::max(0.0, *v);
      const double y0 = y(stacked);
      const double y1 = y(stacked + length);
      stacked += length;
      const auto& colour = svg::palette(s);
      const std::string figure = grouped(*v, chart.value_decimals);
      canvas.rect(x, y1, bar_width, y0 - y1, colour.fill, "bar",
                  chart.stacks[s].name + " " + chart.categories[c] + ": " +
                      with_unit(figure, chart.value_unit));
      // A segment label only where it fits; the total above says the rest.
      if (chart.stacks.size() > 1 && y0 - y1 >= 14 &&
          svg::text_width(figure, 10) <= bar_width - 2) {
        canvas.text(
            x + bar_width / 2, (y0 + y1) / 2 + 3.5, figure,
            {.size = 10, .anchor = Anchor::kMiddle, .fill = colour.on_fill, .css_class = "value"});
      }
    }
    if (has_total) {
      canvas.text(x + bar_width / 2, y(stacked) - 4, grouped(total, chart.value_decimals),
                  {.size = 10, .anchor = Anchor::kMiddle, .bold = true, .css_class = "total"});
    }
    canvas.text(left + slot * (c + 0.5), bottom + 16, chart.categories[c],
                {.size = kTickFont, .anchor = Anchor::kMiddle, .css_class = "category"}, slot - 4);
  }
  canvas.line(left, bottom, right, bottom, svg::kInkColour, 1, {}, "axis");
  draw_column_lines(canvas, chart, line_y, left, slot);

  for (const auto& s : chart.stacks) {
    figures += describe(s.name, chart.categories, s.values, chart.value_decimals, chart.value_unit);
  }
  for (const auto& l : chart.lines) {
    figures += describe(l.name, chart.categories, l.values, chart.line_decimals, chart.line_unit);
  }
  return canvas.finish(chart.frame.title, description_of(chart.frame, figures));
}

// ------------------------------------------------------------ horizontal bars

std::string render_bar_chart(const BarChart& chart) {
  const double baseline = std::isfinite(chart.baseline) ? chart.baseline : 0;
  const auto reference = finite(chart.reference);
  double max_value = baseline;
  bool any_value = false;
  for (const auto& b : chart.bars) {
    if (const auto v = finite(b.value)) max_value = std::max(max_value, *v), any_value = true;
  }
  if (!any_value) return render_no_data_chart(chart.frame);
  if (reference) max_value = std::max(max_value, *reference);

  constexpr double kRow = 22;
  const size_t n = chart.bars.size();
  std::vector<LegendEntry> legend;
  if (reference && !chart.reference_label.empty()) {
    legend.push_back({chart.reference_label, 0, LegendEntry::Swatch::kReference});
  }
  const double legend_height = legend.empty() ? 0 : kLegendRow;
  const double top_needed = kPad + legend_height + 24;
  const double height = std::max(kHeight, top_needed + n * kRow + kXLabelBand + kPad);
  Canvas canvas(kWidth, height);
  const double caption_y = draw_legend(canvas, legend, kPad) + 10;
  const double top = caption_y + 10;
  const double bottom = height - kXLabelBand - kPad;

  double label_width = 0;
  double value_width = 0;
  for (const auto& b : chart.bars) {
    label_width = std::max(label_width, svg::text_width(b.label, kTickFont));
    if (const auto v = finite(b.value)) {
      value_width =
          std::max(value_width, svg::text_width(grouped(*v, chart.value_decimals), kTickFont));
    }
  }
  label_width = std::min(label_width, kWidth * 0.35);
  const svg::Axis axis = svg::nice_axis(baseline, max_value);
  const double left = kPad + label_width + 8;
  const double right = kWidth - kPad - value_width - 8;
  const Scale x{axis.lo, axis.hi, left, right};

  canvas.text(kPad, caption_y, chart.value_unit,
              {.size = kTickFont, .fill = svg::kMutedColour, .css_class = "unit"}, 200);
  for (double t : axis.ticks) {
    canvas.line(x(t), top, x(t), bottom, svg::kGridColour, 1, {}, "grid");
    canvas.text(x(t), bottom + 16, grouped(t, axis.decimals),
                {.size = kTickFont, .anchor = Anchor::kMiddle, .css_class = "tick"});
  }
  const double row = (bottom - top) / std::max<size_t>(n, 1);
  const double thickness = std::min(18.0, row * 0.7);
  const auto& colour = svg::palette(0);
  std::vector<std::string> labels;
  std::vector<std::optional<double>> values;
  for (size_t i = 0; i < n; ++i) {
    const auto& bar = chart.bars[i];
    const double mid = top + row * (i + 0.5);
    canvas.text(left - 6, mid + 4, bar.label,
                {.size = kTickFont, .anchor = Anchor::kEnd, .css_class = "category"}, label_width);
    labels.push_back(bar.label);
    values.push_back(finite(bar.value));
    const auto v = finite(bar.value);
    if (!v) continue;
    const std::string figure = grouped(*v, chart.value_decimals);
    canvas.rect(x(axis.lo), mid - thickness / 2, x(*v) - x(axis.lo), thickness, colour.fill, "bar",
                bar.label + ": " + with_unit(figure, chart.value_unit));
    canvas.text(x(*v) + 4, mid + 4, figure, {.size = 10, .css_class = "value"});
  }
  canvas.line(left, top, left, bottom, svg::kInkColour, 1, {}, "axis");
  if (reference) {
    canvas.line(x(*reference), top - 4, x(*reference), bottom, svg::kMutedColour, 1.5, "2 2",
                "reference");
  }
  std::string figures = describe("", labels, values, chart.value_decimals, chart.value_unit);
  if (reference) {
    figures += chart.reference_label + " " + grouped(*reference, chart.value_decimals) + ".";
  }
  return canvas.finish(chart.frame.title, description_of(chart.frame, figures));
}

// ------------------------------------------------------------------ share

std::vector<double> percentages_summing_to_100(const std::vector<double>& values, int decimals) {
  decimals = std::clamp(decimals, 0, 6);
  double total = 0;
  for (double v : values) total += std::isfinite(v) ? std::max(0.0, v) : 0;
  std::vector<double> out(values.size(), 0.0);
  if (!(total > 0) || !std::isfinite(total)) return out;
  // Work in whole rounding units (0.1 % at one decimal: 1000 units in all).
  const double units_per_percent = std::pow(10.0, decimals);
  const long long all_units = std::llround(100 * units_per_percent);
  std::vector<long long> units(values.size());
  std::vector<double> remainder(values.size());
  long long given = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const double v = std::isfinite(values[i]) ? std::max(0.0, values[i]) : 0;
    const double exact = v / total * static_cast<double>(all_units);
    units[i] = static_cast<long long>(std::floor(exact));
    remainder[i] = exact - static_cast<double>(units[i]);
    given += units[i];
  }
  std::vector<size_t> order(values.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainder[a] > remainder[b]; });
  for (size_t k = 0; given < all_units && k < order.size(); ++k, ++given) ++units[order[k]];
  for (size_t i = 0; i < values.size(); ++i) {
    out[i] = static_cast<double>(units[i]) / units_per_percent;
  }
  return out;
}

namespace {

// One donut slice between two angles (radians, clockwise from 12 o'clock).
// A slice over half the ring is drawn as two arcs so no arc needs more than
// 180° (a full circle cannot be one SVG arc).
std::string donut_slice(double cx, double cy, double r_out, double r_in, double a0, double a1) {
  const auto point = [&](double r, double a) {
    return coord(cx + r * std::sin(a)) + " " + coord(cy - r * std::cos(a));
  };
  const double mid = (a0 + a1) / 2;
  std::string d = "M" + point(r_out, a0);
  d += " A" + coord(r_out) + " " + coord(r_out) + " 0 0 1 " + point(r_out, mid);
  d += " A" + coord(r_out) + " " + coord(r_out) + " 0 0 1 " + point(r_out, a1);
  d += " L" + point(r_in, a1);
  d += " A" + coord(r_in) + " " + coord(r_in) + " 0 0 0 " + point(r_in, mid);
  d += " A" + coord(r_in) + " " + coord(r_in) + " 0 0 0 " + point(r_in, a0);
  return d + " Z";
}

}  // namespace

std::string render_share_chart(const ShareChart& chart) {
  std::vector<const LabelledValue*> parts;
  std::vector<double> values;
  for (const auto& p : chart.parts) {
    if (const auto v = finite(p.value)) {
      parts.push_back(&p);
      values.push_back(std::max(0.0, *v));
    }
  }
  double total = 0;
  for (double v : values) total += v;
  if (parts.empty() || !(total > 0) || !std::isfinite(total)) {
    return render_no_data_chart(chart.frame);
  }
  const std::vector<double> percents = percentages_summing_to_100(values, chart.percent_decimals);

  constexpr double kRow = 38;
  const double height = std::max(kHeight, 2 * kPad + parts.size() * kRow);
  Canvas canvas(kWidth, height);
  const double cx = 160;
  const double cy = height / 2;
  const double r_out = std::min(130.0, kHeight / 2 - 2 * kPad);
  const double r_in = r_out * 0.6;

  double angle = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (values[i] <= 0) continue;
    const double sweep = 2 * std::numbers::pi * values[i] / total;
    canvas.path(donut_slice(cx, cy, r_out, r_in, angle, angle + sweep), svg::palette(i).fill,
                "#ffffff", 1, {}, "slice",
                parts[i]->label + ": " +
                    with_unit(grouped(*parts[i]->value, chart.value_decimals), chart.value_unit) +
                    " (" + svg::fixed(percents[i], chart.percent_decimals) + "%)");
    angle += sweep;
  }
  canvas.text(cx, cy, grouped(total, chart.value_decimals),
              {.size = 16, .anchor = Anchor::kMiddle, .bold = true, .css_class = "total"},
              2 * r_in - 8);
  canvas.text(cx, cy + 18, chart.value_unit,
              {.size = kTickFont,
               .anchor = Anchor::kMiddle,
               .fill = svg::kMutedColour,
               .css_class = "unit"},
              2 * r_in - 8);

  // Legend: swatch, percentage, label; the figure under the label.
  const double legend_left = cx + r_out + 40;
  double y = cy - parts.size() * kRow / 2 + 14;
  std::string figures;
  for (size_t i = 0; i < parts.size(); ++i, y += kRow) {
    const std::string percent = svg::fixed(percents[i], chart.percent_decimals) + "%";
    const std::string figure =
        with_unit(grouped(*parts[i]->value, chart.value_decimals), chart.value_unit);
    canvas.rect(legend_left, y - 10, 14, 14, svg::palette(i).fill, "legend-swatch");
    canvas.text(legend_left + 72, y + 1, percent,
                {.size = 13, .anchor = Anchor::kEnd, .bold = true, .css_class = "percent"});
    canvas.text(legend_left + 80, y + 1, parts[i]->label,
                {.size = kLegendFont, .css_class = "legend"}, kWidth - kPad - legend_left - 80);
    canvas.text(legend_left + 80, y + 16, figure,
                {.size = kTickFont, .fill = svg::kMutedColour, .css_class = "value"},
                kWidth - kPad - legend_left - 80);
    figures += parts[i]->label + " " + figure + " (" + percent + "). ";
  }
  return canvas.finish(chart.frame.title, description_of(chart.frame, figures));
}

// ------------------------------------------------------------------ lines

namespace {

// Marker shapes by palette index, so series differ in greyscale print too.
std::string marker_path(size_t shape, double x, double y) {
  switch (shape % 4) {
    case 0:  // circle
      return "M" + coord(x - 4) + " " + coord(y) + " a4 4 0 1 0 8 0 a4 4 0 1 0 -8 0 Z";
    case 1:  // square
      return "M" + coord(x - 3.5) + " " + coord(y - 3.5) + " h7 v7 h-7 Z";
    case 2:  // triangle
      return "M" + coord(x) + " " + coord(y - 4.5) + " L" + coord(x + 4.5) + " " + coord(y + 3.5) +
             " L" + coord(x - 4.5) + " " + coord(y + 3.5) + " Z";
    default:  // diamond
      return "M" + coord(x) + " " + coord(y - 5) + " L" + coord(x + 5) + " " + coord(y) + " L" +
             coord(x) + " " + coord(y + 5) + " L" + coord(x - 5) + " " + coord(y) + " Z";
  }
}

std::vector<std::pair<int, double>> sorted_points(const LineSeries& series,
                                                  std::vector<int>* gaps) {
  std::vector<std::pair<int, double>> points;
  for (const auto& [year, value] : series.points) {
    if (const auto v = finite(value)) {
      points.emplace_back(year, *v);
    } else {
      gaps->push_back(year);
    }
  }
  std::stable_sort(points.begin(), points.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return points;
}

// Whether a missing year of the series lies between two drawn points: the
// line is broken there rather than bridging the gap.
bool gap_between(const std::vector<int>& gaps, int from, int to) {
  return std::any_of(gaps.begin(), gaps.end(), [&](int g) { return g > from && g < to; });
}

}  // namespace

std::string render_line_chart(const LineChart& chart) {
  int first_year = 0;
  int last_year = 0;
  double lo = 0;
  double hi = 0;
  bool any_value = false;
  std::vector<std::vector<std::pair<int, double>>> points(chart.series.size());
  std::vector<std::vector<int>> gaps(chart.series.size());
  for (size_t s = 0; s < chart.series.size(); ++s) {
    points[s] = sorted_points(chart.series[s], &gaps[s]);
    for (const auto& [year, v] : points[s]) {
      if (!any_value) first_year = last_year = year, lo = hi = v;
      any_value = true;
      first_year = std::min(first_year, year);
      last_year = std::max(last_year, year);
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  if (!any_value) return render_no_data_chart(chart.frame);
  const auto reference = finite(chart.reference);
  if (reference) lo = std::min(lo, *reference), hi = std::max(hi, *reference);
  if (chart.start_at_zero) lo = std::min(lo, 0.0), hi = std::max(hi, 0.0);

  Canvas canvas(kWidth, kHeight);
  std::vector<LegendEntry> legend;
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const auto& series = chart.series[s];
    legend.push_back(
        {series.name, series.colour.value_or(s),
         series.dashed ? LegendEntry::Swatch::kDashedLine : LegendEntry::Swatch::kLine});
  }
  if (reference && !chart.reference_label.empty()) {
    legend.push_back({chart.reference_label, 0, LegendEntry::Swatch::kReference});
  }
  const double caption_y = draw_legend(canvas, legend, kPad) + 10;
  const double top = caption_y + 10;
  const double bottom = kHeight - kXLabelBand;
  const svg::Axis axis = svg::nice_axis(lo, hi);
  const double left = kPad + widest_tick_label(axis) + 8;
  const double right = kWidth - kPad - 40;  // room for the newest point's label
  const Scale y{axis.lo, axis.hi, bottom, top};
  // Years spread over the plot, inset so end markers are not cut.
  const double span = std::max(1, last_year - first_year);
  const auto x = [&](int year) {
    if (first_year == last_year) return (left + right) / 2;
    return left + 16 + (year - first_year) / span * (right - left - 32);
  };

  canvas.text(kPad, caption_y, chart.value_unit,
              {.size = kTickFont, .fill = svg::kMutedColour, .css_class = "unit"}, 200);
  draw_value_ticks(canvas, axis, y, left, right, left - 6, Anchor::kEnd, true);
  // At most about twelve year labels: every 1, 2, 5 or 10 years.
  int year_step = 1;
  for (int step : {1, 2, 5, 10, 20, 50, 100}) {
    year_step = step;
    if ((last_year - first_year) / step <= 11) break;
  }
  for (int year = first_year; year <= last_year; year += year_step) {
    canvas.text(x(year), bottom + 16, std::to_string(year),
                {.size = kTickFont, .anchor = Anchor::kMiddle, .css_class = "category"});
  }
  canvas.line(left, bottom, right, bottom, svg::kInkColour, 1, {}, "axis");
  if (reference) {
    canvas.line(left, y(*reference), right, y(*reference), svg::kMutedColour, 1.5, "2 2",
                "reference");
  }

  std::string figures;
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const auto& series = chart.series[s];
    const size_t colour_index = series.colour.value_or(s);
    const auto& colour = svg::palette(colour_index);
    if (points[s].empty()) continue;
    std::string d;
    for (size_t i = 0; i < points[s].size(); ++i) {
      const bool joined =
          i > 0 && !gap_between(gaps[s], points[s][i - 1].first, points[s][i].first);
      d += (joined ? "L" : "M") + coord(x(points[s][i].first)) + " " +
           coord(y(points[s][i].second)) + " ";
    }
    d.pop_back();
    canvas.path(d, "none", colour.fill, 2.5, series.dashed ? "6 4" : "", "line");
    std::vector<std::string> years;
    std::vector<std::optional<double>> values;
    for (const auto& [year, v] : points[s]) {
      // Hollow markers for a pathway: figures to reach, not measured.
      canvas.path(marker_path(colour_index, x(year), y(v)), series.dashed ? "#ffffff" : colour.fill,
                  colour.fill, 1.5, {}, "marker",
                  series.name + " " + std::to_string(year) + ": " +
                      with_unit(grouped(v, chart.value_decimals), chart.value_unit));
      years.push_back(std::to_string(year));
      values.push_back(v);
    }
    if (series.label_last_point) {
      const auto& [year, v] = points[s].back();
      canvas.text(
          x(year) + 8, y(v) + 4, grouped(v, chart.value_decimals),
          {.size = 10, .fill = colour.fill, .bold = true, .css_class = "value", .halo = true});
    }
    figures += describe(series.name, years, values, chart.value_decimals, chart.value_unit);
  }
  if (reference) {
    figures += chart.reference_label + " " + grouped(*reference, chart.value_decimals) + ".";
  }
  return canvas.finish(chart.frame.title, description_of(chart.frame, figures));
}

}  // namespace assay::disclose
