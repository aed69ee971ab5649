// Exact decimal parsing (spec/data-package.md, "Numbers").
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "units/decimal.hpp"

namespace assay {
namespace {

TEST(Decimal, ParsesTheContractForms) {
  EXPECT_EQ(Decimal::parse("1234.5")->to_string(), "1234.5");
  EXPECT_EQ(Decimal::parse("-0.25")->to_string(), "-0.25");
  EXPECT_EQ(Decimal::parse("1e3")->to_string(), "1000");
  EXPECT_EQ(Decimal::parse("2.5E-3")->to_string(), "0.0025");
  EXPECT_EQ(Decimal::parse("007.100")->to_string(), "7.1");
  EXPECT_EQ(Decimal::parse("0")->to_string(), "0");
  EXPECT_EQ(Decimal::parse("-0")->to_string(), "0");
}

// Digits are gathered in 64 bits up to 19 significant digits, then in 128:
// numbers of every length around that switch (and zeros to strip at both
// ends) read back as written, in canonical form.
TEST(Decimal, ParsesEveryLengthExactly) {
  std::mt19937 rng(11);
  for (int round = 0; round < 20000; ++round) {
    const size_t digits = 1 + rng() % 38;
    std::string s(digits, '0');
    for (char& c : s) c = static_cast<char>('0' + rng() % 10);
    if (rng() % 3 == 0) s.front() = '0';        // a leading zero
    if (rng() % 3 == 0) s.back() = '0';         // a trailing zero
    const size_t point = rng() % (digits + 1);  // digits before the point
    std::string text = s.substr(0, point);
    if (text.empty()) text = "0";
    if (point < digits) text += "." + s.substr(point);
    const bool negative = rng() % 2 == 0;
    if (negative) text.insert(0, "-");
    // Canonical: no leading zeros before the point, no trailing zeros after.
    std::string whole = s.substr(0, point), fraction = s.substr(point);
    whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size()));
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    std::string want = (whole.empty() ? "0" : whole) + (fraction.empty() ? "" : "." + fraction);
    if (want != "0" && negative) want.insert(0, "-");
    const auto d = Decimal::parse(text);
    ASSERT_TRUE(d) << text;
    ASSERT_EQ(d->to_string(), want) << text;
  }
  EXPECT_EQ(Decimal::parse("18446744073709551615")->to_string(), "18446744073709551615");
  EXPECT_EQ(Decimal::parse("18446744073709551616")->to_string(), "18446744073709551616");
  EXPECT_EQ(Decimal::parse("-9223372036854775808")->to_string(), "-9223372036854775808");
  EXPECT_EQ(Decimal::parse("100000000000000000000")->to_string(), "100000000000000000000");
  EXPECT_EQ(Decimal::parse("0.00000000000000000001")->to_string(), "0.00000000000000000001");
}

TEST(Decimal, ThousandsSeparatorsOnlyWhenAllowed) {
  EXPECT_FALSE(Decimal::parse("6,056,610.1"));
  ASSERT_TRUE(Decimal::parse("6,056,610.1", true));
  EXPECT_EQ(Decimal::parse("6,056,610.1", true)->to_string(), "6056610.1");
  EXPECT_EQ(Decimal::parse("999", true)->to_string(), "999");
  EXPECT_FALSE(Decimal::parse("60,56,610", true));  // groups of three only
  EXPECT_FALSE(Decimal::parse("6056,610", true));   // first group at most three digits
  EXPECT_FALSE(Decimal::parse(",123", true));
  EXPECT_FALSE(Decimal::parse("1,23", true));
  EXPECT_FALSE(Decimal::parse("1,234.5,6", true));
}

TEST(Decimal, RejectsWhatTheContractDoesNotAllow) {
  for (const char* bad : {"", "-", "+1", ".5", "5.", "1.2.3", "1e", "1e+", "0x10", "1 000", " 1",
                          "1 ", "NaN", "inf", "1,5", "--1", "1e5e5"}) {
    EXPECT_FALSE(Decimal::parse(bad)) << bad;
  }
}

TEST(Decimal, ComparesExactly) {
  // 0.1 + 0.2 style pitfalls do not exist: values compare as written.
  EXPECT_EQ(Decimal::parse("0.30")->compare(*Decimal::parse("0.3")), 0);
  EXPECT_LT(Decimal::parse("0.29999999999999999999")->compare(*Decimal::parse("0.3")), 0);
  EXPECT_GT(Decimal::parse("1e2")->compare(*Decimal::parse("99.999")), 0);
  EXPECT_LT(Decimal::parse("-5")->compare(*Decimal::parse("-4.9")), 0);
  EXPECT_GT(Decimal::parse("0")->compare(*Decimal::parse("-0.0001")), 0);
}

TEST(Decimal, ConvertsToTheNearestDouble) {
  EXPECT_EQ(Decimal::parse("6056610.1")->to_double(), 6056610.1);
  EXPECT_EQ(Decimal::parse("0.1")->to_double(), 0.1);
  EXPECT_EQ(Decimal::parse("1e-7")->to_double(), 1e-7);
  EXPECT_EQ(Decimal::parse("123456789012345678901234567890")->to_double(), 1.2345678901234568e29);
  EXPECT_EQ(Decimal::parse("-2.5e-300")->to_double(), -2.5e-300);
}

TEST(Decimal, BoundsDigitsAndExponent) {
  EXPECT_TRUE(Decimal::parse("12345678901234567890123456789012345678"));    // 38 digits
  EXPECT_FALSE(Decimal::parse("123456789012345678901234567890123456789"));  // 39
  EXPECT_FALSE(Decimal::parse("1e401"));
  EXPECT_TRUE(Decimal::parse("1e400"));
  EXPECT_EQ(Decimal::parse("0e99999")->to_string(), "0");
}

}  // namespace
}  // namespace assay
