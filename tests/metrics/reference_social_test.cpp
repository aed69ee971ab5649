// examples/reference-2024: every workforce, safety and training figure of the
// reference report for 2022-2024 at the published rounding, each counted
// fact, and the report's targets. Expected values are the report's published
// figures, typed from reference/reference-report-2024.md ("Workforce and
// safety", "Counted facts 2024"), not Assay's output.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>

namespace {

using Key = std::tuple<std::string, int, std::string>;  // id, year, category

struct Run {
  std::map<Key, nlohmann::json> rows;
  nlohmann::json warnings;
};

const Run& run() {
  static const Run r = [] {
    std::string cmd = std::string(ASSAY_BIN) + " calc " + ASSAY_SOURCE_DIR +
                      "/examples/reference-2024 --json --no-quarantine 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[1 << 16];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    EXPECT_EQ(pclose(p), 0) << "assay calc exited non-zero";
    Run res;
    auto doc = nlohmann::json::parse(out);
    for (const auto& row : doc["metrics"]) {
      if (row.contains("site")) continue;
      res.rows[{row["id"].get<std::string>(), row["year"].get<int>(),
                row.value("category", std::string())}] = row;
    }
    res.warnings = doc["warnings"];
    return res;
  }();
  return r;
}

double value(const std::string& id, int year, const std::string& category = {}) {
  auto it = run().rows.find({id, year, category});
  EXPECT_NE(it, run().rows.end()) << id << " " << year << " " << category << " missing";
  if (it == run().rows.end() || it->second["value"].is_null()) return NAN;
  return it->second["value"].get<double>();
}

// Half away from zero at `decimals`, as the report rounds.
double published_rounding(double v, int decimals) {
  double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

struct Row {
  const char* id;
  const char* category;
  double y2024, y2023, y2022;
  int decimals;
};

const Row kTable[] = {
    {"workforce.headcount", "", 58350, 56780, 61328, 0},
    {"workforce.headcount", "employment_type:regular", 55460, 54821, 60135, 0},
    {"workforce.headcount", "employment_type:other", 2890, 1959, 1193, 0},
    {"workforce.headcount", "age_band:<30", 18415, 17820, 22675, 0},
    {"workforce.headcount", "age_band:30-50", 39549, 38622, 38400, 0},
    {"workforce.headcount", "age_band:>50", 386, 338, 253, 0},
    {"workforce.headcount", "gender:male", 41472, 40469, 43693, 0},
    {"workforce.headcount", "gender:female", 16878, 16311, 17635, 0},
    {"workforce.headcount", "level:management", 5836, 5926, 6535, 0},
    {"workforce.headcount", "level:non_management", 52514, 50854, 54793, 0},
    {"workforce.headcount", "region:CN", 56247, 54861, 59644, 0},
    {"workforce.headcount", "region:other", 2103, 1919, 1684, 0},
    {"workforce.turnover", "", 14.3, 17.0, 21.7, 1},
    {"workforce.turnover", "age_band:<30", 16.1, 20.5, 23.6, 1},
    {"workforce.turnover", "age_band:30-50", 13.5, 15.3, 20.5, 1},
    {"workforce.turnover", "age_band:>50", 21.0, 19.7, 20.5, 1},
    {"workforce.turnover", "gender:male", 14.3, 16.8, 21.7, 1},
    {"workforce.turnover", "gender:female", 14.3, 17.4, 21.8, 1},
    {"workforce.turnover", "region:CN", 14.1, 16.9, 21.6, 1},
    {"workforce.turnover", "region:other", 19.1, 21.4, 28.2, 1},
    {"safety.fatalities", "", 0, 0, 1, 0},
    {"safety.fatality_rate", "", 0.00, 0.00, 0.01, 2},
    {"safety.injuries", "", 34, 14, 11, 0},
    {"safety.injury_rate", "", 0.31, 0.13, 0.09, 2},
    {"safety.lost_days", "", 1381, 576, 322, 0},
    {"training.trained_pct", "gender:male", 98.7, 98.6, 99.4, 1},
    {"training.trained_pct", "gender:female", 99.0, 98.7, 99.6, 1},
    {"training.trained_pct", "level:management", 98.6, 99.4, 99.7, 1},
    {"training.trained_pct", "level:non_management", 98.8, 98.6, 99.4, 1},
    {"training.avg_hours", "gender:male", 37.3, 25.2, 35.4, 1},
    {"training.avg_hours", "gender:female", 39.9, 27.3, 38.5, 1},
    {"training.avg_hours", "level:management", 44.8, 33.8, 50.5, 1},
    {"training.avg_hours", "level:non_management", 37.3, 24.9, 34.6, 1},
};

TEST(ReferenceSocial, EveryPublishedWorkforceSafetyAndTrainingFigure) {
  for (const Row& r : kTable) {
    const double published[] = {r.y2024, r.y2023, r.y2022};
    for (int i = 0; i < 3; ++i) {
      const double got = value(r.id, 2024 - i, r.category);
      EXPECT_NEAR(published_rounding(got, r.decimals), published[i], 1e-9)
          << r.id << " " << r.category << " " << 2024 - i << ": engine " << got;
    }
  }
}

TEST(ReferenceSocial, CountedFacts2024) {
  EXPECT_EQ(value("suppliers.count", 2024, "region:CN"), 27248);
  EXPECT_EQ(value("suppliers.count", 2024, "region:other"), 5196);
  EXPECT_EQ(value("complaints.consumer", 2024), 153962802);
  EXPECT_EQ(value("complaints.enterprise", 2024), 15141);
  EXPECT_EQ(value("ethics.corruption_cases", 2024), 5);
  EXPECT_EQ(run().rows.at({"ethics.corruption_cases", 2024, ""})["unit"], "count");
}

TEST(ReferenceSocial, NoDimensionSumWarningsAndTheTargetsAreThere) {
  for (const auto& w : run().warnings) EXPECT_NE(w["code"], "dimension_sum") << w.dump();
  // Scope 1+2 -70% by 2030 against 2021 (README: 2021 scope 1 150,418.3 + scope 2
  // market 2,651,386.7 = 2,801,805.0; 2024: 121,466.0 + 2,863,848.7 = 2,985,314.7):
  // progress = (2,801,805.0 - 2,985,314.7) / (2,801,805.0 x 0.7) x 100 = -9.36%;
  // required = (2,985,314.7 - 840,541.5) / 2,801,805.0 / 6 x 100 = 12.76% per year.
  EXPECT_NEAR(value("target.progress", 2024, "T-S12-2030"), -9.357, 0.001);
  EXPECT_NEAR(value("target.required_annual", 2024, "T-S12-2030"), 12.758, 0.001);
  // Scope 3 -30%: base 3,072,195.0, current 3,071,295.4:
  // progress = 899.6 / 921,658.5 x 100 = 0.098%; required = (3,071,295.4 - 2,150,536.5)
  // / 3,072,195.0 / 6 x 100 = 4.995% per year.
  EXPECT_NEAR(value("target.progress", 2024, "T-S3-2030"), 0.0976, 0.0001);
  EXPECT_NEAR(value("target.required_annual", 2024, "T-S3-2030"), 4.995, 0.001);
  // PUE <= 1.35: 1.35 - 1.269 = 0.081; 100% renewable: 22.03 - 100 = -77.97
  EXPECT_NEAR(value("target.progress", 2024, "T-PUE"), 0.081, 1e-6);
  EXPECT_NEAR(value("target.progress", 2024, "T-RE100-2030"), -77.967, 0.001);
  int sbti = 0;
  for (const auto& w : run().warnings) sbti += w["code"] == "sbti_ambition";
  EXPECT_EQ(sbti, 2);
}

}  // namespace
