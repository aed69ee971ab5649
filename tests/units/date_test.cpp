// Dates, months and timestamps as the contract writes them.
#include <gtest/gtest.h>

#include "model/date.hpp"

namespace assay {
namespace {

TEST(Date, ParsesAndFormatsCivilDates) {
  EXPECT_EQ(parse_date("1970-01-01")->days, 0);
  EXPECT_EQ(parse_date("2024-02-29")->days,
            19782);  // 54 years incl. 13 leap days: 54*365+13 = 19723 at 2024-01-01, +59
  EXPECT_EQ(format_date(*parse_date("2024-12-31")), "2024-12-31");
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_FALSE(parse_date("2024-13-01"));
  EXPECT_FALSE(parse_date("2024/01/01"));
  EXPECT_FALSE(parse_date("2024-1-01"));
  EXPECT_EQ(last_day_of_year(2024).days - first_day_of_year(2024).days + 1, 366);
}

TEST(Date, ParsesMonths) {
  EXPECT_EQ(parse_month("2024-01"), 2024 * 12);
  EXPECT_EQ(format_month(2024 * 12 + 11), "2024-12");
  EXPECT_FALSE(parse_month("2024-00"));
  EXPECT_FALSE(parse_month("2024-1"));
}

TEST(Date, ParsesTimestampsToUtc) {
  // 2024-01-01T00:00:00Z = 19723 days * 86400 s.
  EXPECT_EQ(parse_timestamp("2024-01-01T00:00:00Z"), 19723LL * 86400);
  EXPECT_EQ(parse_timestamp("2024-01-01T08:00:00+08:00"), 19723LL * 86400);
  EXPECT_EQ(parse_timestamp("2023-12-31T19:00-05:00"), 19723LL * 86400);
  EXPECT_EQ(parse_timestamp("2024-01-01T00:15:30.250Z"), 19723LL * 86400 + 930);
  EXPECT_FALSE(parse_timestamp("2024-01-01T00:00:00"));  // no zone: ambiguous, refused
  EXPECT_FALSE(parse_timestamp("2024-01-01T24:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2024-01-01T00:00:00+8"));
}

}  // namespace
}  // namespace assay
