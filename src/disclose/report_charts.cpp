// The six charts of a report; see report_charts.hpp.
#include "disclose/report_charts.hpp"

#include <algorithm>
#include <cmath>

namespace assay::disclose {
namespace {

std::optional<double> value_in(const std::vector<ChartSeriesPoint>& series, int year) {
  for (const auto& p : series) {
    if (p.year == year) return p.value;
  }
  return std::nullopt;
}

std::vector<std::optional<double>> values_over(const std::vector<ChartSeriesPoint>& series,
                                               const std::vector<int>& years) {
  std::vector<std::optional<double>> out;
  for (int year : years) out.push_back(value_in(series, year));
  return out;
}

ChartFrame frame(const ChartTexts& texts, const std::string& title) {
  return {.title = title, .description = {}, .no_data = texts.no_data};
}

int reporting_year_of(const ChartInput& in) {
  if (in.reporting_year != 0 || in.years.empty()) return in.reporting_year;
  return in.years.back();
}

std::string scope_share(const ChartInput& in) {
  const ChartTexts& t = in.texts;
  const int year = reporting_year_of(in);
  ShareChart chart{.frame = frame(t, t.scope_share_title),
                   .parts = {{t.scope1, value_in(in.scope1, year)},
                             {t.scope2_market, value_in(in.scope2_market, year)},
                             {t.scope3, value_in(in.scope3, year)}},
                   .value_unit = t.emissions_unit,
                   .value_decimals = in.emissions_decimals,
                   .percent_decimals = in.percent_decimals};
  return render_share_chart(chart);
}

std::string scope3_categories(const ChartInput& in) {
  const ChartTexts& t = in.texts;
  BarChart chart{.frame = frame(t, t.scope3_categories_title),
                 .bars = in.scope3_categories,
                 .value_unit = t.emissions_unit,
                 .value_decimals = in.emissions_decimals};
  return render_bar_chart(chart);
}

std::string emissions_trend(const ChartInput& in) {
  const ChartTexts& t = in.texts;
  ColumnChart chart{.frame = frame(t, t.emissions_trend_title),
                    .value_unit = t.emissions_unit,
                    .value_decimals = in.emissions_decimals,
                    .line_unit = t.intensity_unit,
                    .line_decimals = in.intensity_decimals};
  for (int year : in.years) chart.categories.push_back(std::to_string(year) + t.year_suffix);
  chart.stacks = {{t.scope1, values_over(in.scope1, in.years)},
                  {t.scope2_market, values_over(in.scope2_market, in.years)},
                  {t.scope3, values_over(in.scope3, in.years)}};
  const auto intensity = values_over(in.intensity, in.years);
  if (std::any_of(intensity.begin(), intensity.end(),
                  [](const auto& v) { return v.has_value(); })) {
    chart.lines.push_back({t.intensity, intensity});
  }
  return render_column_chart(chart);
}

// Targets in one unit share its axis; targets in different units (tCO2e and
// PUE) cannot, so each is drawn as a percentage of its base-year figure.
bool same_unit(const std::vector<ChartTarget>& targets) {
  return std::all_of(targets.begin(), targets.end(),
                     [&](const ChartTarget& t) { return t.unit == targets.front().unit; });
}

std::string target_pathway(const ChartInput& in) {
  const ChartTexts& t = in.texts;
  LineChart chart{.frame = frame(t, t.target_pathway_title)};
  const bool indexed = !in.targets.empty() && !same_unit(in.targets);
  chart.value_unit = indexed ? t.index_unit : (in.targets.empty() ? "" : in.targets[0].unit);
  chart.value_decimals = indexed ? 1 : (in.targets.empty() ? 1 : in.targets[0].decimals);
  for (size_t i = 0; i < in.targets.size(); ++i) {
    const ChartTarget& target = in.targets[i];
    double scale = 1;
    if (indexed) {
      if (target.base_value == 0 || !std::isfinite(target.base_value)) continue;  // no index
      scale = 100 / target.base_value;
    }
    LineSeries pathway{.name = target.label + " " + t.pathway, .dashed = true, .colour = i};
    pathway.points = {{target.base_year, target.base_value * scale},
                      {target.target_year, target.target_value * scale}};
    LineSeries actual{.name = target.label + " " + t.actual, .colour = i, .label_last_point = true};
    for (const auto& p : target.actuals) {
      actual.points.emplace_back(p.year, p.value ? std::optional(*p.value * scale) : std::nullopt);
    }
    chart.series.push_back(std::move(pathway));
    chart.series.push_back(std::move(actual));
  }
  return render_line_chart(chart);
}

std::string renewable_share(const ChartInput& in) {
  const ChartTexts& t = in.texts;
  LineChart chart{.frame = frame(t, t.renewable_share_title),
                  .value_unit = t.percent_unit,
                  .value_decimals = in.percent_decimals,
                  .reference = in.renewable_target,
                  .reference_label = t.renewable_target};
  LineSeries share{.name = t.renewable_share, .label_last_point = true};
  for (const auto& p : in.renewable_share) share.points.emplace_back(p.year, p.value);
  chart.series.push_back(std::move(share));
  return render_line_chart(chart);
}

std::string pue_by_site(const ChartInput& in) {
  const ChartTexts& t = in.texts;
  // PUE is total facility energy over IT energy (ISO/IEC 30134-2), so never
  // below 1: bars start there and show the overhead that differs by site.
  BarChart chart{.frame = frame(t, t.pue_by_site_title),
                 .bars = in.pue_by_site,
                 .value_unit = t.pue,
                 .value_decimals = in.pue_decimals,
                 .baseline = 1.0,
                 .reference = in.pue_group_average,
                 .reference_label = t.group_average};
  return render_bar_chart(chart);
}

}  // namespace

std::vector<Chart> build_charts(const ChartInput& input) {
  const ChartTexts& t = input.texts;
  return {
      {"scope_share", t.scope_share_title, scope_share(input)},
      {"scope3_categories", t.scope3_categories_title, scope3_categories(input)},
      {"emissions_trend", t.emissions_trend_title, emissions_trend(input)},
      {"target_pathway", t.target_pathway_title, target_pathway(input)},
      {"renewable_share", t.renewable_share_title, renewable_share(input)},
      {"pue_by_site", t.pue_by_site_title, pue_by_site(input)},
  };
}

}  // namespace assay::disclose
