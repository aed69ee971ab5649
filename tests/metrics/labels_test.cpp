// Labels of the catalog: every metric of spec/metrics.md has en, zh-Hant and
// zh-Hans; the zh-Hant labels of the rows the reference report has are its
// wording (typed from seed/000_a1318c65b9b35e81.txt, appendix "ESG關鍵績效表");
// zh-Hans is OpenCC's t2s conversion of zh-Hant (Debian package opencc).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "metrics/catalog.hpp"

#include "../common/opencc_t2s.hpp"

namespace assay {
namespace {

// Every id of spec/metrics.md (contract v1).
const char* kSpecIds[] = {"ghg.scope1",
                          "ghg.scope1.gas",
                          "ghg.scope2.location",
                          "ghg.scope2.market",
                          "ghg.scope3",
                          "ghg.scope3.category",
                          "ghg.scope12.market",
                          "ghg.scope12.location",
                          "ghg.total.market",
                          "ghg.total.location",
                          "ghg.intensity.market",
                          "ghg.share",
                          "energy.total",
                          "energy.intensity",
                          "energy.direct",
                          "fuel.gasoline",
                          "fuel.diesel",
                          "fuel.natural_gas",
                          "energy.indirect",
                          "energy.electricity",
                          "energy.other_indirect",
                          "renewable.purchased",
                          "renewable.onsite",
                          "renewable.share",
                          "renewable.capacity",
                          "pue.average",
                          "pue.site",
                          "scope2.coverage",
                          "instruments.unused",
                          "water.withdrawal",
                          "water.intensity",
                          "waste.ewaste_reused",
                          "waste.ewaste_recycled",
                          "waste.nonhazardous",
                          "waste.nonhazardous.intensity",
                          "waste.hazardous",
                          "waste.hazardous.intensity",
                          "workforce.headcount",
                          "workforce.turnover",
                          "safety.fatalities",
                          "safety.fatality_rate",
                          "safety.injuries",
                          "safety.injury_rate",
                          "safety.lost_days",
                          "training.trained_pct",
                          "training.avg_hours",
                          "target.progress",
                          "target.required_annual",
                          "suppliers.count",
                          "complaints.consumer",
                          "complaints.enterprise",
                          "ethics.corruption_cases",
                          "ethics.training_participants",
                          "community.investment",
                          "community.volunteer_hours"};

TEST(Labels, EveryMetricOfTheSpecHasThreeNonEmptyLabels) {
  const MetricCatalog& c = builtin_catalog();
  for (const char* id : kSpecIds) {
    const MetricDef* m = c.find(id);
    ASSERT_NE(m, nullptr) << id << " is not in the catalog";
    EXPECT_FALSE(m->label.en.empty()) << id;
    EXPECT_FALSE(m->label.zh_hant.empty()) << id;
    EXPECT_FALSE(m->label.zh_hans.empty()) << id;
  }
  for (const auto& [id, m] : c.metrics) {
    EXPECT_NE(m.label.zh_hant, m.label.en) << id;
    EXPECT_NE(m.label.zh_hans, m.label.en) << id;
  }
}

// The reference report's row wording (its KPI table, without the unit in brackets
// and the note numbers; scope 2 location-based from note 3, suppliers from the
// supply-chain chart).
TEST(Labels, ZhHantIsTheReferenceReportWording) {
  const std::pair<const char*, const char*> kRows[] = {
      {"ghg.total.market", "溫室氣體排放總量（範圍一、二、三）"},
      {"ghg.intensity.market", "每收入單位的溫室氣體排放總量"},
      {"ghg.scope1", "範圍一排放量"},
      {"ghg.scope2.market", "範圍二排放量"},
      {"ghg.scope2.location", "基於位置的範圍二排放量"},
      {"ghg.scope3", "範圍三排放量"},
      {"energy.total", "能源消耗總量"},
      {"energy.intensity", "每收入單位的能源消耗總量"},
      {"energy.direct", "直接能源消耗量"},
      {"fuel.gasoline", "汽油"},
      {"fuel.diesel", "柴油"},
      {"fuel.natural_gas", "天然氣"},
      {"energy.indirect", "間接能源消耗量"},
      {"energy.electricity", "總用電量"},
      {"energy.other_indirect", "其他間接能源"},
      {"renewable.purchased", "直接購買的可再生能源"},
      {"renewable.onsite", "自建可再生能源設施發電量"},
      {"renewable.share", "可再生電力佔比"},
      {"renewable.capacity", "自建可再生能源設施裝機容量"},
      {"pue.average", "數據中心平均PUE"},
      {"water.withdrawal", "用水量"},
      {"water.intensity", "每收入單位的用水量"},
      {"waste.ewaste_reused", "電子設備回用量"},
      {"waste.ewaste_recycled", "電子廢棄物資源化利用量"},
      {"waste.nonhazardous", "無害廢棄物處置量"},
      {"waste.nonhazardous.intensity", "每收入單位的無害廢棄物處置量"},
      {"waste.hazardous", "有害廢棄物處置量"},
      {"waste.hazardous.intensity", "每收入單位的有害廢棄物處置量"},
      {"workforce.headcount", "員工總數"},
      {"workforce.turnover", "總流失率"},
      {"safety.fatalities", "因工死亡人數"},
      {"safety.fatality_rate", "因工死亡比率"},
      {"safety.injuries", "因工受傷人次"},
      {"safety.injury_rate", "因工受傷比率"},
      {"safety.lost_days", "因工受傷損失的工作天數"},
      {"training.trained_pct", "受訓員工百分比"},
      {"training.avg_hours", "員工平均受訓時數"},
      {"suppliers.count", "供應商按地區分類數目"},
  };
  const MetricCatalog& c = builtin_catalog();
  // Where the seed is present beside the repository (../shared/seed), each
  // wording must also occur in it, so a typo in this table cannot hide.
  std::ifstream seed_file(std::string(ASSAY_SOURCE_DIR) +
                          "/../shared/seed/000_a1318c65b9b35e81.txt");
  std::stringstream seed;
  seed << seed_file.rdbuf();
  for (const auto& [id, wording] : kRows) {
    ASSERT_NE(c.find(id), nullptr) << id;
    EXPECT_EQ(c.find(id)->label.zh_hant, wording) << id;
    if (seed_file) {
      EXPECT_NE(seed.str().find(wording), std::string::npos) << wording;
    }
  }
  // Workforce categories as the employment table names them.
  EXPECT_EQ(c.dimensions.at("age_band").categories.at("<30").zh_hant, "30歲以下");
  EXPECT_EQ(c.dimensions.at("region").categories.at("CN").zh_hant, "中國內地");
  EXPECT_EQ(c.dimensions.at("level").categories.at("non_management").zh_hant, "非管理層");
}

TEST(Labels, ZhHansIsOpenCcT2sOfZhHant) {
  if (!test::have_opencc()) {
    GTEST_SKIP() << "opencc is not installed (Debian package opencc)";
  }
  std::vector<const Labels*> all;
  for (const auto& [id, m] : builtin_catalog().metrics) all.push_back(&m.label);
  for (const auto& [name, d] : builtin_catalog().dimensions) {
    all.push_back(&d.label);
    for (const auto& [cat, l] : d.categories) all.push_back(&l);
  }
  std::string input;
  for (const Labels* l : all) input += l->zh_hant + "\n";
  const std::string converted = test::opencc_t2s(input);
  std::vector<std::string> lines;
  std::stringstream ss(converted);
  for (std::string line; std::getline(ss, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i]->zh_hans, lines[i]) << all[i]->zh_hant;
  }
}

}  // namespace
}  // namespace assay
