// Targets (spec/data-package.md, targets.csv): progress and required annual
// rate by the contract's formulas, and the SBTi ambition information.
#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace assay {
namespace {

using namespace assay::testing;

TargetRow target(std::string id, std::string metric, std::string kind, int base_year,
                 std::optional<std::string> base_value, int target_year, std::string value,
                 int64_t line) {
  TargetRow t;
  t.target_id = std::move(id);
  t.metric = std::move(metric);
  t.kind = std::move(kind);
  t.base_year = base_year;
  if (base_value) t.base_value = dec(*base_value);
  t.target_year = target_year;
  t.target_value = dec(value);
  t.source = {"targets.csv", line};
  return t;
}

Package target_package() {
  Package p = package_for(2024, {2022, 2023, 2024});
  p.manifest.base_year = 2021;
  p.manifest.revenue[2021] = dec("100");
  p.manifest.revenue[2024] = dec("120");
  return p;
}

TEST(Targets, ContractWorkedExampleAbsoluteReduction) {
  Package p = target_package();
  // base 100 (given), r = 70%, current 85 in 2024, target 2030
  p.targets.push_back(target("T1", "ghg.scope12.market", "reduction", 2021, "100", 2030, "70", 2));
  Inventory inv;
  inv.figures.push_back(base_figure("ghg.scope1", 2024, 60, "tCO2e"));
  inv.figures.push_back(base_figure("ghg.scope2.market", 2024, 25, "tCO2e"));
  evaluate_metrics(builtin_catalog(), p, &inv);
  // scope12.market = 60 + 25 = 85
  EXPECT_EQ(value_of(inv, "ghg.scope12.market", 2024), 85);
  // progress = (100 - 85) / (100 - 100 x 0.3) x 100 = 15 / 70 x 100 = 21.43 -> 21.4%
  EXPECT_NEAR(value_of(inv, "target.progress", 2024, "T1"), 1500.0 / 70, 1e-9);
  EXPECT_EQ(round_half_away_from_zero(value_of(inv, "target.progress", 2024, "T1"), 1), 21.4);
  // required = (85 - 30) / 100 / (2030 - 2024) x 100 = 9.1667 -> 9.17% of base per year
  EXPECT_NEAR(value_of(inv, "target.required_annual", 2024, "T1"), 55.0 / 6, 1e-9);
  EXPECT_EQ(round_half_away_from_zero(value_of(inv, "target.required_annual", 2024, "T1"), 2),
            9.17);
  EXPECT_EQ(find(inv, "target.progress", 2024, "T1")->unit, "%");
  // SBTi: -70% over 2030 - 2021 = 9 years = 7.78%/yr >= 4.2%/yr (scopes 1+2, 1.5 C)
  auto w = with_code(inv, "sbti_ambition");
  ASSERT_EQ(w.size(), 1u);
  const std::string expected =
      "information: target T1 (ghg.scope12.market -70% by 2030 against 2021) implies 7.78%/yr "
      "linear; SBTi near-term minimum for scopes 1+2 (1.5 C) is 4.20%/yr: pass (";
  EXPECT_EQ(w[0].message.substr(0, expected.size()), expected);
  EXPECT_EQ(w[0].severity, Severity::kWarning);
}

TEST(Targets, IntensityTargetWithBaseComputedFromTheBaseYear) {
  Package p = target_package();
  p.targets.push_back(
      target("T2", "ghg.intensity.market", "reduction", 2021, std::nullopt, 2030, "60", 3));
  Inventory inv;
  inv.figures.push_back(base_figure("ghg.scope1", 2021, 800, "tCO2e"));
  inv.figures.push_back(base_figure("ghg.scope2.market", 2021, 200, "tCO2e"));
  inv.figures.push_back(base_figure("ghg.scope1", 2024, 500, "tCO2e"));
  inv.figures.push_back(base_figure("ghg.scope2.market", 2024, 100, "tCO2e"));
  evaluate_metrics(builtin_catalog(), p, &inv);
  // base = (800 + 200) / 100 = 10 t per million; current = (500 + 100) / 120 = 5
  EXPECT_NEAR(value_of(inv, "ghg.intensity.market", 2021), 10, 1e-12);
  EXPECT_NEAR(value_of(inv, "ghg.intensity.market", 2024), 5, 1e-12);
  // progress = (10 - 5) / (10 x 0.6) x 100 = 83.33%
  EXPECT_NEAR(value_of(inv, "target.progress", 2024, "T2"), 250.0 / 3, 1e-9);
  // required = (5 - 10 x 0.4) / 10 / 6 x 100 = 1.667% of base per year
  EXPECT_NEAR(value_of(inv, "target.required_annual", 2024, "T2"), 10.0 / 6, 1e-9);
  EXPECT_TRUE(with_code(inv, "sbti_ambition").empty());  // not an absolute scope target
}

TEST(Targets, LevelTargetsAndShortAmbition) {
  Package p = target_package();
  p.targets.push_back(target("PUE", "pue.average", "at_most", 2021, std::nullopt, 2030, "1.35", 2));
  p.targets.push_back(
      target("RE", "renewable.share", "at_least", 2021, std::nullopt, 2030, "100", 3));
  p.targets.push_back(target("S3", "ghg.scope3", "reduction", 2021, std::nullopt, 2030, "20", 4));
  Inventory inv;
  inv.figures.push_back(base_figure("pue.average", 2024, 1.30, "1"));
  inv.figures.push_back(base_figure("renewable.purchased", 2024, 22, "MWh"));
  inv.figures.push_back(base_figure("energy.electricity", 2024, 100, "MWh"));
  inv.figures.push_back(base_figure("ghg.scope3", 2021, 1000, "tCO2e"));
  inv.figures.push_back(base_figure("ghg.scope3", 2024, 950, "tCO2e"));
  evaluate_metrics(builtin_catalog(), p, &inv);
  // at_most: 1.35 - 1.30 = 0.05 (>= 0: met), in the metric's unit; no required rate
  EXPECT_NEAR(value_of(inv, "target.progress", 2024, "PUE"), 0.05, 1e-12);
  EXPECT_EQ(find(inv, "target.progress", 2024, "PUE")->unit, "1");
  EXPECT_EQ(find(inv, "target.required_annual", 2024, "PUE")->status, FigureStatus::kNotAvailable);
  // at_least: share 22 / 100 x 100 = 22; 22 - 100 = -78 (not met)
  EXPECT_NEAR(value_of(inv, "target.progress", 2024, "RE"), -78, 1e-12);
  // scope 3 -20%: progress (1000 - 950) / 200 x 100 = 25%;
  // SBTi: 20 / 9 = 2.22%/yr < 2.5%/yr -> short
  EXPECT_NEAR(value_of(inv, "target.progress", 2024, "S3"), 25, 1e-12);
  auto w = with_code(inv, "sbti_ambition");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].message.find("implies 2.22%/yr linear; SBTi near-term minimum for scope 3 "
                              "(well-below 2 C) is 2.50%/yr: short"),
            std::string::npos)
      << w[0].message;
}

}  // namespace
}  // namespace assay
