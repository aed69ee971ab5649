// build_report() on the bundled example (examples/reference-2024): the KPI
// tables carry the reference report's published figures at its rounding,
// the Traditional Chinese labels are the report's own wording, notes state
// this run's method, and the content index answers, explains or flags every
// HKEX KPI. Expected values are the published ones
// (shared/reference/reference-report-2024.md), not Assay's output.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>

#include "../common/opencc_t2s.hpp"
#include "cli/calc_run.hpp"
#include "disclose/renderers.hpp"
#include "disclose/report_builder.hpp"

namespace assay::disclose {
namespace {

struct ExampleRun {
  cli::CalcRun calc;
  ReportInput input;
};

const ExampleRun& example_run() {
  static const ExampleRun* run = [] {
    auto* r = new ExampleRun;
    ReadOptions ro;
    ro.write_quarantine = false;
    Status s = cli::run_calc(std::string(ASSAY_SOURCE_DIR) + "/examples/reference-2024", ro, "test",
                             &r->calc);
    EXPECT_TRUE(s) << s.message();
    r->input.package = &r->calc.read.package;
    r->input.inventory = &r->calc.inventory;
    r->input.metrics = &r->calc.metrics;
    r->input.library = r->calc.library.get();
    r->input.diagnostics = r->calc.input_diagnostics();
    r->input.run_hash = r->calc.run_hash;
    r->input.engine_version = "test";
    return r;
  }();
  return *run;
}

const KpiTable* table(const Report& r, const std::string& id) {
  for (const KpiTable& t : r.tables) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

const KpiRow* row(const Report& r, const std::string& metric, const std::string& category = {}) {
  for (const KpiTable& t : r.tables) {
    for (const KpiRow& row : t.rows) {
      if (!row.heading && row.metric == metric && row.category == category) return &row;
    }
  }
  return nullptr;
}

std::string cell(const Report& r, const std::string& metric, int year,
                 const std::string& category = {}) {
  const KpiRow* kr = row(r, metric, category);
  if (!kr) return "(no row " + metric + " " + category + ")";
  for (size_t i = 0; i < r.years.size(); ++i) {
    if (r.years[i] == year) return kr->cells[i].text;
  }
  return "(no year)";
}

TEST(ReportData, BuiltinLoadsWithoutFindings) {
  for (const Diagnostic& d : builtin_report_data_diagnostics().items())
    ADD_FAILURE() << d.to_string();
  const ReportData& data = builtin_report_data();
  EXPECT_EQ(data.tables.size(), 9u);
  EXPECT_EQ(data.frameworks.size(), 3u);
  EXPECT_EQ(data.unit_label("tCO2e/million CNY", "zh-Hant"), "噸二氧化碳當量/百萬人民幣");
  EXPECT_EQ(data.unit_label("tCO2e/million CNY", "en"), "tCO2e/million CNY");
  EXPECT_EQ(data.unit_label("furlongs", "en"), "furlongs");
}

TEST(ReportData, ZhHansIsOpenCcT2sOfZhHant) {
  if (!test::have_opencc()) GTEST_SKIP() << "opencc is not installed (Debian package opencc)";
  const ReportData& data = builtin_report_data();
  std::vector<std::pair<std::string, std::string>> pairs;  // zh-Hant, zh-Hans
  auto add = [&](const Labels& l) { pairs.emplace_back(l.zh_hant, l.zh_hans); };
  for (const LayoutTable& t : data.tables) add(t.title);
  for (const auto* m : {&data.units, &data.currencies, &data.scope3_categories,
                        &data.breakdown_nouns, &data.factor_sets}) {
    for (const auto& [k, l] : *m) add(l);
  }
  for (const FrameworkData& f : data.frameworks) {
    add(f.title);
    for (const FrameworkItem& i : f.items) {
      add(i.title);
      if (!i.code_label.en.empty()) add(i.code_label);
    }
  }
  for (const auto* words : {&data.ui, &data.sentences}) {
    for (const auto& [key, hant] : words->at("zh-Hant"))
      pairs.emplace_back(hant, words->at("zh-Hans").at(key));
  }
  std::string input;
  for (const auto& p : pairs) input += p.first + "\n";
  std::stringstream converted(test::opencc_t2s(input));
  std::vector<std::string> lines;
  for (std::string line; std::getline(converted, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) EXPECT_EQ(pairs[i].second, lines[i]) << pairs[i].first;
}

TEST(ReportData, ErrorsNameTheProblem) {
  MetricCatalog empty;  // no metric known: every layout row is an unknown metric
  DiagnosticSink diags;
  load_report_data(empty, &diags);
  ASSERT_TRUE(diags.has_errors());
  EXPECT_EQ(diags.items().front().file, "data/report/layout.toml");
  EXPECT_EQ(diags.items().front().code, "report_data_metric");
  EXPECT_NE(diags.items().front().message.find("unknown metric ghg.total.market"),
            std::string::npos);
}

TEST(Report, YearsNewestFirstAndPublishedFiguresEnglish) {
  const Report r = build_report(example_run().input, "en");
  EXPECT_EQ(r.years, (std::vector<int>{2024, 2023, 2022}));
  EXPECT_EQ(cell(r, "ghg.total.market", 2024), "6,056,610.1");
  EXPECT_EQ(cell(r, "ghg.total.market", 2023), "5,793,823.7");
  EXPECT_EQ(cell(r, "ghg.intensity.market", 2022), "10.4");
  EXPECT_EQ(cell(r, "ghg.scope1", 2024), "121,466.0");
  EXPECT_EQ(cell(r, "ghg.scope3", 2022), "2,917,512.5");
  EXPECT_EQ(cell(r, "energy.electricity", 2024), "6,429,609.9");
  EXPECT_EQ(cell(r, "fuel.diesel", 2023), "1,208,688.0");
  EXPECT_EQ(cell(r, "renewable.share", 2022), "7.2");
  EXPECT_EQ(cell(r, "renewable.capacity", 2024), "63.8");
  EXPECT_EQ(cell(r, "pue.average", 2023), "1.279");
  EXPECT_EQ(cell(r, "water.withdrawal", 2024), "10,370,588.3");
  EXPECT_EQ(cell(r, "waste.hazardous.intensity", 2023), "2.2");
  EXPECT_EQ(cell(r, "workforce.headcount", 2022), "61,328");
  EXPECT_EQ(cell(r, "workforce.headcount", 2024, "age_band:>50"), "386");
  EXPECT_EQ(cell(r, "workforce.turnover", 2022), "21.7");
  EXPECT_EQ(cell(r, "workforce.turnover", 2022, "region:other"), "28.2");
  EXPECT_EQ(cell(r, "safety.fatality_rate", 2022), "0.01");
  EXPECT_EQ(cell(r, "safety.lost_days", 2024), "1,381");
  EXPECT_EQ(cell(r, "training.avg_hours", 2022, "level:management"), "50.5");
  EXPECT_EQ(cell(r, "suppliers.count", 2024, "region:CN"), "27,248");
  // A year without the figure shows the language's "not available" mark.
  EXPECT_EQ(cell(r, "suppliers.count", 2023, "region:CN"), "—");
  // Numbers behind the text are the figure and its rounding.
  const KpiRow* pue = row(r, "pue.average");
  ASSERT_NE(pue, nullptr);
  EXPECT_EQ(pue->decimals, 3);
  EXPECT_DOUBLE_EQ(*pue->cells[1].rounded, 1.279);
  EXPECT_EQ(pue->unit, "");
  EXPECT_EQ(row(r, "workforce.turnover")->unit, "%");
}

TEST(Report, TablesInLayoutOrderWithAreas) {
  const Report r = build_report(example_run().input, "en");
  std::vector<std::string> ids;
  for (const KpiTable& t : r.tables) ids.push_back(t.id + ":" + t.area);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"ghg:environment", "energy:environment", "water:environment",
                                      "waste:environment", "employment:social", "turnover:social",
                                      "safety:social", "training:social", "supply_chain:other"}));
  // Scope 3 categories by number (1, 2, ... 13), nested under scope 3.
  const KpiTable* ghg = table(r, "ghg");
  std::vector<std::string> cats;
  for (const KpiRow& kr : ghg->rows) {
    if (kr.metric == "ghg.scope3.category") cats.push_back(kr.category);
  }
  EXPECT_EQ(cats, (std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8", "13"}));
  EXPECT_EQ(row(r, "ghg.scope3.category", "13")->label, "Category 13: downstream leased assets");
  EXPECT_EQ(row(r, "ghg.scope3.category", "13")->indent, 2);
}

TEST(Report, TraditionalChineseLabelsAreTheReferenceWording) {
  const Report r = build_report(example_run().input, "zh-Hant");
  EXPECT_EQ(row(r, "ghg.total.market")->label, "溫室氣體排放總量（範圍一、二、三）");
  EXPECT_EQ(row(r, "pue.average")->label, "數據中心平均PUE");
  EXPECT_EQ(row(r, "workforce.turnover")->label, "總流失率");
  EXPECT_EQ(row(r, "workforce.headcount")->label, "員工總數");
  EXPECT_EQ(row(r, "energy.direct")->label, "直接能源消耗量");
  EXPECT_EQ(row(r, "renewable.share")->label, "可再生電力佔比");
  EXPECT_EQ(row(r, "ghg.total.market")->unit, "噸二氧化碳當量");
  EXPECT_EQ(row(r, "ghg.intensity.market")->unit, "噸二氧化碳當量/百萬人民幣");
  EXPECT_EQ(row(r, "waste.hazardous.intensity")->unit, "千克/百萬人民幣");
  // Breakdown headings as the reference report words them.
  std::vector<std::string> headings;
  for (const KpiTable& t : r.tables) {
    for (const KpiRow& kr : t.rows) {
      if (kr.heading) headings.push_back(kr.label);
    }
  }
  for (const char* h :
       {"按僱傭類型劃分的員工人數", "按年齡組別劃分的員工人數", "按性別劃分的員工人數",
        "按管理層級劃分的員工人數", "按地理區域劃分的員工人數", "按年齡組別劃分的員工流失率",
        "按性別劃分的員工流失率", "按地理區域劃分的員工流失率", "按性別劃分的受訓員工百分比",
        "按管理層級劃分的受訓員工百分比", "按性別劃分的員工平均受訓時數",
        "按管理層級劃分的員工平均受訓時數"}) {
    EXPECT_NE(std::find(headings.begin(), headings.end(), h), headings.end()) << h;
  }
  EXPECT_EQ(row(r, "workforce.headcount", "employment_type:regular")->label, "正式員工");
  EXPECT_EQ(row(r, "workforce.turnover", "age_band:<30")->label, "30歲以下");
  EXPECT_EQ(r.ui.year_suffix, "年");
  EXPECT_EQ(table(r, "ghg")->title, "溫室氣體");
}

TEST(Report, WorkforceCategoriesInTheOrderTheyWereSubmitted) {
  const Report r = build_report(example_run().input, "en");
  std::vector<std::string> ages;
  for (const KpiRow& kr : table(r, "employment")->rows) {
    if (kr.category.starts_with("age_band:")) ages.push_back(kr.category);
  }
  EXPECT_EQ(ages, (std::vector<std::string>{"age_band:<30", "age_band:30-50", "age_band:>50"}));
}

TEST(Report, NotesStateThisRunsMethod) {
  const Report r = build_report(example_run().input, "en");
  auto has = [](const std::vector<std::string>& notes, const std::string& part) {
    for (const std::string& n : notes) {
      if (n.find(part) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has(r.method_notes, "operational control"));
  EXPECT_TRUE(has(r.method_notes, "IPCC Sixth Assessment Report (AR6"));
  EXPECT_TRUE(has(r.method_notes, "gbt2589-2020 — GB/T 2589-2020"));
  EXPECT_TRUE(has(r.method_notes, "the package's own factors (factors.csv)"));
  EXPECT_TRUE(has(r.method_notes,
                  "In 2024, contractual instruments covered 21.4% of the grid electricity"));
  // 28 residual_mix_missing warnings of the run, counted, not typed.
  EXPECT_TRUE(has(r.method_notes, "28 region-years had no residual mix factor"));
  EXPECT_TRUE(has(r.method_notes, r.run_hash));
  const KpiTable* ghg = table(r, "ghg");
  ASSERT_FALSE(ghg->notes.empty());
  EXPECT_TRUE(has(ghg->notes, "market-based scope 2"));
  EXPECT_EQ(row(r, "ghg.total.market")->notes, std::vector<int>{1});
  const KpiTable* energy = table(r, "energy");
  EXPECT_TRUE(has(energy->notes, "typical-densities"));
  EXPECT_TRUE(has(energy->notes, "ran the whole year"));
}

TEST(Report, TargetsWithProgress) {
  const Report r = build_report(example_run().input, "en");
  ASSERT_EQ(r.targets.size(), 4u);
  const TargetRow& pue = r.targets[2];
  EXPECT_EQ(pue.target_id, "T-PUE");
  EXPECT_EQ(pue.kind, "at most");
  EXPECT_EQ(pue.target_value, "≤ 1.350");
  EXPECT_EQ(pue.current_value, "1.269");
  EXPECT_EQ(pue.progress_text, "0.081");
  const TargetRow& s12 = r.targets[0];
  EXPECT_EQ(s12.target_value, "-70%");
  EXPECT_EQ(s12.required_annual_text, "12.76% of base per year");
}

const IndexEntry* entry(const Report& r, const std::string& framework, const std::string& code) {
  for (const FrameworkIndex& fi : r.indexes) {
    if (fi.id != framework) continue;
    for (const IndexEntry& e : fi.entries) {
      if (e.code == code) return &e;
    }
  }
  return nullptr;
}

TEST(Report, ContentIndexAnswersExplainsOrFlags) {
  const Report r = build_report(example_run().input, "en");
  const IndexEntry* a12 = entry(r, "hkex", "A1.2");
  ASSERT_NE(a12, nullptr);
  EXPECT_EQ(a12->status, "answered");
  ASSERT_FALSE(a12->answered_in.empty());
  EXPECT_EQ(a12->answered_in.front().table_id, "ghg");
  const IndexEntry* a25 = entry(r, "hkex", "A2.5");
  ASSERT_NE(a25, nullptr);
  EXPECT_EQ(a25->status, "not_material");
  EXPECT_NE(a25->explanation.find("low relevance to the main business"), std::string::npos);
  EXPECT_EQ(entry(r, "hkex", "A1.1")->status, "not_material");
  EXPECT_EQ(entry(r, "hkex", "B1.2")->answered_in.front().table_id, "turnover");
  EXPECT_EQ(entry(r, "hkex", "B4.1")->status, "narrative");
  // 2024 report: the A4 legacy codes are still listed (until 2024).
  EXPECT_NE(entry(r, "hkex", "A4.1"), nullptr);
  EXPECT_EQ(entry(r, "gri", "305-1")->status, "answered");
  EXPECT_EQ(entry(r, "ifrs_s2", "Metrics and targets (b) (IFRS S2 29(a))")->status, "answered");
  // The example answers or explains every quantitative HKEX KPI.
  for (const ReportWarning& w : r.warnings) EXPECT_NE(w.code, "kpi_not_answered") << w.message;
}

TEST(Report, IndexCodesInTheLanguage) {
  const Report zh = build_report(example_run().input, "zh-Hant");
  EXPECT_EQ(entry(zh, "hkex", "B: governance structure")->code_text, "B部分：管治架構");
  EXPECT_EQ(entry(zh, "hkex", "D: metrics and targets")->code_text, "D部分：指標及目標");
  EXPECT_EQ(entry(zh, "hkex", "A1.2")->code_text, "A1.2");
  // Places in report order: the first row of the GHG table that carries A1.2.
  EXPECT_EQ(entry(zh, "hkex", "A1.2")->answered_in.front().metric, "ghg.total.market");
}

TEST(Report, UnexplainedQuantitativeKpiIsAWarning) {
  const ExampleRun& base = example_run();
  Package pkg = base.calc.read.package;
  std::erase_if(pkg.disclosures,
                [](const DisclosureRow& d) { return d.metric == "x.packaging_material"; });
  MetricsResult metrics = base.calc.metrics;
  std::erase_if(metrics.not_material,
                [](const NotMaterialKpi& n) { return n.metric == "x.packaging_material"; });
  ReportInput in = base.input;
  in.package = &pkg;
  in.metrics = &metrics;
  const Report r = build_report(in, "en");
  EXPECT_EQ(entry(r, "hkex", "A2.5")->status, "not_answered");
  int flagged = 0;
  for (const ReportWarning& w : r.warnings)
    flagged += w.code == "kpi_not_answered" && w.where == "HKEX A2.5";
  EXPECT_EQ(flagged, 1);
}

TEST(Report, SixChartsAsInlineSvg) {
  const Report r = build_report(example_run().input, "zh-Hant");
  std::vector<std::string> ids;
  for (const Chart& c : r.charts) {
    ids.push_back(c.id);
    EXPECT_TRUE(c.svg.starts_with("<svg")) << c.id;
    EXPECT_EQ(c.svg.find("<script"), std::string::npos);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"scope_share", "scope3_categories", "emissions_trend",
                                           "target_pathway", "renewable_share", "pue_by_site"}));
  EXPECT_EQ(r.charts[0].title, "各範圍佔溫室氣體排放總量的比例");
}

TEST(Report, RenderersAreDeterministicAndCarryTheSameFigures) {
  const Report en = build_report(example_run().input, "en");
  const Report zh = build_report(example_run().input, "zh-Hant");
  const std::string html = render_html(zh);
  EXPECT_EQ(html, render_html(build_report(example_run().input, "zh-Hant")));
  EXPECT_NE(html.find("<html lang=\"zh-Hant\">"), std::string::npos);
  EXPECT_NE(html.find("data-metric=\"ghg.total.market\" data-category=\"\"><th scope=\"row\">"
                      "溫室氣體排放總量（範圍一、二、三）</th>"),
            std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\" data-year=\"2024\">6,056,610.1</td>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  const std::string md = render_markdown(en);
  EXPECT_NE(
      md.find("| Total GHG emissions (scopes 1, 2 and 3) | tCO2e | 6,056,610.1 | 5,793,823.7 |"),
      std::string::npos);
  const std::string calc =
      calc_document_json(example_run().calc.read.package.manifest.name, 2024,
                         example_run().calc.run_hash, example_run().calc.inventory);
  const std::string json = render_json({en, zh}, calc);
  const nlohmann::json doc = nlohmann::json::parse(json);
  EXPECT_EQ(doc["calc"]["run_hash"], example_run().calc.run_hash);
  EXPECT_EQ(doc["report"]["languages"], (nlohmann::json{"en", "zh-Hant"}));
  const auto& ghg = doc["report"]["tables"][0];
  EXPECT_EQ(ghg["id"], "ghg");
  EXPECT_EQ(ghg["rows"][0]["metric"], "ghg.total.market");
  EXPECT_EQ(ghg["rows"][0]["label"]["zh-Hant"], "溫室氣體排放總量（範圍一、二、三）");
  EXPECT_DOUBLE_EQ(ghg["rows"][0]["values"][0].get<double>(), 6056610.1);
}

TEST(Report, HtmlEscapesPackageText) {
  Package pkg = example_run().calc.read.package;
  pkg.manifest.name = "A <b>&\"group\"";
  ReportInput in = example_run().input;
  in.package = &pkg;
  const std::string html = render_html(build_report(in, "en"));
  EXPECT_NE(html.find("A &lt;b&gt;&amp;&quot;group&quot;"), std::string::npos);
  EXPECT_EQ(html.find("A <b>"), std::string::npos);
}

}  // namespace
}  // namespace assay::disclose
