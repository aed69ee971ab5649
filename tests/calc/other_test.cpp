// Apportionment by days, PUE, factor fallbacks in lineage, scope 3, water,
// waste and intensities. Hand-computed.
#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace assay {
namespace {
using namespace assay::testing;

FactorLibrary grid_only() {
  return FactorLibrary::from_rows({factor("electricity.grid", "CN", "*", "CO2e", "0.5", "t/MWh")},
                                  {}, {});
}

TEST(Apportionment, StraddlingRecordSplitByDaysInclusive) {
  Package p = package({2023, 2024});
  p.manifest.base_year = 2021;
  p.sites = {site("A", "CN")};
  // 2023-12-02 .. 2024-01-31 inclusive: 30 days in 2023, 31 in 2024 (61 days).
  p.activities = {activity("R", "A", "electricity.grid", "610", "MWh", "2023-12-02", "2024-01-31")};
  Inventory inv = compute(p, grid_only(), {});
  // 610 x 30/61 = 300 MWh; 610 x 31/61 = 310 MWh
  EXPECT_NEAR(value_of(inv, "energy.electricity", 2023), 300, 1e-9);
  EXPECT_NEAR(value_of(inv, "energy.electricity", 2024), 310, 1e-9);
  EXPECT_NEAR(value_of(inv, "ghg.scope2.location", 2023), 150, 1e-9);
  EXPECT_NEAR(value_of(inv, "ghg.scope2.location", 2024), 155, 1e-9);
  // The base year is computed too; nothing overlaps it.
  const Figure* base = inv.find("ghg.scope2.location", 2021);
  ASSERT_TRUE(base);
  EXPECT_EQ(base->status, FigureStatus::kNotAvailable);
}

TEST(Pue, WholeYearRuleForTheAverage) {
  Package p = package();
  Site dc1 = site("DC1", "CN", SiteKind::kDataCenter);
  dc1.opened = 2020 * 12 + 0;  // 2020-01: ran all of 2024
  Site dc2 = site("DC2", "CN", SiteKind::kDataCenter);
  dc2.opened = 2024 * 12 + 2;                           // 2024-03: not the whole year
  Site dc3 = site("DC3", "CN", SiteKind::kDataCenter);  // no `opened`: long-running
  dc3.closed = 2024 * 12 + 11;                          // closed 2024-12: still counts
  Site dc4 = site("DC4", "CN", SiteKind::kDataCenter);
  dc4.opened = 2023 * 12 + 11;  // 2023-12: counts (no later than December of Y-1)
  dc4.closed = 2024 * 12 + 10;  // 2024-11: does not count
  Site leased = site("L1", "CN", SiteKind::kLeasedDataCenter);
  p.sites = {dc1, dc2, dc3, dc4, leased};
  p.activities = {activity("F1", "DC1", "electricity.grid", "1200", "MWh"),
                  activity("G1", "DC1", "electricity.onsite_renewable", "100", "MWh"),
                  activity("T1", "DC1", "it_energy", "1000000", "kWh"),
                  activity("F2", "DC2", "electricity.grid", "500", "MWh"),
                  activity("T2", "DC2", "it_energy", "400", "MWh"),
                  activity("F3", "DC3", "electricity.grid", "900", "MWh"),
                  activity("T3", "DC3", "it_energy", "600", "MWh"),
                  activity("F4", "DC4", "electricity.grid", "140", "MWh"),
                  activity("T4", "DC4", "it_energy", "100", "MWh"),
                  activity("FL", "L1", "electricity.grid", "300", "MWh"),
                  activity("TL", "L1", "it_energy", "200", "MWh")};
  Inventory inv = compute(p, grid_only(), {});
  // per site: DC1 (1200 + 100)/1000 = 1.3; DC2 500/400 = 1.25; DC3 900/600 = 1.5;
  // DC4 140/100 = 1.4; L1 300/200 = 1.5
  EXPECT_NEAR(value_of(inv, "pue.site", 2024, "DC1"), 1.3, 1e-12);
  EXPECT_NEAR(value_of(inv, "pue.site", 2024, "DC2"), 1.25, 1e-12);
  EXPECT_NEAR(value_of(inv, "pue.site", 2024, "DC4"), 1.4, 1e-12);
  EXPECT_NEAR(value_of(inv, "pue.site", 2024, "L1"), 1.5, 1e-12);
  // average over own data centres that ran the whole year, DC1 and DC3:
  // (1300 + 900) / (1000 + 600) = 2200/1600 = 1.375
  EXPECT_NEAR(value_of(inv, "pue.average", 2024), 1.375, 1e-12);
}

TEST(Fallback, ByRegionAndByYearRecordedInLineageAndWarnedOnce) {
  Package p = package();
  p.sites = {site("E", "CN-East"), site("N", "CN-North")};
  p.activities = {activity("RE1", "E", "electricity.grid", "100", "MWh"),
                  activity("RE2", "E", "electricity.grid", "50", "MWh"),
                  activity("RN", "N", "electricity.grid", "100", "MWh")};
  auto lib = FactorLibrary::from_rows(
      {factor("electricity.grid", "CN-North", "2022", "CO2e", "0.6", "t/MWh"),
       factor("electricity.grid", "CN-North", "2023", "CO2e", "0.65", "t/MWh"),
       factor("electricity.grid", "CN", "2023", "CO2e", "0.55", "t/MWh")},
      {}, {});
  Inventory inv = compute(p, lib, {});
  // E (CN-East, 2024): no CN-East rows -> CN (region fallback: the set has CN-North), no
  // 2024 -> 2023 (year fallback): 150 x 0.55 = 82.5. N: CN-North 2023 (year fallback):
  // 100 x 0.65 = 65. Total 147.5.
  EXPECT_NEAR(value_of(inv, "ghg.scope2.location", 2024), 147.5, 1e-9);
  // One warning per distinct (key, quantity, region, year): E's two records share one.
  EXPECT_EQ(count_code(inv, "factor_fallback"), 2u);
  const Figure* f = inv.find("ghg.scope2.location", 2024, "E");
  ASSERT_TRUE(f && f->lineage);
  ASSERT_EQ(f->lineage->leaves.size(), 2u);
  const auto& leaf = f->lineage->leaves[0];
  ASSERT_TRUE(leaf.method);
  const auto& res = *leaf.method->terms.at(0).factors.at(0);
  EXPECT_TRUE(res.region_fallback);
  EXPECT_TRUE(res.year_fallback);
  EXPECT_EQ(res.row->region, "CN");
  EXPECT_EQ(res.row->year, "2023");
  const auto& nres =
      *inv.find("ghg.scope2.location", 2024, "N")->lineage->leaves[0].method->terms[0].factors[0];
  EXPECT_FALSE(nres.region_fallback);
  EXPECT_TRUE(nres.year_fallback);
}

FactorLibrary scope3_library() {
  return FactorLibrary::from_rows(
      {factor("scope3.spend.c1", "*", "*", "CO2e", "0.5", "kg/CNY"),
       factor("scope3.activity.air", "*", "*", "CO2e", "0.15", "kg/pkm")},
      {}, {});
}

TEST(Scope3, SpendActivityAndSupplierSpecificByCategory) {
  Package p = package();
  p.sites = {site("A", "CN")};
  p.activities = {
      activity("S1", "A", "scope3.spend", "1000000", "CNY", "2024-01-01", "2024-12-31", 1),
      activity("S2", "A", "scope3.activity.air", "20000", "pkm", "2024-01-01", "2024-12-31", 6),
      activity("S3", "A", "scope3.supplier_specific", "2500", "kgCO2e", "2024-01-01", "2024-12-31",
               1)};
  Inventory inv = compute(p, scope3_library(), {});
  // c1: 1,000,000 CNY x 0.5 kg/CNY = 500,000 kg = 500 t; + supplier 2500 kg = 2.5 t -> 502.5
  EXPECT_NEAR(value_of(inv, "ghg.scope3.category", 2024, "", "1"), 502.5, 1e-9);
  // c6: 20,000 pkm x 0.15 kg/pkm = 3000 kg = 3 t
  EXPECT_NEAR(value_of(inv, "ghg.scope3.category", 2024, "", "6"), 3, 1e-12);
  EXPECT_NEAR(value_of(inv, "ghg.scope3", 2024), 505.5, 1e-9);
  EXPECT_EQ(inv.find("ghg.scope3.category", 2024, "", "2"), nullptr);
  EXPECT_FALSE(inv.diagnostics.has_errors());
}

TEST(Scope3, SpendInAnotherCurrencyIsAnError) {
  Package p = package();
  p.sites = {site("A", "CN")};
  p.activities = {
      activity("S1", "A", "scope3.spend", "1000", "USD", "2024-01-01", "2024-12-31", 1),
      activity("S2", "A", "scope3.activity.air", "20000", "pkm", "2024-01-01", "2024-12-31", 6)};
  Inventory inv = compute_with_metrics(p, scope3_library(), {});
  EXPECT_TRUE(inv.diagnostics.has_errors());
  ASSERT_EQ(count_code(inv, "currency_mismatch"), 1u);
  EXPECT_EQ(inv.diagnostics.items()[0].record, "S1");
  EXPECT_EQ(inv.find("ghg.scope3.category", 2024, "", "1")->status, FigureStatus::kIncomplete);
  EXPECT_EQ(inv.find("ghg.scope3", 2024)->status, FigureStatus::kIncomplete);
  EXPECT_EQ(inv.find("ghg.total.market", 2024)->status, FigureStatus::kIncomplete);
  // Category 6 does not need the spend factor.
  EXPECT_NEAR(value_of(inv, "ghg.scope3.category", 2024, "", "6"), 3, 1e-12);
}

TEST(Totals, SharesIntensitiesWaterAndWaste) {
  Package p = package();
  p.manifest.revenue[2024] = dec("200");
  p.sites = {site("A", "CN")};
  p.activities = {
      activity("E", "A", "electricity.grid", "100", "MWh"),
      activity("S", "A", "scope3.spend", "100000", "CNY", "2024-01-01", "2024-12-31", 1),
      activity("W", "A", "water.withdrawal", "5000", "m3"),
      activity("N", "A", "waste.nonhazardous", "3", "t"),
      activity("H", "A", "waste.hazardous", "0.5", "t"),
      activity("U", "A", "ewaste.reused", "1", "t"),
      activity("C", "A", "ewaste.recycled", "2", "t")};
  auto lib =
      FactorLibrary::from_rows({factor("electricity.grid", "CN", "*", "CO2e", "0.5", "t/MWh"),
                                factor("scope3.spend.c1", "*", "*", "CO2e", "0.5", "kg/CNY")},
                               {}, {});
  Inventory inv = compute_with_metrics(p, lib, {});
  // scope 2: 100 x 0.5 = 50 (both methods); scope 3: 100000 x 0.5 kg = 50 t; total 100
  EXPECT_NEAR(value_of(inv, "ghg.total.market", 2024), 100, 1e-12);
  EXPECT_NEAR(value_of(inv, "ghg.scope12.market", 2024), 50, 1e-12);
  EXPECT_NEAR(value_of(inv, "ghg.intensity.market", 2024), 0.5, 1e-12);  // 100 / 200
  EXPECT_NEAR(value_of(inv, "ghg.share", 2024, "", "scope2"), 50, 1e-12);
  EXPECT_NEAR(value_of(inv, "ghg.share", 2024, "", "scope3"), 50, 1e-12);
  EXPECT_EQ(inv.find("ghg.share", 2024, "", "scope1")->status, FigureStatus::kNotAvailable);
  EXPECT_NEAR(value_of(inv, "energy.intensity", 2024), 0.5, 1e-12);  // 100 MWh / 200
  EXPECT_NEAR(value_of(inv, "water.withdrawal", 2024), 5000, 0);     // 1 m3 = 1 t
  EXPECT_NEAR(value_of(inv, "water.intensity", 2024), 25, 1e-12);    // 5000 / 200
  // 3 t = 3000 kg / 200 = 15 kg per million; 0.5 t -> 2.5
  EXPECT_NEAR(value_of(inv, "waste.nonhazardous.intensity", 2024), 15, 1e-12);
  EXPECT_NEAR(value_of(inv, "waste.hazardous.intensity", 2024), 2.5, 1e-12);
  EXPECT_NEAR(value_of(inv, "waste.ewaste_reused", 2024), 1, 0);
  EXPECT_NEAR(value_of(inv, "waste.ewaste_recycled", 2024), 2, 0);
  // No instruments at all: renewable.purchased is not available, but with electricity
  // and no renewable input the share is 0 / 100 MWh = 0 %.
  EXPECT_EQ(inv.find("renewable.purchased", 2024)->status, FigureStatus::kNotAvailable);
  EXPECT_NEAR(value_of(inv, "renewable.share", 2024), 0, 0);
  EXPECT_NEAR(value_of(inv, "scope2.coverage", 2024), 0, 0);
}

}  // namespace
}  // namespace assay
