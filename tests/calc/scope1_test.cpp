// Scope 1 and energy, computed by hand from the fixture factors below.
#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace assay {
namespace {
using namespace assay::testing;

std::vector<FactorRow> gwp_rows() {
  return {factor("CO2", "*", "*", "gwp100", "1", "1"),
          factor("CH4", "*", "*", "gwp100", "29.8", "1"),
          factor("CH4-nonfossil", "*", "*", "gwp100", "27.0", "1"),
          factor("N2O", "*", "*", "gwp100", "273", "1"),
          factor("HFC-134a", "*", "*", "gwp100", "1530", "1"),
          factor("HFC-227ea", "*", "*", "gwp100", "3600", "1"),
          factor("HFC-32", "*", "*", "gwp100", "771", "1"),
          factor("HFC-125", "*", "*", "gwp100", "3740", "1"),
          factor("blend.R-410A", "*", "*", "HFC-32", "0.5", "kg/kg"),
          factor("blend.R-410A", "*", "*", "HFC-125", "0.5", "kg/kg")};
}

std::vector<FactorRow> diesel_rows() {
  return {factor("fuel.diesel", "*", "*", "density", "0.84", "kg/L"),
          factor("fuel.diesel", "*", "*", "ncv", "43.0", "GJ/t"),
          factor("fuel.diesel.stationary", "*", "*", "CO2", "74100", "kg/TJ"),
          factor("fuel.diesel.stationary", "*", "*", "CH4", "3", "kg/TJ"),
          factor("fuel.diesel.stationary", "*", "*", "N2O", "0.6", "kg/TJ")};
}

FactorLibrary library(std::vector<std::vector<FactorRow>> parts) {
  std::vector<FactorRow> rows;
  for (auto& p : parts) rows.insert(rows.end(), p.begin(), p.end());
  return FactorLibrary::from_rows(rows, {}, {});
}

TEST(Scope1, DieselInLitresThroughDensityNcvPerGasFactorAndGwp) {
  Package p = package();
  p.sites = {site("S1", "CN-East")};
  p.activities = {activity("R1", "S1", "fuel.diesel.stationary", "10000", "L")};
  auto lib = library({gwp_rows(), diesel_rows()});
  Inventory inv = compute(p, lib, {});
  // 10000 L x 0.84 kg/L = 8400 kg = 8.4 t; x 43.0 GJ/t = 361.2 GJ = 0.3612 TJ
  // CO2: 0.3612 TJ x 74100 kg/TJ = 26764.92 kg            = 26.76492 t
  // CH4: 0.3612 x 3 = 1.0836 kg x 29.8 = 32.29128 kg       = 0.03229128 t
  // N2O: 0.3612 x 0.6 = 0.21672 kg x 273 = 59.16456 kg     = 0.05916456 t
  // total 26.85637584 t
  EXPECT_NEAR(value_of(inv, "ghg.scope1", 2024), 26.85637584, 1e-9);
  EXPECT_NEAR(value_of(inv, "ghg.scope1", 2024, "S1"), 26.85637584, 1e-9);
  EXPECT_NEAR(value_of(inv, "ghg.scope1.gas", 2024, "", "CO2"), 26.76492, 1e-9);
  EXPECT_NEAR(value_of(inv, "ghg.scope1.gas", 2024, "", "CH4"), 0.03229128, 1e-12);
  EXPECT_NEAR(value_of(inv, "ghg.scope1.gas", 2024, "", "N2O"), 0.05916456, 1e-12);
  // energy: 361.2 GJ / 3.6 GJ/MWh = 100.3333... MWh; fuel.diesel in its own unit 10000 L
  EXPECT_NEAR(value_of(inv, "energy.direct", 2024), 361.2 / 3.6, 1e-9);
  EXPECT_NEAR(value_of(inv, "energy.total", 2024), 361.2 / 3.6, 1e-9);
  EXPECT_DOUBLE_EQ(value_of(inv, "fuel.diesel", 2024), 10000);
  EXPECT_FALSE(inv.diagnostics.has_errors());
}

TEST(Scope1, FuelInKilogramsNeedsNoDensity) {
  Package p = package();
  p.sites = {site("S1", "CN")};
  p.activities = {activity("R1", "S1", "fuel.diesel.stationary", "840", "kg")};
  auto rows = diesel_rows();
  rows.erase(rows.begin());  // no density row: not needed for kg
  auto lib = library({gwp_rows(), rows});
  Inventory inv = compute(p, lib, {});
  // 840 kg = 0.84 t x 43 = 36.12 GJ = 0.03612 TJ; 0.03612 x (74100 + 3 x 29.8 + 0.6 x 273) kg
  // = 0.03612 x (74100 + 89.4 + 163.8) = 0.03612 x 74353.2 = 2685.637584 kg
  EXPECT_NEAR(value_of(inv, "ghg.scope1", 2024), 2.685637584, 1e-12);
  // fuel.diesel (L) needs the density that is missing: incomplete, factor_missing.
  const Figure* f = inv.find("fuel.diesel", 2024);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->status, FigureStatus::kIncomplete);
  EXPECT_EQ(count_code(inv, "factor_missing"), 1u);
}

TEST(Scope1, RefrigerantFireSuppressionAndNonFossilMethane) {
  Package p = package();
  p.sites = {site("S1", "CN")};
  p.activities = {activity("R1", "S1", "refrigerant.HFC-134a", "10", "kg"),
                  activity("R2", "S1", "fire_suppression.HFC-227ea", "5", "kg"),
                  activity("R3", "S1", "direct.CH4-nonfossil", "0.1", "t")};
  auto lib = library({gwp_rows()});
  Inventory inv = compute(p, lib, {});
  // HFC-134a: 0.010 t x 1530 = 15.3; HFC-227ea: 0.005 t x 3600 = 18; CH4-nonfossil: 0.1 t x 27
  // = 2.7
  EXPECT_NEAR(value_of(inv, "ghg.scope1.gas", 2024, "", "HFC-134a"), 15.3, 1e-12);
  EXPECT_NEAR(value_of(inv, "ghg.scope1.gas", 2024, "", "HFC-227ea"), 18.0, 1e-12);
  EXPECT_NEAR(value_of(inv, "ghg.scope1.gas", 2024, "", "CH4-nonfossil"), 2.7, 1e-12);
  EXPECT_EQ(inv.find("ghg.scope1.gas", 2024, "", "CH4"), nullptr);  // its own category
  EXPECT_NEAR(value_of(inv, "ghg.scope1", 2024), 15.3 + 18 + 2.7, 1e-12);
  // Nothing feeds energy: not available, never 0.
  const Figure* e = inv.find("energy.total", 2024);
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->value);
  EXPECT_EQ(e->status, FigureStatus::kNotAvailable);
}

TEST(Scope1, BlendSplitsIntoItsComponentGases) {
  Package p = package();
  p.sites = {site("S1", "CN")};
  p.activities = {activity("R1", "S1", "refrigerant.R-410A", "2", "kg")};
  auto lib = library({gwp_rows()});
  Inventory inv = compute(p, lib, {});
  // 0.002 t x (0.5 x 771 + 0.5 x 3740) = 0.002 x 2255.5 = 4.511
  EXPECT_NEAR(value_of(inv, "ghg.scope1", 2024), 4.511, 1e-12);
  // HFC-32: 0.002 x 0.5 x 771 = 0.771; HFC-125: 0.002 x 0.5 x 3740 = 3.74
  EXPECT_NEAR(value_of(inv, "ghg.scope1.gas", 2024, "", "HFC-32"), 0.771, 1e-12);
  EXPECT_NEAR(value_of(inv, "ghg.scope1.gas", 2024, "", "HFC-125"), 3.74, 1e-12);
  EXPECT_EQ(inv.find("ghg.scope1.gas", 2024, "", "R-410A"), nullptr);
}

// The AR5/AR6 switch uses the built-in sets: the package's factor_sets choose.
TEST(Scope1, Ar5VersusAr6) {
  Package p = package();
  p.sites = {site("S1", "CN")};
  p.activities = {activity("R1", "S1", "refrigerant.HFC-134a", "1", "t"),
                  activity("R2", "S1", "refrigerant.R-410A", "1", "t")};
  DiagnosticSink d;
  auto ar6 = FactorLibrary::build({}, {"ar6"}, &d);
  auto ar5 = FactorLibrary::build({}, {"ar5"}, &d);
  ASSERT_FALSE(d.has_errors());
  // AR6: 1530 + (0.5 x 771 + 0.5 x 3740 = 2255.5) = 3785.5
  EXPECT_NEAR(value_of(compute(p, ar6, {}), "ghg.scope1", 2024), 3785.5, 1e-9);
  // AR5: 1300 + (0.5 x 677 + 0.5 x 3170 = 1923.5) = 3223.5
  EXPECT_NEAR(value_of(compute(p, ar5, {}), "ghg.scope1", 2024), 3223.5, 1e-9);
}

TEST(Scope1, MissingGwpIsIncompleteWithAnError) {
  Package p = package();
  p.sites = {site("S1", "CN")};
  p.activities = {activity("R1", "S1", "refrigerant.HFC-134a", "1", "t"),
                  activity("R2", "S1", "refrigerant.R-22", "1", "t")};
  auto lib = library({gwp_rows()});
  Inventory inv = compute(p, lib, {});
  const Figure* f = inv.find("ghg.scope1", 2024);
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->value);
  EXPECT_EQ(f->status, FigureStatus::kIncomplete);
  ASSERT_EQ(count_code(inv, "factor_missing"), 1u);
  const auto& d = inv.diagnostics.items()[0];
  EXPECT_EQ(d.record, "R2");
  EXPECT_NE(d.message.find("R-22"), std::string::npos);
  EXPECT_NE(d.message.find("gwp100"), std::string::npos);
  EXPECT_TRUE(inv.diagnostics.has_errors());
  // Figures that do not need the factor are unaffected.
  EXPECT_EQ(inv.find("ghg.scope2.location", 2024)->status, FigureStatus::kNotAvailable);
}

TEST(Scope1, OutOfBoundarySiteContributesNothing) {
  Package p = package();
  p.sites = {site("S1", "CN"), site("X", "CN", SiteKind::kOffice, false)};
  p.activities = {activity("R1", "S1", "refrigerant.HFC-134a", "1", "t"),
                  activity("R2", "X", "refrigerant.HFC-134a", "1", "t"),
                  activity("R3", "X", "water.withdrawal", "100", "m3")};
  auto lib = library({gwp_rows()});
  Inventory inv = compute(p, lib, {});
  EXPECT_NEAR(value_of(inv, "ghg.scope1", 2024), 1530, 1e-9);
  EXPECT_EQ(inv.find("ghg.scope1", 2024, "X"), nullptr);
  EXPECT_EQ(inv.find("water.withdrawal", 2024)->status, FigureStatus::kNotAvailable);
}

}  // namespace
}  // namespace assay
