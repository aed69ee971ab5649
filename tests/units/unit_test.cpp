// Units: conversions within a dimension, never across.
#include <gtest/gtest.h>

#include "units/unit.hpp"

namespace assay {
namespace {

double factor(const char* from, const char* to) {
  auto f = conversion_factor(*find_unit(from), *find_unit(to));
  EXPECT_TRUE(f.has_value()) << from << " -> " << to;
  return f.value_or(0);
}

TEST(Unit, ConvertsWithinADimension) {
  EXPECT_DOUBLE_EQ(factor("MWh", "kWh"), 1000);
  EXPECT_DOUBLE_EQ(factor("MWh", "GJ"), 3.6);  // 1 MWh = 3.6 GJ by definition
  EXPECT_DOUBLE_EQ(factor("TJ", "GJ"), 1000);
  EXPECT_DOUBLE_EQ(factor("kWh", "MJ"), 3.6);
  EXPECT_DOUBLE_EQ(factor("m3", "L"), 1000);
  EXPECT_DOUBLE_EQ(factor("t", "kg"), 1000);
  EXPECT_DOUBLE_EQ(factor("kgCO2e", "tCO2e"), 0.001);
  EXPECT_DOUBLE_EQ(factor("MW", "kW"), 1000);
  EXPECT_DOUBLE_EQ(factor("CNY", "CNY"), 1);
}

TEST(Unit, RefusesToConvertAcrossDimensions) {
  EXPECT_FALSE(
      conversion_factor(*find_unit("L"), *find_unit("kWh")));  // a litre of diesel is not a kWh
  EXPECT_FALSE(conversion_factor(*find_unit("kg"), *find_unit("kgCO2e")));
  EXPECT_FALSE(conversion_factor(*find_unit("m3"),
                                 *find_unit("t")));  // water's 1 m3 = 1 t is the activity's rule
  EXPECT_FALSE(conversion_factor(*find_unit("CNY"), *find_unit("USD")));  // no exchange rates
  EXPECT_FALSE(conversion_factor(*find_unit("night"), *find_unit("item")));
  EXPECT_FALSE(conversion_factor(*find_unit("pkm"), *find_unit("tkm")));
}

TEST(Unit, KnowsTheContractUnitsAndCurrencies) {
  for (const char* u : {"kWh",   "MWh", "GJ",  "TJ",  "MJ", "L",     "m3", "kg",  "t",   "kgCO2e",
                        "tCO2e", "MW",  "pkm", "tkm", "km", "night", "1",  "CNY", "HKD", "USD"}) {
    EXPECT_TRUE(find_unit(u)) << u;
  }
  EXPECT_FALSE(find_unit("litre"));
  EXPECT_FALSE(find_unit("kwh"));  // symbols are case-sensitive
  EXPECT_FALSE(find_unit("Cny"));
  EXPECT_EQ(find_unit("CNY")->dimension, Dimension::kCurrency);
}

TEST(Unit, ParsesFactorUnits) {
  auto r = parse_ratio_unit("kg/TJ");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->numerator.symbol, "kg");
  EXPECT_EQ(r->denominator.dimension, Dimension::kEnergy);
  EXPECT_TRUE(parse_ratio_unit("t/MWh"));
  EXPECT_TRUE(parse_ratio_unit("kg/CNY"));
  EXPECT_TRUE(parse_ratio_unit("1"));
  EXPECT_FALSE(parse_ratio_unit("kg/TJ/s"));
  EXPECT_FALSE(parse_ratio_unit("kg/litre"));
  EXPECT_FALSE(parse_ratio_unit("kg"));  // a factor needs a denominator
}

}  // namespace
}  // namespace assay
