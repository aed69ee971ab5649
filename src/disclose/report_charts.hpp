// The six charts of a report (Report::charts), drawn from plain figures that
// the report builder picks out of a run: the share of scopes, scope 3 by
// category, emissions and intensity over the years, the pathway to the
// targets, the renewable share and PUE by data centre.
//
// build_charts() returns them in this order with these ids:
//   scope_share, scope3_categories, emissions_trend, target_pathway,
//   renewable_share, pue_by_site
// always all six (a chart without figures says `texts.no_data`), each titled
// with its title of `texts`. Missing figures (std::nullopt, or a year absent
// from a series) are gaps, never zeros. The same input gives the same bytes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "disclose/report_model.hpp"
#include "disclose/svg_chart.hpp"

namespace assay::disclose {

struct ChartSeriesPoint {
  int year = 0;
  std::optional<double> value{};
};

// A target drawn as its pathway, a straight dashed line from the base-year
// figure to the target figure, and its actual figures as a solid line.
struct ChartTarget {
  std::string label{};  // "Scope 1 and 2 (market-based) −42% by 2030"
  std::string unit{};   // display unit of base, target and actual figures
  int decimals = 1;
  int base_year = 0;
  double base_value = 0;
  int target_year = 0;
  double target_value = 0;
  std::vector<ChartSeriesPoint> actuals{};
};

// Every text the charts show, already in the report's language.
struct ChartTexts {
  std::string no_data{};      // "No data"
  std::string year_suffix{};  // "" (en) or "年", after a year on a category axis
  // Titles, one per chart.
  std::string scope_share_title{};
  std::string scope3_categories_title{};
  std::string emissions_trend_title{};
  std::string target_pathway_title{};
  std::string renewable_share_title{};
  std::string pue_by_site_title{};
  // Series names and units.
  std::string scope1{};
  std::string scope2_market{};
  std::string scope3{};
  std::string emissions_unit{};  // "tCO2e"
  std::string intensity{};       // "Intensity (market-based)"
  std::string intensity_unit{};  // "tCO2e/million HKD"
  std::string renewable_share{};
  std::string renewable_target{};  // label of the reference line, "Target 2030"
  std::string percent_unit{};      // "%"
  std::string pue{};               // axis caption of PUE ("PUE")
  std::string group_average{};     // label of the group's PUE line
  std::string pathway{};           // after a target's label: "(pathway)"
  std::string actual{};            // after a target's label: "(actual)"
  // Axis of the target chart when targets have different units: each is
  // shown as a percentage of its base-year figure.
  std::string index_unit{};  // "% of base year"
};

struct ChartInput {
  ChartTexts texts{};
  int reporting_year = 0;    // the year of the share, scope 3 and PUE charts
  std::vector<int> years{};  // ascending: the categories of the emissions chart
  std::vector<ChartSeriesPoint> scope1{};
  std::vector<ChartSeriesPoint> scope2_market{};
  std::vector<ChartSeriesPoint> scope3{};
  std::vector<ChartSeriesPoint> intensity{};
  int emissions_decimals = 0;
  int intensity_decimals = 2;
  std::vector<LabelledValue> scope3_categories{};   // reporting year, in category order
  std::vector<ChartSeriesPoint> renewable_share{};  // percent
  std::optional<double> renewable_target{};         // percent
  int percent_decimals = 1;
  std::vector<LabelledValue> pue_by_site{};  // reporting year
  std::optional<double> pue_group_average{};
  int pue_decimals = 2;
  std::vector<ChartTarget> targets{};
};

std::vector<Chart> build_charts(const ChartInput& input);

}  // namespace assay::disclose
