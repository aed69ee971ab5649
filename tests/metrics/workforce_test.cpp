// Workforce, safety and training figures from workforce.csv, by hand.
#include <gtest/gtest.h>

#include "fixtures.hpp"

namespace assay {
namespace {

using namespace assay::testing;

Package small_workforce() {
  Package p = package_for(2024, {2024});
  add_workforce(&p, 2024, "headcount", "total", "", "1000", 2);
  add_workforce(&p, 2024, "headcount", "gender", "male", "600", 3);
  add_workforce(&p, 2024, "headcount", "gender", "female", "400", 4);
  add_workforce(&p, 2024, "avg_headcount_regular", "total", "", "950", 5);
  add_workforce(&p, 2024, "leavers_regular", "total", "", "133", 6);
  add_workforce(&p, 2024, "avg_headcount_regular", "gender", "male", "570", 7);
  add_workforce(&p, 2024, "leavers_regular", "gender", "male", "57", 8);
  add_workforce(&p, 2024, "avg_headcount_regular", "gender", "female", "380", 9);
  add_workforce(&p, 2024, "leavers_regular", "gender", "female", "76", 10);
  add_workforce(&p, 2024, "hours_worked", "total", "", "2000000", 11);
  add_workforce(&p, 2024, "fatalities", "total", "", "1", 12);
  add_workforce(&p, 2024, "injuries", "total", "", "5", 13);
  add_workforce(&p, 2024, "lost_days", "total", "", "120", 14);
  add_workforce(&p, 2024, "trained", "total", "", "980", 15);
  add_workforce(&p, 2024, "trained", "gender", "male", "588", 16);
  add_workforce(&p, 2024, "trained", "gender", "female", "392", 17);
  add_workforce(&p, 2024, "training_hours", "total", "", "36500", 18);
  add_workforce(&p, 2024, "training_hours", "gender", "male", "21000", 19);
  add_workforce(&p, 2024, "training_hours", "gender", "female", "15500", 20);
  return p;
}

TEST(Workforce, TurnoverRatesTrainedAndAverageHours) {
  Package p = small_workforce();
  Inventory inv;
  evaluate_metrics(builtin_catalog(), p, &inv);
  EXPECT_EQ(value_of(inv, "workforce.headcount", 2024), 1000);
  EXPECT_EQ(value_of(inv, "workforce.headcount", 2024, "gender:female"), 400);
  // turnover = leavers / average regular headcount x 100: 133 / 950 x 100 = 14
  EXPECT_NEAR(value_of(inv, "workforce.turnover", 2024), 14.0, 1e-12);
  // male 57 / 570 x 100 = 10; female 76 / 380 x 100 = 20
  EXPECT_NEAR(value_of(inv, "workforce.turnover", 2024, "gender:male"), 10.0, 1e-12);
  EXPECT_NEAR(value_of(inv, "workforce.turnover", 2024, "gender:female"), 20.0, 1e-12);
  // rates per 1,000,000 hours worked: 1 / 2,000,000 x 1e6 = 0.5; 5 / 2e6 x 1e6 = 2.5
  EXPECT_NEAR(value_of(inv, "safety.fatality_rate", 2024), 0.5, 1e-12);
  EXPECT_NEAR(value_of(inv, "safety.injury_rate", 2024), 2.5, 1e-12);
  EXPECT_EQ(value_of(inv, "safety.lost_days", 2024), 120);
  EXPECT_EQ(find(inv, "safety.lost_days", 2024)->unit, "days");
  // trained % = trained / headcount x 100: 980 / 1000 = 98; 588 / 600 = 98; 392 / 400 = 98
  EXPECT_NEAR(value_of(inv, "training.trained_pct", 2024), 98.0, 1e-12);
  EXPECT_NEAR(value_of(inv, "training.trained_pct", 2024, "gender:male"), 98.0, 1e-12);
  // average hours = training hours / headcount: 36,500 / 1000 = 36.5; 21,000 / 600 = 35;
  // 15,500 / 400 = 38.75
  EXPECT_NEAR(value_of(inv, "training.avg_hours", 2024), 36.5, 1e-12);
  EXPECT_NEAR(value_of(inv, "training.avg_hours", 2024, "gender:male"), 35.0, 1e-12);
  EXPECT_NEAR(value_of(inv, "training.avg_hours", 2024, "gender:female"), 38.75, 1e-12);
  EXPECT_EQ(find(inv, "training.avg_hours", 2024)->unit, "h");
  // Intermediate measures are not output rows.
  EXPECT_EQ(find(inv, "_safety.hours_worked", 2024), nullptr);
  EXPECT_TRUE(with_code(inv, "dimension_sum").empty());
  // The lineage of a rate is its operand, scaled by 1e6 / hours.
  const Figure* rate = find(inv, "safety.injury_rate", 2024);
  ASSERT_TRUE(rate->lineage);
  ASSERT_EQ(rate->lineage->children.size(), 1u);
  EXPECT_EQ(rate->lineage->children[0]->value, 5);
  EXPECT_NEAR(rate->lineage->scale, 0.5, 1e-15);
}

TEST(Workforce, TotalsOnlyFromTotalRowsAndDimensionSumWarning) {
  Package p = package_for(2024, {2024});
  add_workforce(&p, 2024, "headcount", "total", "", "1000", 2);
  add_workforce(&p, 2024, "headcount", "gender", "male", "600", 3);
  add_workforce(&p, 2024, "headcount", "gender", "female", "390", 4);
  // leavers by gender without a total row: no total turnover (never summed from categories)
  add_workforce(&p, 2024, "leavers_regular", "gender", "male", "60", 5);
  Inventory inv;
  evaluate_metrics(builtin_catalog(), p, &inv);
  EXPECT_EQ(value_of(inv, "workforce.headcount", 2024), 1000);  // not 600 + 390
  auto w = with_code(inv, "dimension_sum");
  ASSERT_EQ(w.size(), 1u);
  // 600 + 390 = 990, total row 1000: gap -10
  EXPECT_EQ(w[0].message,
            "workforce headcount 2024: the categories of gender sum to 990, the total row says "
            "1000 (gap -10)");
  EXPECT_EQ(w[0].file, "workforce.csv");
  EXPECT_EQ(w[0].line, 2);
  EXPECT_EQ(w[0].metric, "workforce.headcount");
  EXPECT_EQ(w[0].severity, Severity::kWarning);
  // Turnover: no total row, and the male row has no average headcount -> not available.
  EXPECT_EQ(find(inv, "workforce.turnover", 2024)->status, FigureStatus::kNotAvailable);
  EXPECT_EQ(find(inv, "workforce.turnover", 2024, "gender:male")->status,
            FigureStatus::kNotAvailable);
  EXPECT_EQ(find(inv, "safety.injury_rate", 2024)->status, FigureStatus::kNotAvailable);
}

}  // namespace
}  // namespace assay
