// The figures the six charts draw (report_charts.hpp), picked out of the run
// in the report's language: scopes and intensity per year, scope 3 by
// category, renewable share and its target, PUE per data centre, and each
// reduction target's pathway from its base year with the actual figures.
#include <algorithm>
#include <unordered_map>

#include "disclose/report_charts.hpp"
#include "disclose/report_context.hpp"

namespace assay::disclose::internal {

namespace {

std::vector<ChartSeriesPoint> series(const Context& cx, const std::string& id,
                                     const std::vector<int>& years) {
  std::vector<ChartSeriesPoint> out;
  for (int y : years) {
    const Figure* f = cx.inventory().find(id, y);
    out.push_back({y, f && f->value ? f->value : std::nullopt});
  }
  return out;
}

int decimals_of(const Context& cx, const std::string& id, int fallback) {
  const MetricDef* m = cx.catalog.find(id);
  return m ? m->decimals : fallback;
}

ChartTexts chart_texts(const Context& cx) {
  ChartTexts t;
  t.no_data = cx.word("chart_no_data");
  t.year_suffix = cx.word("year_suffix");
  t.scope_share_title = cx.word("chart_scope_share");
  t.scope3_categories_title = cx.word("chart_scope3_categories");
  t.emissions_trend_title = cx.word("chart_emissions_trend");
  t.target_pathway_title = cx.word("chart_target_pathway");
  t.renewable_share_title = cx.word("chart_renewable_share");
  t.pue_by_site_title = cx.word("chart_pue_by_site");
  t.scope1 = cx.metric_label("ghg.scope1");
  t.scope2_market = cx.metric_label("ghg.scope2.market");
  t.scope3 = cx.metric_label("ghg.scope3");
  t.emissions_unit = cx.unit_label("tCO2e");
  t.intensity = cx.word("chart_intensity");
  const MetricDef* intensity = cx.catalog.find("ghg.intensity.market");
  t.intensity_unit = cx.unit_label(cx.metric_unit(intensity));
  t.renewable_share = cx.metric_label("renewable.share");
  t.renewable_target = cx.word("chart_renewable_target");
  t.percent_unit = "%";
  t.pue = "PUE";
  t.group_average = cx.word("chart_group_average");
  t.pathway = cx.word("chart_pathway");
  t.actual = cx.word("chart_actual");
  t.index_unit = cx.word("chart_index_unit");
  return t;
}

// All years the inventory has figures for, ascending (base year included).
std::vector<int> inventory_years(const Context& cx) {
  std::vector<int> ys = cx.package().manifest.years;
  if (cx.package().manifest.base_year) ys.push_back(*cx.package().manifest.base_year);
  std::sort(ys.begin(), ys.end());
  ys.erase(std::unique(ys.begin(), ys.end()), ys.end());
  return ys;
}

}  // namespace

std::vector<Chart> build_report_charts(const Context& cx) {
  ChartInput in;
  in.texts = chart_texts(cx);
  const int year = cx.package().manifest.reporting_year;
  in.reporting_year = year;
  in.years.assign(cx.years.rbegin(), cx.years.rend());
  in.scope1 = series(cx, "ghg.scope1", in.years);
  in.scope2_market = series(cx, "ghg.scope2.market", in.years);
  in.scope3 = series(cx, "ghg.scope3", in.years);
  in.intensity = series(cx, "ghg.intensity.market", in.years);
  in.emissions_decimals = 0;
  in.intensity_decimals = decimals_of(cx, "ghg.intensity.market", 1);
  std::vector<std::pair<int, LabelledValue>> cats;
  for (const Figure& f : cx.inventory().figures) {
    if (f.id == "ghg.scope3.category" && f.year == year && f.value && !f.category.empty()) {
      cats.push_back({std::atoi(f.category.c_str()),
                      LabelledValue{cx.category_label(f.id, f.category), *f.value}});
    }
  }
  std::stable_sort(cats.begin(), cats.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& c : cats) in.scope3_categories.push_back(std::move(c.second));
  in.renewable_share = series(cx, "renewable.share", in.years);
  in.percent_decimals = decimals_of(cx, "renewable.share", 1);
  for (const assay::TargetRow& t : cx.package().targets) {
    if (t.metric == "renewable.share" && t.kind == "at_least")
      in.renewable_target = t.target_value.to_double();
  }
  // Site names looked up once: a group may have tens of thousands of sites.
  std::unordered_map<std::string, std::string> site_names;
  for (const Site& site : cx.package().sites) {
    if (!site.name.empty()) site_names.emplace(site.site_id, site.name);
  }
  for (const Figure& f : cx.inventory().figures) {
    if (f.id != "pue.site" || f.year != year || !f.value) continue;
    auto named = site_names.find(f.site);
    in.pue_by_site.push_back(
        LabelledValue{named != site_names.end() ? named->second : f.site, *f.value});
  }
  if (const Figure* avg = cx.inventory().find("pue.average", year); avg && avg->value)
    in.pue_group_average = avg->value;
  in.pue_decimals = decimals_of(cx, "pue.average", 3);

  const std::vector<int> all_years = inventory_years(cx);
  // The pathway chart draws reduction targets (absolute emissions); level
  // targets (PUE at most, renewable share at least) are drawn in their own
  // charts as reference lines, and on one axis with tonnes they would only
  // squash each other.
  for (const assay::TargetRow& t : cx.package().targets) {
    if (t.kind != "reduction") continue;
    ChartTarget ct;
    const Figure* base = cx.inventory().find(t.metric, t.base_year);
    std::optional<double> base_value = t.base_value
                                           ? std::optional<double>(t.base_value->to_double())
                                           : (base && base->value ? base->value : std::nullopt);
    if (!base_value) continue;  // no pathway without a starting point
    ct.label = cx.metric_label(t.metric);
    const MetricDef* def = cx.catalog.find(t.metric);
    ct.unit = cx.unit_label(cx.metric_unit(def));
    ct.decimals = def ? def->decimals : 1;
    ct.base_year = t.base_year;
    ct.base_value = *base_value;
    ct.target_year = t.target_year;
    const double level = t.target_value.to_double();
    ct.target_value = t.kind == "reduction" ? *base_value * (1.0 - level / 100.0) : level;
    for (int y : all_years) {
      if (y < t.base_year || y > year) continue;
      const Figure* f = cx.inventory().find(t.metric, y);
      ct.actuals.push_back({y, f && f->value ? f->value : std::nullopt});
    }
    in.targets.push_back(std::move(ct));
  }
  return build_charts(in);
}

}  // namespace assay::disclose::internal
