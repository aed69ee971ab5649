// The metric catalog loads without errors, and its checks reject a formula
// cycle, an unknown id and a unit mismatch with a message naming the metric.
#include <gtest/gtest.h>

#include "metrics/catalog.hpp"

namespace assay {
namespace {

std::string all_messages(const DiagnosticSink& s) {
  std::string out;
  for (const auto& d : s.items()) out += d.code + ": " + d.message + "\n";
  return out;
}

TEST(Catalog, BuiltInLoadsWithZeroErrors) {
  const auto& diags = builtin_catalog_diagnostics();
  EXPECT_EQ(diags.items().size(), 0u) << all_messages(diags);
  const MetricCatalog& c = builtin_catalog();
  ASSERT_NE(c.find("ghg.total.market"), nullptr);
  EXPECT_EQ(c.find("ghg.total.market")->formula_text,
            "sum(ghg.scope1, ghg.scope2.market, ghg.scope3)");
  EXPECT_EQ(c.find("pue.average")->decimals, 3);
  EXPECT_EQ(c.find("safety.injury_rate")->decimals, 2);
  EXPECT_EQ(c.find("workforce.headcount")->decimals, 0);
  EXPECT_EQ(c.find("ghg.intensity.market")->unit_for("CNY"), "tCO2e/million CNY");
  // Formulas come after what they read: ghg.total.market before ghg.intensity.market.
  auto pos = [&](const std::string& id) {
    return std::find(c.order.begin(), c.order.end(), id) - c.order.begin();
  };
  EXPECT_LT(pos("ghg.total.market"), pos("ghg.intensity.market"));
  EXPECT_LT(pos("ghg.total.market"), pos("ghg.share"));
}

// Framework codes as the reference report's index and spec/metrics.md give them.
TEST(Catalog, FrameworkCodes) {
  const MetricCatalog& c = builtin_catalog();
  auto has = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  EXPECT_TRUE(has(c.find("ghg.scope1")->hkex, "A1.2"));
  EXPECT_TRUE(has(c.find("ghg.scope1")->gri, "305-1"));
  EXPECT_TRUE(has(c.find("ghg.scope3")->hkex, "D: metrics and targets"));
  EXPECT_TRUE(has(c.find("energy.total")->hkex, "A2.1"));
  EXPECT_TRUE(has(c.find("energy.total")->sasb, "TC-IM-130a.1"));
  EXPECT_TRUE(has(c.find("water.withdrawal")->sasb, "TC-IM-130a.2"));
  EXPECT_TRUE(has(c.find("workforce.headcount")->hkex, "B1.1"));
  EXPECT_TRUE(has(c.find("workforce.turnover")->hkex, "B1.2"));
  EXPECT_TRUE(has(c.find("safety.fatality_rate")->hkex, "B2.1"));
  EXPECT_TRUE(has(c.find("safety.lost_days")->hkex, "B2.2"));
  EXPECT_TRUE(has(c.find("training.trained_pct")->hkex, "B3.1"));
  EXPECT_TRUE(has(c.find("training.avg_hours")->hkex, "B3.2"));
  EXPECT_TRUE(has(c.find("suppliers.count")->hkex, "B5.1"));
  EXPECT_TRUE(has(c.find("complaints.consumer")->hkex, "B6.2"));
  EXPECT_TRUE(has(c.find("ethics.corruption_cases")->hkex, "B7.1"));
  EXPECT_TRUE(has(c.find("community.investment")->hkex, "B8.2"));
}

const char* kHeader = R"(
[metric."a"]
kind = "aggregate"
unit = "tCO2e"
label = { en = "A", zh-Hant = "甲", zh-Hans = "甲" }
[metric."e"]
kind = "aggregate"
unit = "MWh"
label = { en = "E", zh-Hant = "乙", zh-Hans = "乙" }
)";

DiagnosticSink load(const std::string& extra) {
  DiagnosticSink s;
  load_catalog(std::string(kHeader) + extra, "test.toml", &s);
  return s;
}

TEST(Catalog, FormulaCycleIsRejectedNamingTheMetric) {
  DiagnosticSink s = load(R"(
[metric."x.one"]
kind = "formula"
unit = "tCO2e"
formula = "a + x.two"
label = { en = "One", zh-Hant = "一", zh-Hans = "一" }
[metric."x.two"]
kind = "formula"
unit = "tCO2e"
formula = "2 * x.one"
label = { en = "Two", zh-Hant = "二", zh-Hans = "二" }
)");
  ASSERT_EQ(s.error_count(), 1u) << all_messages(s);
  EXPECT_EQ(s.items()[0].code, "catalog_cycle");
  EXPECT_EQ(s.items()[0].message,
            "metric x.one: formula depends on itself: x.one -> x.two -> x.one");
  EXPECT_EQ(s.items()[0].metric, "x.one");
}

TEST(Catalog, UnknownIdIsRejectedNamingTheMetric) {
  DiagnosticSink s = load(R"(
[metric."x.total"]
kind = "formula"
unit = "tCO2e"
formula = "a + ghg.scope4"
label = { en = "T", zh-Hant = "總", zh-Hans = "总" }
)");
  ASSERT_EQ(s.error_count(), 1u) << all_messages(s);
  EXPECT_EQ(s.items()[0].code, "catalog_unknown_id");
  EXPECT_EQ(s.items()[0].message,
            "metric x.total: formula \"a + ghg.scope4\" reads ghg.scope4, which is not a metric of "
            "the catalog");
}

TEST(Catalog, UnitMismatchIsRejectedNamingTheMetric) {
  // tCO2e + MWh: different dimensions.
  DiagnosticSink s = load(R"(
[metric."x.bad_sum"]
kind = "formula"
unit = "tCO2e"
formula = "a + e"
label = { en = "S", zh-Hant = "和", zh-Hans = "和" }
)");
  ASSERT_EQ(s.error_count(), 1u) << all_messages(s);
  EXPECT_EQ(s.items()[0].code, "catalog_unit_mismatch");
  EXPECT_EQ(s.items()[0].message,
            "metric x.bad_sum: formula \"a + e\": a is co2e mass but e is energy (operands of a "
            "sum must have the same dimension)");

  // tCO2e / MWh is not the declared tCO2e per currency.
  DiagnosticSink r = load(R"(
[metric."x.bad_ratio"]
kind = "formula"
unit = "tCO2e/million {currency}"
formula = "a / e"
label = { en = "R", zh-Hant = "比", zh-Hans = "比" }
)");
  ASSERT_EQ(r.error_count(), 1u) << all_messages(r);
  EXPECT_EQ(r.items()[0].code, "catalog_unit_mismatch");
  EXPECT_EQ(r.items()[0].message,
            "metric x.bad_ratio: formula \"a / e\" gives co2e mass/energy, but the unit "
            "\"tCO2e/million {currency}\" is co2e mass/currency");
}

TEST(Catalog, MalformedFormulaAndMissingLabelAreErrors) {
  DiagnosticSink s = load(R"(
[metric."x.broken"]
kind = "formula"
unit = "tCO2e"
formula = "a + (e"
label = { en = "B", zh-Hant = "", zh-Hans = "破" }
)");
  ASSERT_EQ(s.error_count(), 2u) << all_messages(s);
  EXPECT_EQ(s.items()[0].message,
            "metric x.broken: label needs en, zh-Hant and zh-Hans, none empty");
  EXPECT_EQ(s.items()[1].message,
            "metric x.broken: formula \"a + (e\" does not parse: at 7: expected ')'");
}

TEST(Catalog, RoundingHalfAwayFromZero) {
  EXPECT_EQ(round_half_away_from_zero(0.125, 2), 0.13);  // 12.5 -> 13
  EXPECT_EQ(round_half_away_from_zero(-2.5, 0), -3.0);
  EXPECT_EQ(round_half_away_from_zero(14.3145, 1), 14.3);
}

}  // namespace
}  // namespace assay
