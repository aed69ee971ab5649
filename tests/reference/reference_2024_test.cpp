// examples/reference-2024 reproduces the environment KPI table of the
// reference report (../shared/reference/reference-report-2024.md), every
// figure for 2022-2024 at the published rounding. The expected values below
// are the report's published figures, typed from that file; they are not
// Assay's output. Known exceptions are asserted at the value the published
// method gives, with the difference and its reason.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace {

struct Key {
  std::string id;
  int year;
  bool operator<(const Key& o) const { return id != o.id ? id < o.id : year < o.year; }
};

const std::map<Key, double>& group_figures() {
  static const std::map<Key, double> figures = [] {
    std::string cmd = std::string(ASSAY_BIN) + " calc " + ASSAY_SOURCE_DIR +
                      "/examples/reference-2024 --json 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[1 << 16];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    int status = pclose(p);
    EXPECT_EQ(status, 0) << "assay calc exited non-zero";
    std::map<Key, double> m;
    auto doc = nlohmann::json::parse(out);
    for (const auto& row : doc["metrics"]) {
      if (row.contains("site") || row.contains("category") || row["value"].is_null()) continue;
      m[{row["id"].get<std::string>(), row["year"].get<int>()}] = row["value"].get<double>();
    }
    return m;
  }();
  return figures;
}

double figure(const std::string& id, int year) {
  auto it = group_figures().find({id, year});
  EXPECT_NE(it, group_figures().end()) << id << " " << year << " missing";
  return it == group_figures().end() ? NAN : it->second;
}

// Rounds as the report does: half away from zero at `decimals`.
double published_rounding(double v, int decimals) {
  double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

void expect_published(const std::string& id, int year, double published, int decimals) {
  double got = figure(id, year);
  EXPECT_NEAR(published_rounding(got, decimals), published, 1e-9 * std::max(1.0, published))
      << id << " " << year << ": engine " << got;
}

struct Row {
  const char* id;
  double y2024, y2023, y2022;  // NAN: not published
  int decimals;
};

// The environment table, as published (reference-report-2024.md).
const Row kTable[] = {
    {"ghg.total.market", 6056610.1, 5793823.7, NAN /* exception below */, 1},
    {"ghg.intensity.market", 9.2, 9.5, 10.4, 1},
    {"ghg.scope1", 121466.0, 275373.5, 172137.9, 1},
    {"ghg.scope2.market", 2863848.7, 2561328.3, NAN /* exception below */, 1},
    {"ghg.scope2.location", NAN /* exception below */, NAN, NAN, 1},
    {"ghg.scope3", 3071295.4, 2957122.0, 2917512.5, 1},
    {"energy.total", NAN, NAN, NAN, 1},  // exceptions below, all three years
    {"energy.intensity", 9.8, 8.5, 9.1, 1},
    {"energy.direct", NAN, NAN, NAN, 1},  // exceptions below, all three years
    {"fuel.gasoline", 95428.2, 91118.9, 44623.7, 1},
    {"fuel.diesel", 725147.5, 1208688.0, 1458596.4, 1},
    {"fuel.natural_gas", 2465131.0, 2272886.4, 1867442.0, 1},
    {"energy.indirect", 6442146.3, 5127794.9, 5010990.2, 1},
    {"energy.electricity", 6429609.9, 5114669.0, 4997129.6, 1},
    {"energy.other_indirect", 12536.4, 13125.9, 13860.6, 1},
    {"renewable.purchased", 1364625.9, 604277.1, 336419.5, 1},
    {"renewable.onsite", 52035.9, 28311.5, 21870.0, 1},
    {"renewable.share", 22.0, 12.4, 7.2, 1},
    {"renewable.capacity", 63.8, 52.2, 19.6, 1},
    {"pue.average", 1.269, 1.279, 1.289, 3},
    {"water.withdrawal", 10370588.3, 8191328.4, 8152481.9, 1},
    {"water.intensity", 15.7, 13.5, 14.7, 1},
    {"waste.ewaste_reused", 4380.8, 4298.5, 2740.6, 1},
    {"waste.ewaste_recycled", 649.0, 369.7, 166.0, 1},
    {"waste.nonhazardous", 33097.8, 46536.4, 33062.4, 1},
    {"waste.nonhazardous.intensity", 50.1, 76.4, 59.6, 1},
    {"waste.hazardous", 3105.8, 1321.7, 1051.0, 1},
    {"waste.hazardous.intensity", 4.7, 2.2, 1.9, 1},
};

TEST(Reference2024, EveryPublishedEnvironmentFigure) {
  for (const Row& r : kTable) {
    const double values[] = {r.y2024, r.y2023, r.y2022};
    for (int i = 0; i < 3; ++i) {
      if (!std::isnan(values[i])) expect_published(r.id, 2024 - i, values[i], r.decimals);
    }
  }
}

// 2022 market-based scope 2: the published method (grid electricity less
// purchased renewables at 0.5703 t/MWh, plus heat at 0.11 t/GJ) gives
// 2,651,019.3 t, 946.0 t above the published 2,650,073.3 (an earlier factor or
// a restatement; reference-report-2024.md). The 2022 total carries the same 946 t.
TEST(Reference2024, KnownException2022MarketBasedGap) {
  expect_published("ghg.scope2.market", 2022, 2651019.3, 1);
  expect_published("ghg.total.market", 2022, 5740669.7, 1);
  EXPECT_NEAR(figure("ghg.scope2.market", 2022) - 2650073.3, 946.0, 0.05);
}

// 2024 location-based scope 2: 6,377,574.0 MWh x 0.5703 + 12,536.4 MWh x 3.6 x
// 0.11 = 3,642,094.87 t; published 3,642,094.8, 0.07 t lower (rounding of the
// report's inputs).
TEST(Reference2024, KnownException2024LocationBasedRounding) {
  EXPECT_NEAR(figure("ghg.scope2.location", 2024), 3642094.87, 0.005);
}

// Direct energy (and so total energy): GB/T 2589-2020 calorific values with
// the typical densities 0.725 kg/L (gasoline) and 0.84 kg/L (diesel). The
// report does not disclose its densities, which evidently differed by year:
// 2023 and 2022 differ by -0.07% and -0.12% (within 0.15%). 2024 gives
// 34,702.83 MWh against 34,702.7 published: the report appears to have
// truncated each fuel's MWh to one decimal before adding (827.7 + 7,216.7 +
// 26,658.3 = 34,702.7); Assay does not round intermediate figures, so it is
// 0.13 MWh (0.0004%) above, and total energy likewise.
TEST(Reference2024, KnownExceptionDirectEnergyDensities) {
  struct Case {
    int year;
    double method, published;
  };
  for (Case c :
       {Case{2024, 34702.8, 34702.7}, Case{2023, 37398.7, 37373.3}, Case{2022, 35098.0, 35054.9}}) {
    expect_published("energy.direct", c.year, c.method, 1);
    EXPECT_LT(std::abs(figure("energy.direct", c.year) / c.published - 1), 0.0015) << c.year;
  }
  for (Case c : {Case{2024, 6476849.1, 6476849.0}, Case{2023, 5165193.6, 5165168.2},
                 Case{2022, 5046088.2, 5046045.1}}) {
    expect_published("energy.total", c.year, c.method, 1);
    // The whole difference is the direct-energy difference.
    EXPECT_NEAR(figure("energy.total", c.year) - c.published,
                figure("energy.direct", c.year) - (c.year == 2024   ? 34702.7
                                                   : c.year == 2023 ? 37373.3
                                                                    : 35054.9),
                0.1)
        << c.year;
  }
}

// Scope shares of the 2024 total as drawn in the report: 2.01%, 47.28%, 50.71%.
TEST(Reference2024, ScopeShares2024) {
  double total = figure("ghg.total.market", 2024);
  EXPECT_NEAR(published_rounding(figure("ghg.scope1", 2024) / total * 100, 2), 2.01, 1e-9);
  EXPECT_NEAR(published_rounding(figure("ghg.scope2.market", 2024) / total * 100, 2), 47.28, 1e-9);
  EXPECT_NEAR(published_rounding(figure("ghg.scope3", 2024) / total * 100, 2), 50.71, 1e-9);
}

}  // namespace
