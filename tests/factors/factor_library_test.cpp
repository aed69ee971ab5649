// FactorLibrary: the contract's resolution order and fallback rule
// (spec/data-package.md, factors.csv), GWP and blends, unit bridging.
// Expectations are computed by hand from the fixture rows written here.
#include <gtest/gtest.h>

#include "factors/conversion.hpp"
#include "factors/factor_csv.hpp"
#include "factors/factor_library.hpp"
#include "units/unit.hpp"

namespace assay {
namespace {

FactorRow row(std::string set, std::string key, std::string region, std::string year,
              std::string quantity, std::string value, std::string unit) {
  FactorRow r;
  r.factor_set = std::move(set);
  r.key = std::move(key);
  r.region = std::move(region);
  r.year = std::move(year);
  r.quantity = std::move(quantity);
  r.value = *Decimal::parse(value);
  r.unit = std::move(unit);
  r.source = "fixture";
  return r;
}

TEST(KeyChain, DropsDotSegments) {
  EXPECT_EQ(key_chain("fuel.diesel.stationary"),
            (std::vector<std::string>{"fuel.diesel.stationary", "fuel.diesel", "fuel"}));
  EXPECT_EQ(region_chain("CN-East"), (std::vector<std::string>{"CN-East", "CN", "*"}));
  EXPECT_EQ(region_chain("HK"), (std::vector<std::string>{"HK", "*"}));
}

TEST(Resolve, UserSetBeatsBuiltinEvenWithAStarRow) {
  auto lib = FactorLibrary::from_rows(
      {row("mine", "electricity.grid", "*", "*", "CO2e", "0.9", "t/MWh")},
      {row("grid", "electricity.grid", "CN", "2024", "CO2e", "0.5", "t/MWh")}, {"grid"});
  auto r = lib.resolve("electricity.grid", "CO2e", "CN", 2024);
  ASSERT_TRUE(r.found());
  EXPECT_EQ(r.set, "mine");
  EXPECT_TRUE(r.user_set);
  EXPECT_EQ(r.row->value.to_string(), "0.9");
  // A set with only `*` rows is not a fallback.
  EXPECT_FALSE(r.fallback());
}

TEST(Resolve, BuiltinSetsInPackageOrder) {
  auto lib = FactorLibrary::from_rows({},
                                      {row("b", "fuel.diesel", "*", "*", "ncv", "43", "GJ/t"),
                                       row("a", "fuel.diesel", "*", "*", "ncv", "42.652", "GJ/t")},
                                      {"a", "b"});
  EXPECT_EQ(lib.resolve("fuel.diesel.stationary", "ncv", "CN", 2024).set, "a");
  auto lib2 = FactorLibrary::from_rows({},
                                       {row("b", "fuel.diesel", "*", "*", "ncv", "43", "GJ/t"),
                                        row("a", "fuel.diesel", "*", "*", "ncv", "42.652", "GJ/t")},
                                       {"b", "a"});
  EXPECT_EQ(lib2.resolve("fuel.diesel.stationary", "ncv", "CN", 2024).set, "b");
}

TEST(Resolve, ParentKeyIsNotAFallbackWhenTheSetHasNoSpecificRows) {
  auto lib =
      FactorLibrary::from_rows({}, {row("s", "fuel.diesel", "*", "*", "ncv", "43", "GJ/t")}, {"s"});
  auto r = lib.resolve("fuel.diesel.stationary", "ncv", "CN-East", 2024);
  ASSERT_TRUE(r.found());
  EXPECT_EQ(r.row->key, "fuel.diesel");
  EXPECT_FALSE(r.fallback());
}

TEST(Resolve, KeyFallbackWhenSpecificKeyHasRowsElsewhere) {
  auto lib =
      FactorLibrary::from_rows({},
                               {row("s", "fuel.diesel.stationary", "SG", "*", "CO2", "1", "kg/TJ"),
                                row("s", "fuel.diesel", "*", "*", "CO2", "2", "kg/TJ")},
                               {"s"});
  auto r = lib.resolve("fuel.diesel.stationary", "CO2", "CN", 2024);
  ASSERT_TRUE(r.found());
  EXPECT_EQ(r.row->key, "fuel.diesel");
  EXPECT_TRUE(r.key_fallback);
}

TEST(Resolve, RegionToCountryIsAFallbackOnlyWhenSubNationalRowsExist) {
  // Set holds CN-North and CN: CN-East falls back to CN (recorded).
  auto lib = FactorLibrary::from_rows(
      {},
      {row("s", "electricity.grid", "CN-North", "2024", "CO2e", "0.6", "t/MWh"),
       row("s", "electricity.grid", "CN", "2024", "CO2e", "0.5", "t/MWh")},
      {"s"});
  auto r = lib.resolve("electricity.grid", "CO2e", "CN-East", 2024);
  ASSERT_TRUE(r.found());
  EXPECT_EQ(r.row->region, "CN");
  EXPECT_TRUE(r.region_fallback);
  EXPECT_FALSE(r.year_fallback);
  // Set with country rows only: the country answers, no fallback.
  auto lib2 = FactorLibrary::from_rows(
      {}, {row("s", "electricity.grid", "CN", "*", "CO2e", "0.5703", "t/MWh")}, {"s"});
  auto r2 = lib2.resolve("electricity.grid", "CO2e", "CN-East", 2024);
  ASSERT_TRUE(r2.found());
  EXPECT_FALSE(r2.fallback());
}

TEST(Resolve, YearExactThenLatestEarlierThenStar) {
  auto lib = FactorLibrary::from_rows(
      {},
      {row("s", "electricity.grid", "CN", "2021", "CO2e", "0.5568", "t/MWh"),
       row("s", "electricity.grid", "CN", "2023", "CO2e", "0.5306", "t/MWh"),
       row("s", "electricity.grid", "CN", "2022", "CO2e", "0.5366", "t/MWh"),
       row("s", "electricity.grid", "CN", "*", "CO2e", "0.6", "t/MWh")},
      {"s"});
  auto exact = lib.resolve("electricity.grid", "CO2e", "CN", 2022);
  EXPECT_EQ(exact.row->year, "2022");
  EXPECT_FALSE(exact.fallback());
  auto later = lib.resolve("electricity.grid", "CO2e", "CN", 2025);
  EXPECT_EQ(later.row->year, "2023");  // latest earlier, not the first earlier in file order
  EXPECT_TRUE(later.year_fallback);
  auto before = lib.resolve("electricity.grid", "CO2e", "CN", 2019);
  EXPECT_EQ(before.row->year, "*");
  EXPECT_TRUE(before.year_fallback);  // the set has dated rows, none for 2019 or earlier
}

TEST(Resolve, NothingFound) {
  auto lib = FactorLibrary::from_rows(
      {}, {row("s", "electricity.grid", "CN", "2022", "CO2e", "0.5", "t/MWh")}, {"s"});
  EXPECT_FALSE(lib.resolve("electricity.grid", "CO2e", "CN", 2021).found());
  EXPECT_FALSE(lib.resolve("electricity.grid", "CO2e", "HK", 2022).found());
}

TEST(Gwp, BlendIsMassWeightedSumOfComponents) {
  auto lib =
      FactorLibrary::from_rows({},
                               {row("g", "HFC-32", "*", "*", "gwp100", "771", "1"),
                                row("g", "HFC-125", "*", "*", "gwp100", "3740", "1"),
                                row("g", "blend.R-410A", "*", "*", "HFC-32", "0.5", "kg/kg"),
                                row("g", "blend.R-410A", "*", "*", "HFC-125", "0.5", "kg/kg")},
                               {"g"});
  auto g = lib.gwp("R-410A", 2024);
  ASSERT_TRUE(g);
  EXPECT_TRUE(g->is_blend);
  // 0.5 x 771 + 0.5 x 3740 = 385.5 + 1870 = 2255.5
  EXPECT_DOUBLE_EQ(g->gwp, 2255.5);
  ASSERT_EQ(g->components.size(), 2u);
  EXPECT_EQ(g->components[0].gas, "HFC-32");
  EXPECT_DOUBLE_EQ(g->components[0].fraction, 0.5);
  EXPECT_EQ(lib.known_gases(), (std::vector<std::string>{"HFC-125", "HFC-32", "R-410A"}));
  EXPECT_TRUE(lib.is_known_gas("R-410A"));
  EXPECT_FALSE(lib.is_known_gas("R-22"));
  std::string missing;
  EXPECT_FALSE(lib.gwp("R-22", 2024, &missing));
  EXPECT_NE(missing.find("R-22"), std::string::npos);
}

TEST(Conversion, LitresOfDieselToTerajoulesThroughDensityAndNcv) {
  auto lib = FactorLibrary::from_rows({},
                                      {row("d", "fuel.diesel", "*", "*", "density", "0.84", "kg/L"),
                                       row("d", "fuel.diesel", "*", "*", "ncv", "43.0", "GJ/t")},
                                      {"d"});
  CachedResolver res(&lib);
  auto c =
      convert_unit(&res, *find_unit("L"), *find_unit("TJ"), "fuel.diesel.stationary", "CN", 2024);
  ASSERT_TRUE(c.ok) << c.error;
  // 1 L x 0.84 kg/L = 0.84 kg = 0.00084 t; x 43.0 GJ/t = 0.03612 GJ = 3.612e-5 TJ
  EXPECT_NEAR(c.multiplier, 3.612e-5, 1e-18);
  EXPECT_EQ(c.steps.size(), 4u);  // L->kg (density), kg->t, t->GJ (ncv), GJ->TJ
  // Energy back to volume: 1 GJ / 43.0 GJ/t = 1/43 t = 1000/43 kg; / 0.84 kg/L
  auto back = convert_unit(&res, *find_unit("GJ"), *find_unit("L"), "fuel.diesel", "CN", 2024);
  ASSERT_TRUE(back.ok) << back.error;
  EXPECT_NEAR(back.multiplier, 1000.0 / 43.0 / 0.84, 1e-9);
}

TEST(Conversion, MissingDensityIsFactorMissing) {
  auto lib = FactorLibrary::from_rows(
      {}, {row("d", "fuel.diesel", "*", "*", "ncv", "43.0", "GJ/t")}, {"d"});
  CachedResolver res(&lib);
  auto c = convert_unit(&res, *find_unit("L"), *find_unit("TJ"), "fuel.diesel", "CN", 2024);
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.error_code, "factor_missing");
  ASSERT_TRUE(c.missing);
  EXPECT_EQ(c.missing->quantity, "density");
}

TEST(FactorCsv, ParsesQuotedFieldsAndReportsBadRows) {
  std::string text =
      "factor_set,key,region,year,quantity,value,unit,source,confidence\r\n"
      "s,CO2,*,*,gwp100,1,1,\"IPCC, \"\"AR6\"\"\",confirmed\r\n"
      "s,CH4,*,*,gwp100,abc,1,x,\r\n";
  DiagnosticSink diags;
  auto rows = parse_factor_csv(text, "f.csv", &diags);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].source, "IPCC, \"AR6\"");
  EXPECT_EQ(rows[0].origin.line, 2);
  ASSERT_EQ(diags.items().size(), 1u);
  EXPECT_EQ(diags.items()[0].line, 3);
}

// The built-in sets compiled into the binary parse cleanly, and the GWPs the
// contract pins come out of them (spec/data-package.md, "GWP-100 values are pinned").
TEST(BuiltinSets, ParseAndGivePinnedGwps) {
  DiagnosticSink diags;
  auto all = FactorLibrary::builtin_set_names();
  auto lib = FactorLibrary::build({}, all, &diags);
  for (const auto& d : diags.items()) ADD_FAILURE() << d.to_string();
  DiagnosticSink d6;
  auto ar6 = FactorLibrary::build({}, {"ar6"}, &d6);
  EXPECT_FALSE(d6.has_errors());
  EXPECT_DOUBLE_EQ(ar6.gwp("HFC-134a", 2024)->gwp, 1530);
  EXPECT_DOUBLE_EQ(ar6.gwp("CH4-nonfossil", 2024)->gwp, 27.0);
  // R-410A: 0.5 x 771 + 0.5 x 3740 = 2255.5 (AR6 HFC-32, HFC-125)
  EXPECT_NEAR(ar6.gwp("R-410A", 2024)->gwp, 2255.5, 1e-9);
  DiagnosticSink d5;
  auto ar5 = FactorLibrary::build({}, {"ar5"}, &d5);
  EXPECT_DOUBLE_EQ(ar5.gwp("HFC-134a", 2024)->gwp, 1300);
  // 0.5 x 677 + 0.5 x 3170 = 1923.5 (AR5)
  EXPECT_NEAR(ar5.gwp("R-410A", 2024)->gwp, 1923.5, 1e-9);
  DiagnosticSink bad;
  FactorLibrary::build({}, {"no-such-set"}, &bad);
  ASSERT_TRUE(bad.has_errors());
  EXPECT_EQ(bad.items()[0].code, "factor_set_unknown");
}

}  // namespace
}  // namespace assay
