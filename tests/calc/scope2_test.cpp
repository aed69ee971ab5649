// Scope 2, location- and market-based, with the contract's five steps
// (spec/data-package.md, instruments.csv). Hand-computed.
#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace assay {
namespace {
using namespace assay::testing;

// Grid CN 0.5 t/MWh, HK 0.7; residual mix only for CN-East (0.6).
FactorLibrary grid_library() {
  return FactorLibrary::from_rows(
      {factor("electricity.grid", "CN", "*", "CO2e", "0.5", "t/MWh"),
       factor("electricity.grid", "HK", "*", "CO2e", "0.7", "t/MWh"),
       factor("electricity.residual_mix", "CN-East", "*", "CO2e", "0.6", "t/MWh"),
       factor("heat.purchased", "CN", "*", "CO2e", "0.11", "t/GJ")},
      {}, {});
}

// Sites A, B (CN-East), C (CN-North), D (HK); 2024 grid A 100, B 300 (two
// records 100 + 200), C 200, D 50 MWh.
Package market_package() {
  Package p = package();
  p.sites = {site("A", "CN-East"), site("B", "CN-East"), site("C", "CN-North"), site("D", "HK")};
  p.activities = {activity("RA", "A", "electricity.grid", "100", "MWh"),
                  activity("RB1", "B", "electricity.grid", "100000", "kWh"),
                  activity("RB2", "B", "electricity.grid", "200", "MWh"),
                  activity("RC", "C", "electricity.grid", "200", "MWh"),
                  activity("RD", "D", "electricity.grid", "50", "MWh")};
  p.instruments = {
      instrument("I1", "A", "CN-East", "60", "0", true),     // step 2, A
      instrument("I2", "A", "CN-East", "50", "0.1", false),  // step 2, capped at A's 40; 10 pooled
      instrument("I3", "", "CN-East", "80", "0", true),      // CN-East pool
      instrument("I4", "", "CN", "300", "0", true),          // CN pool, pro rata B/C
      instrument("I5", "", "CN-West", "20", "0", true)};     // no consumption: unused
  number_lines(&p);
  return p;
}

TEST(Scope2, LocationBased) {
  Inventory inv = compute(market_package(), grid_library(), {});
  // (100 + 300 + 200) x 0.5 + 50 x 0.7 = 300 + 35 = 335
  EXPECT_NEAR(value_of(inv, "ghg.scope2.location", 2024), 335, 1e-9);
  EXPECT_NEAR(value_of(inv, "ghg.scope2.location", 2024, "B"), 150, 1e-9);
  EXPECT_NEAR(value_of(inv, "energy.electricity", 2024), 650, 1e-9);
}

TEST(Scope2, MarketBasedFiveSteps) {
  Inventory inv = compute_with_metrics(market_package(), grid_library(), {});
  // Step 2: A: I1 (EF 0) 60 -> A left 40; I2 (EF 0.1) capped at 40, 10 MWh left over.
  //   A = 60 x 0 + 40 x 0.1 = 4
  EXPECT_NEAR(value_of(inv, "ghg.scope2.market", 2024, "A"), 4.0, 1e-12);
  // Step 3, CN-East pool (sub-national first): I3 (0) 80 then I2's 10 (0.1), all to B
  //   (A has nothing left): B left 300 - 80 - 10 = 210.
  // CN pool: I4 300 pro rata to B 210 and C 200 (total 410):
  //   B gets 300 x 210/410, left 210 x 110/410 = 23100/410;
  //   C gets 300 x 200/410, left 200 x 110/410 = 22000/410.
  // Step 4: B's rest at the CN-East residual mix 0.6; C (CN-North) and D (HK) have no
  //   residual mix: grid factor 0.5 and 0.7, with a warning naming each region.
  //   B = 10 x 0.1 + 23100/410 x 0.6 = 1 + 13860/410
  //   C = 22000/410 x 0.5 = 11000/410
  //   D = 50 x 0.7 = 35
  EXPECT_NEAR(value_of(inv, "ghg.scope2.market", 2024, "B"), 1 + 13860.0 / 410, 1e-9);
  EXPECT_NEAR(value_of(inv, "ghg.scope2.market", 2024, "C"), 11000.0 / 410, 1e-9);
  EXPECT_NEAR(value_of(inv, "ghg.scope2.market", 2024, "D"), 35, 1e-9);
  // total = 4 + 1 + 35 + (13860 + 11000)/410 = 40 + 24860/410
  EXPECT_NEAR(value_of(inv, "ghg.scope2.market", 2024), 40 + 24860.0 / 410, 1e-9);
  std::vector<std::string> regions;
  for (const auto& d : inv.diagnostics.items()) {
    if (d.code == "residual_mix_missing") regions.push_back(d.region);
  }
  EXPECT_EQ(regions, (std::vector<std::string>{"CN-North", "HK"}));
  // Step 5: I5's 20 MWh found no CN-West consumption.
  EXPECT_NEAR(value_of(inv, "instruments.unused", 2024, "", "CN-West"), 20, 1e-12);
  EXPECT_EQ(inv.find("instruments.unused", 2024, "", "CN-East"), nullptr);
  ASSERT_EQ(count_code(inv, "instrument_unused"), 1u);
  for (const auto& d : inv.diagnostics.items()) {
    if (d.code == "instrument_unused") {
      EXPECT_EQ(d.region, "CN-West");
    }
  }
  // Renewable instruments applied: I1 60 + I3 80 + I4 300 = 440 (I2 is not renewable).
  EXPECT_NEAR(value_of(inv, "renewable.purchased", 2024), 440, 1e-9);
  // Coverage: (60 + 40 + 80 + 10 + 300) / 650 x 100 = 490/650 x 100
  EXPECT_NEAR(value_of(inv, "scope2.coverage", 2024), 49000.0 / 650, 1e-9);
  // renewable.share = 440 / 650 x 100 (no onsite generation)
  EXPECT_NEAR(value_of(inv, "renewable.share", 2024), 44000.0 / 650, 1e-9);
  EXPECT_FALSE(inv.diagnostics.has_errors());
}

TEST(Scope2, SiteInstrumentsLowestFactorFirstTiesById) {
  Package p = package();
  p.sites = {site("A", "CN")};
  p.activities = {activity("RA", "A", "electricity.grid", "100", "MWh")};
  // Same EF: I-a before I-b; the cheaper I-c (0.05) goes before both.
  p.instruments = {instrument("I-b", "A", "CN", "100", "0.2", false),
                   instrument("I-a", "A", "CN", "30", "0.2", false),
                   instrument("I-c", "A", "CN", "50", "0.05", false)};
  Inventory inv = compute(p, grid_library(), {});
  // I-c 50 x 0.05 = 2.5; I-a 30 x 0.2 = 6; I-b 20 x 0.2 = 4 -> 12.5; I-b unused 80
  EXPECT_NEAR(value_of(inv, "ghg.scope2.market", 2024), 12.5, 1e-12);
  EXPECT_NEAR(value_of(inv, "instruments.unused", 2024, "", "CN"), 80, 1e-12);
}

TEST(Scope2, SubNationalInstrumentServesItsRegionOnly) {
  Package p = package();
  p.sites = {site("A", "CN-North")};
  p.activities = {activity("RA", "A", "electricity.grid", "100", "MWh")};
  p.instruments = {instrument("I1", "", "CN-East", "100", "0", true)};
  Inventory inv = compute(p, grid_library(), {});
  // No cover: 100 x 0.5 (grid, no residual mix for CN-North) = 50; I1 unused in CN-East.
  EXPECT_NEAR(value_of(inv, "ghg.scope2.market", 2024), 50, 1e-12);
  EXPECT_NEAR(value_of(inv, "instruments.unused", 2024, "", "CN-East"), 100, 1e-12);
  EXPECT_NEAR(value_of(inv, "renewable.purchased", 2024), 0, 0);
}

TEST(Scope2, OutOfBoundarySiteGoesToScope3Category8) {
  Package p = package();
  p.sites = {site("A", "CN"), site("O", "CN-East", SiteKind::kLeasedDataCenter, false)};
  p.activities = {activity("RA", "A", "electricity.grid", "10", "MWh"),
                  activity("RO", "O", "electricity.grid", "100", "MWh"),
                  activity("RH", "O", "heat.purchased", "10", "GJ")};
  p.instruments = {instrument("IO", "O", "CN-East", "30", "0", true)};
  Inventory inv = compute_with_metrics(p, grid_library(), {});
  // O: 30 MWh at IO's 0, the other 70 at the location-based grid 0.5 = 35; heat 10 GJ x 0.11 = 1.1
  EXPECT_NEAR(value_of(inv, "ghg.scope3.category", 2024, "", "8"), 36.1, 1e-12);
  EXPECT_NEAR(value_of(inv, "ghg.scope3", 2024), 36.1, 1e-12);
  // Scope 2 and energy only from A: 10 x 0.5 = 5; IO counts in neither purchased nor coverage.
  EXPECT_NEAR(value_of(inv, "ghg.scope2.market", 2024), 5, 1e-12);
  EXPECT_NEAR(value_of(inv, "energy.electricity", 2024), 10, 1e-12);
  EXPECT_NEAR(value_of(inv, "renewable.purchased", 2024), 0, 0);
  EXPECT_NEAR(value_of(inv, "scope2.coverage", 2024), 0, 0);
  // ghg.total.market = 0 (scope 1 n/a) + 5 + 36.1
  EXPECT_NEAR(value_of(inv, "ghg.total.market", 2024), 41.1, 1e-12);
}

TEST(Scope2, OutOfBoundaryLeftoverIsUnusedNotPooled) {
  Package p = package();
  p.sites = {site("A", "CN-East"), site("O", "CN-East", SiteKind::kOffice, false)};
  p.activities = {activity("RA", "A", "electricity.grid", "10", "MWh"),
                  activity("RO", "O", "electricity.grid", "100", "MWh")};
  p.instruments = {instrument("IO", "O", "CN-East", "130", "0", true)};
  Inventory inv = compute(p, grid_library(), {});
  // IO covers O's 100; its 30 left over are unused, not given to A: A = 10 x 0.6 (residual) = 6
  EXPECT_NEAR(value_of(inv, "instruments.unused", 2024, "", "CN-East"), 30, 1e-12);
  EXPECT_NEAR(value_of(inv, "ghg.scope2.market", 2024), 6, 1e-12);
  EXPECT_NEAR(value_of(inv, "ghg.scope3.category", 2024, "", "8"), 0, 1e-12);
}

TEST(Scope2, HeatUsesItsFactorInBothMethods) {
  Package p = package();
  p.sites = {site("A", "CN")};
  p.activities = {activity("RH", "A", "heat.purchased", "10", "MWh")};
  Inventory inv = compute(p, grid_library(), {});
  // 10 MWh = 36 GJ x 0.11 = 3.96 in both methods; energy.other_indirect 10 MWh
  EXPECT_NEAR(value_of(inv, "ghg.scope2.location", 2024), 3.96, 1e-12);
  EXPECT_NEAR(value_of(inv, "ghg.scope2.market", 2024), 3.96, 1e-12);
  EXPECT_NEAR(value_of(inv, "energy.other_indirect", 2024), 10, 1e-12);
  EXPECT_NEAR(value_of(inv, "energy.indirect", 2024), 10, 1e-12);
}

TEST(Scope2, InstrumentVolumeApportionedByDays) {
  Package p = package({2023, 2024});
  p.sites = {site("A", "CN")};
  p.activities = {
      activity("R23", "A", "electricity.grid", "1000", "MWh", "2023-01-01", "2023-12-31"),
      activity("R24", "A", "electricity.grid", "1000", "MWh")};
  // 2023-12-02 .. 2024-01-31: 30 days in 2023, 31 in 2024, 61 days; 610 MWh -> 300 / 310
  p.instruments = {instrument("I", "", "CN", "610", "0", true, "2023-12-02", "2024-01-31")};
  Inventory inv = compute(p, grid_library(), {});
  EXPECT_NEAR(value_of(inv, "renewable.purchased", 2023), 300, 1e-9);
  EXPECT_NEAR(value_of(inv, "renewable.purchased", 2024), 310, 1e-9);
  // 2024: (1000 - 310) x 0.5 (no residual mix for CN) = 345
  EXPECT_NEAR(value_of(inv, "ghg.scope2.market", 2024), 345, 1e-9);
}

}  // namespace
}  // namespace assay
