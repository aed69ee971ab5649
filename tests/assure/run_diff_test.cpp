// Run diff (src/assure/run_diff.hpp): the threshold is exclusive. Values are
// chosen so that the relative change is exactly representable: 200 -> 210 is
// +5% exactly, 1000 -> 950 is -5% exactly.
#include <gtest/gtest.h>

#include "assure/run_diff.hpp"

namespace assay {
namespace {

std::string doc(const std::string& run, const std::string& metrics) {
  return R"({"package":"P","reporting_year":2024,"run_hash":")" + run + R"(","metrics":[)" +
         metrics + R"(],"warnings":[]})";
}

const FigureChange* find(const RunDiff& d, const std::string& id, const std::string& site = "") {
  for (const auto& c : d.changes) {
    if (c.id == id && c.site == site) return &c;
  }
  return nullptr;
}

TEST(RunDiff, ExactlyAtTheThresholdIsNotFlaggedJustAboveIs) {
  EXPECT_FALSE(exceeds_threshold(200, 210, 5));
  EXPECT_FALSE(exceeds_threshold(1000, 950, 5));
  EXPECT_TRUE(exceeds_threshold(200, 210.0001, 5));
  EXPECT_TRUE(exceeds_threshold(1000, 949.99, 5));
  EXPECT_FALSE(exceeds_threshold(200, 209.99, 5));
  EXPECT_TRUE(exceeds_threshold(0, 0.001, 5));
  EXPECT_FALSE(exceeds_threshold(7, 7, 0));
  EXPECT_TRUE(exceeds_threshold(7, 7.000001, 0));
}

TEST(RunDiff, ListsChangesWithAbsoluteAndRelative) {
  std::string a = doc("sha256:a",
                      R"({"id":"ghg.scope1","year":2024,"value":200,"unit":"tCO2e"},
      {"id":"ghg.scope1","year":2024,"site":"S1","value":1000,"unit":"tCO2e"},
      {"id":"ghg.scope1","year":2024,"site":"S2","value":50,"unit":"tCO2e"},
      {"id":"ghg.scope2.market","year":2024,"value":300,"unit":"tCO2e"},
      {"id":"pue.average","year":2024,"value":null,"status":"not_available","unit":"1"},
      {"id":"water.total","year":2024,"value":9,"unit":"m3"})");
  std::string b = doc("sha256:b",
                      R"({"id":"ghg.scope1","year":2024,"value":210,"unit":"tCO2e"},
      {"id":"ghg.scope1","year":2024,"site":"S1","value":949,"unit":"tCO2e"},
      {"id":"ghg.scope1","year":2024,"site":"S2","value":50,"unit":"tCO2e"},
      {"id":"ghg.scope2.market","year":2024,"value":null,"status":"incomplete","unit":"tCO2e"},
      {"id":"pue.average","year":2024,"value":null,"status":"not_available","unit":"1"},
      {"id":"waste.total","year":2024,"value":1,"unit":"t"})");
  RunDiff d;
  ASSERT_TRUE(diff_calc_documents(a, b, 5.0, &d));
  EXPECT_EQ(d.run_a, "sha256:a");
  EXPECT_EQ(d.unchanged, 2u);  // S2 and pue.average
  ASSERT_EQ(d.changes.size(), 5u);
  const FigureChange* total = find(d, "ghg.scope1");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(*total->absolute, 10.0);
  EXPECT_EQ(*total->relative, 5.0);
  EXPECT_FALSE(total->material);  // exactly 5%: not beyond the threshold
  const FigureChange* s1 = find(d, "ghg.scope1", "S1");
  EXPECT_EQ(*s1->absolute, -51.0);
  EXPECT_DOUBLE_EQ(*s1->relative, -5.1);
  EXPECT_TRUE(s1->material);
  const FigureChange* market = find(d, "ghg.scope2.market");
  EXPECT_EQ(market->kind, "status");
  EXPECT_TRUE(market->material);
  EXPECT_EQ(find(d, "water.total")->kind, "removed");
  EXPECT_EQ(find(d, "waste.total")->kind, "added");
  EXPECT_EQ(d.material, 4u);

  // At 10% only the status change, the removed and the added figure remain.
  ASSERT_TRUE(diff_calc_documents(a, b, 10, &d));
  EXPECT_FALSE(find(d, "ghg.scope1", "S1")->material);
  EXPECT_EQ(d.material, 3u);
}

TEST(RunDiff, RefusesWhatIsNotACalcDocument) {
  RunDiff d;
  EXPECT_FALSE(diff_calc_documents("{}", doc("x", ""), 5, &d));
  EXPECT_FALSE(diff_calc_documents("not json", doc("x", ""), 5, &d));
}

}  // namespace
}  // namespace assay
