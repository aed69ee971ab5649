// The SVG charts of a report (svg_chart.hpp, report_charts.hpp), read back
// with an XML parser: well-formed documents, bar lengths in proportion to
// their figures, nice axes, escaped texts, percentages that add up, gaps for
// missing figures, and the same bytes for the same input. Expected figures
// are worked out by hand in the comments next to them.
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "disclose/report_charts.hpp"
#include "disclose/svg_chart.hpp"
#include "disclose/svg_format.hpp"

namespace assay::disclose {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Parsed {
  pugi::xml_document doc;
  pugi::xml_node svg;
};

// Parses `text` as a standalone document; fails the test when it is not one.
void parse(const std::string& text, Parsed* out) {
  const pugi::xml_parse_result result = out->doc.load_string(text.c_str());
  ASSERT_TRUE(result) << result.description() << " at " << result.offset << "\n" << text;
  out->svg = out->doc.child("svg");
  ASSERT_TRUE(out->svg) << text;
  EXPECT_STREQ(out->svg.attribute("xmlns").value(), "http://www.w3.org/2000/svg");
  EXPECT_STREQ(out->svg.attribute("role").value(), "img");
  EXPECT_TRUE(out->svg.attribute("viewBox"));
  EXPECT_NE(std::string(out->svg.attribute("font-family").value()).find("Noto Sans CJK TC"),
            std::string::npos);
  EXPECT_TRUE(out->svg.child("title"));
  EXPECT_TRUE(out->svg.child("desc"));
}

std::vector<pugi::xml_node> with_class(const pugi::xml_node& svg, const char* css_class) {
  std::vector<pugi::xml_node> out;
  for (const auto& x : svg.select_nodes((std::string("//*[@class='") + css_class + "']").c_str())) {
    out.push_back(x.node());
  }
  return out;
}

// The shape whose tooltip is exactly `tooltip`.
pugi::xml_node shape_with_tooltip(const pugi::xml_node& svg, const std::string& tooltip) {
  for (const auto& x : svg.select_nodes("//*[title]")) {
    if (tooltip == x.node().child_value("title")) return x.node();
  }
  return {};
}

double number_attribute(const pugi::xml_node& node, const char* name) {
  return std::stod(node.attribute(name).value());
}

// A label such as "6,000,000" as a number.
double parse_grouped(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), ','), text.end());
  return std::stod(text);
}

// The text a <text> shows, without its tooltip.
std::string shown_text(const pugi::xml_node& text) { return text.text().get(); }

bool has_shown_text(const pugi::xml_node& svg, const std::string& wanted) {
  for (const auto& x : svg.select_nodes("//text")) {
    if (shown_text(x.node()) == wanted) return true;
  }
  return false;
}

void expect_no_nan_or_inf(const std::string& svg) {
  std::string lower = svg;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  EXPECT_EQ(lower.find("nan"), std::string::npos) << svg;
  EXPECT_EQ(lower.find("inf"), std::string::npos) << svg;
}

ChartFrame frame_titled(std::string title) {
  return {.title = std::move(title), .description = {}, .no_data = "No data"};
}

// ------------------------------------------------------------- formatting

TEST(SvgFormat, EscapesMarkupAndKeepsChinese) {
  EXPECT_EQ(svg::escape_xml("R&D <lab> \"north\" 'x'"),
            "R&amp;D &lt;lab&gt; &quot;north&quot; &apos;x&apos;");
  EXPECT_EQ(svg::escape_xml("範疇三"), "範疇三");
  // A control character cannot appear in XML 1.0; a stray byte is not UTF-8.
  EXPECT_EQ(svg::escape_xml(std::string("a\x01"
                                        "b")),
            "ab");
  EXPECT_EQ(svg::escape_xml(std::string("a\xFF")), "a\xEF\xBF\xBD");
}

TEST(SvgFormat, FixedDecimalsRoundHalfAwayFromZeroAndGroupThousands) {
  EXPECT_EQ(svg::fixed(2.5, 0), "3");
  EXPECT_EQ(svg::fixed(-2.5, 0), "-3");
  EXPECT_EQ(svg::fixed(1.25, 1), "1.3");
  EXPECT_EQ(svg::fixed(-0.04, 1), "0.0");  // not "-0.0"
  EXPECT_EQ(svg::fixed(kNaN, 2), "0.00");
  EXPECT_EQ(svg::fixed(kInf, 0), "0");
  EXPECT_EQ(svg::grouped(6056610.06, 1), "6,056,610.1");
  EXPECT_EQ(svg::grouped(-1234567, 0), "-1,234,567");
  EXPECT_EQ(svg::grouped(999.5, 0), "1,000");
  EXPECT_EQ(svg::grouped(12, 2), "12.00");
}

TEST(SvgFormat, LongTextEndsWithEllipsisWithinTheWidth) {
  // 11 px font: 6.6 px per Latin character, 11 px per Chinese character.
  EXPECT_EQ(svg::fit_text("Scope 3", 100, 11), "Scope 3");
  const std::string cut = svg::fit_text("Purchased goods and services", 66, 11);
  EXPECT_EQ(cut, "Purchased…");  // 9 × 6.6 + 6.6 (the ellipsis) = 66
  EXPECT_LE(svg::text_width(cut, 11), 66);
  EXPECT_EQ(svg::fit_text("外購商品及服務", 44, 11), "外購商…");  // 3 × 11 + 6.6 <= 44
}

TEST(SvgFormat, AxisStepsAreOneTwoFiveTimesAPowerOfTenAndCoverTheData) {
  // 6,056,610 / 5 intervals = 1,211,322 -> next nice step 2,000,000.
  const svg::Axis a = svg::nice_axis(0, 6056610);
  EXPECT_EQ(a.step, 2000000);
  EXPECT_EQ(a.ticks, (std::vector<double>{0, 2e6, 4e6, 6e6, 8e6}));
  // PUE from 1.0 to 1.62: 0.124 -> 0.2, 1.62 / 0.2 = 8.1 -> up to 1.8.
  const svg::Axis pue = svg::nice_axis(1.0, 1.62);
  EXPECT_DOUBLE_EQ(pue.step, 0.2);
  EXPECT_DOUBLE_EQ(pue.lo, 1.0);
  EXPECT_DOUBLE_EQ(pue.hi, 1.8);
  EXPECT_EQ(pue.decimals, 1);
  // All zero: an axis of 0..1, not a division by zero.
  const svg::Axis zero = svg::nice_axis(0, 0);
  EXPECT_EQ(zero.lo, 0);
  EXPECT_EQ(zero.hi, 1);

  for (double max : {0.013, 0.7, 1.0, 3.3, 47.0, 99.9, 100.0, 101.0, 12345.0, 6.02e23}) {
    const svg::Axis axis = svg::nice_axis(0, max);
    const double mantissa = axis.step / std::pow(10.0, std::floor(std::log10(axis.step)));
    EXPECT_TRUE(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 ||
                std::abs(mantissa - 5) < 1e-9)
        << max << " step " << axis.step;
    EXPECT_GE(axis.hi, max);
    EXPECT_LE(axis.ticks.size(), 7u) << max;
  }
  // A secondary axis with the primary's four intervals: 0.83 / 4 -> 0.5 -> 0..2.
  const svg::Axis secondary = svg::nice_axis_with_intervals(0.83, 4);
  EXPECT_EQ(secondary.ticks, (std::vector<double>{0, 0.5, 1, 1.5, 2}));
}

// ---------------------------------------------------------------- columns

TEST(ColumnChart, BarHeightsAreProportionalToFigures) {
  ColumnChart chart{.frame = frame_titled("Emissions"),
                    .categories = {"2022", "2023"},
                    .stacks = {{"Scope 1", {100.0, 300.0}}},
                    .value_unit = "tCO2e"};
  Parsed p;
  ASSERT_NO_FATAL_FAILURE(parse(render_column_chart(chart), &p));
  const auto a = shape_with_tooltip(p.svg, "Scope 1 2022: 100 tCO2e");
  const auto b = shape_with_tooltip(p.svg, "Scope 1 2023: 300 tCO2e");
  ASSERT_TRUE(a && b);
  EXPECT_NEAR(number_attribute(b, "height") / number_attribute(a, "height"), 3.0, 0.01);
  // Value labels over the bars.
  EXPECT_TRUE(has_shown_text(p.svg, "100"));
  EXPECT_TRUE(has_shown_text(p.svg, "300"));
  // The figures in words, for readers who cannot see the chart.
  EXPECT_EQ(std::string(p.svg.child_value("desc")), "Scope 1 (tCO2e): 2022 100; 2023 300.");
}

TEST(ColumnChart, StackedSegmentsAddUpToTheTotal) {
  // 10 + 20 + 30 in 2022 stands as tall as the single 60 of 2023.
  ColumnChart chart{
      .frame = frame_titled("Emissions"),
      .categories = {"2022", "2023"},
      .stacks = {{"S1", {10.0, 60.0}}, {"S2", {20.0, std::nullopt}}, {"S3", {30.0, std::nullopt}}}};
  Parsed p;
  ASSERT_NO_FATAL_FAILURE(parse(render_column_chart(chart), &p));
  const auto s1 = shape_with_tooltip(p.svg, "S1 2022: 10");
  const auto s2 = shape_with_tooltip(p.svg, "S2 2022: 20");
  const auto s3 = shape_with_tooltip(p.svg, "S3 2022: 30");
  const auto whole = shape_with_tooltip(p.svg, "S1 2023: 60");
  ASSERT_TRUE(s1 && s2 && s3 && whole);
  const double sum = number_attribute(s1, "height") + number_attribute(s2, "height") +
                     number_attribute(s3, "height");
  EXPECT_NEAR(sum, number_attribute(whole, "height"), 0.02);
  // Segments touch: S2 sits on S1.
  EXPECT_NEAR(number_attribute(s2, "y") + number_attribute(s2, "height"), number_attribute(s1, "y"),
              0.01);
  EXPECT_TRUE(has_shown_text(p.svg, "60"));  // total of 2022 and of 2023
  // Missing figures are gaps: 2023 has no S2 or S3 bar at all.
  EXPECT_FALSE(shape_with_tooltip(p.svg, "S2 2023: 0"));
  EXPECT_EQ(with_class(p.svg, "bar").size(), 4u);
}

TEST(ColumnChart, TickLabelsAreNiceMultiplesCoveringTheTallestBar) {
  ColumnChart chart{.frame = frame_titled("Emissions"),
                    .categories = {"2023"},
                    .stacks = {{"Scope 3", {6056610.1}}}};
  Parsed p;
  ASSERT_NO_FATAL_FAILURE(parse(render_column_chart(chart), &p));
  std::vector<double> ticks;
  for (const auto& t : with_class(p.svg, "tick")) ticks.push_back(parse_grouped(shown_text(t)));
  // 6,056,610.1 plus 8% room for the label = 6,541,139 -> steps of 2,000,000.
  EXPECT_EQ(ticks, (std::vector<double>{0, 2e6, 4e6, 6e6, 8e6}));
  EXPECT_TRUE(has_shown_text(p.svg, "2,000,000"));
  EXPECT_TRUE(has_shown_text(p.svg, "6,056,610"));
}

TEST(ColumnChart, NegativeFigureStopsAtTheAxisAndIsStillLabelled) {
  ColumnChart chart{.frame = frame_titled("Net"),
                    .categories = {"2022", "2023"},
                    .stacks = {{"Net", {-50.0, 100.0}}}};
  Parsed p;
  ASSERT_NO_FATAL_FAILURE(parse(render_column_chart(chart), &p));
  const auto negative = shape_with_tooltip(p.svg, "Net 2022: -50");
  ASSERT_TRUE(negative);
  EXPECT_EQ(number_attribute(negative, "height"), 0);
  EXPECT_TRUE(has_shown_text(p.svg, "-50"));
}

TEST(ColumnChart, IntensityLineOnTheSecondaryAxisBreaksAtGaps) {
  ColumnChart chart{.frame = frame_titled("Trend"),
                    .categories = {"2020", "2021", "2022", "2023"},
                    .stacks = {{"S1", {5.0, 6.0, 7.0, 8.0}}},
                    .lines = {{"Intensity", {0.5, std::nullopt, 0.4, 0.3}}},
                    .line_unit = "t/m"};
  Parsed p;
  ASSERT_NO_FATAL_FAILURE(parse(render_column_chart(chart), &p));
  const auto lines = with_class(p.svg, "line");
  ASSERT_EQ(lines.size(), 1u);
  const std::string d = lines[0].attribute("d").value();
  EXPECT_EQ(std::count(d.begin(), d.end(), 'M'), 2) << d;  // 2020 alone, then 2022-2023
  EXPECT_EQ(with_class(p.svg, "marker").size(), 3u);
  EXPECT_TRUE(has_shown_text(p.svg, "0.30"));
}

// ------------------------------------------------------- horizontal bars

TEST(BarChart, LengthsFromTheBaselineAreProportional) {
  // PUE 1.2 and 1.6 from a baseline of 1.0: overheads 0.2 and 0.6, ratio 3.
  BarChart chart{.frame = frame_titled("PUE"),
                 .bars = {{"HK1", 1.2}, {"SZ2", 1.6}, {"Lab", 0.9}},
                 .value_unit = "PUE",
                 .value_decimals = 2,
                 .baseline = 1.0,
                 .reference = 1.4,
                 .reference_label = "Group average"};
  Parsed p;
  ASSERT_NO_FATAL_FAILURE(parse(render_bar_chart(chart), &p));
  const auto hk = shape_with_tooltip(p.svg, "HK1: 1.20 PUE");
  const auto sz = shape_with_tooltip(p.svg, "SZ2: 1.60 PUE");
  const auto lab = shape_with_tooltip(p.svg, "Lab: 0.90 PUE");
  ASSERT_TRUE(hk && sz && lab);
  EXPECT_NEAR(number_attribute(sz, "width") / number_attribute(hk, "width"), 3.0, 0.01);
  EXPECT_EQ(number_attribute(lab, "width"), 0);  // below the baseline: at the axis,
  EXPECT_TRUE(has_shown_text(p.svg, "0.90"));    // still labelled
  EXPECT_EQ(with_class(p.svg, "reference").size(), 1u);
  EXPECT_TRUE(has_shown_text(p.svg, "Group average"));
  EXPECT_TRUE(has_shown_text(p.svg, "1.0"));  // the axis starts at the baseline
}

TEST(BarChart, LongLabelIsShortenedAndKeepsItsFullTextAsTooltip) {
  const std::string long_label =
      "Category 1: Purchased goods and services bought by every subsidiary of the group";
  BarChart chart{.frame = frame_titled("Scope 3"), .bars = {{long_label, 10.0}}};
  Parsed p;
  ASSERT_NO_FATAL_FAILURE(parse(render_bar_chart(chart), &p));
  const auto labels = with_class(p.svg, "category");
  ASSERT_EQ(labels.size(), 1u);
  const std::string shown = shown_text(labels[0]);
  EXPECT_LT(shown.size(), long_label.size());
  EXPECT_EQ(shown.substr(shown.size() - 3), "…");
  EXPECT_EQ(long_label.rfind(shown.substr(0, shown.size() - 3), 0), 0u);
  EXPECT_EQ(std::string(labels[0].child_value("title")), long_label);
}

// ------------------------------------------------------------------ share

double sum_of_printed_percentages(const pugi::xml_node& svg) {
  double sum = 0;
  for (const auto& t : with_class(svg, "percent")) {
    std::string text = shown_text(t);
    EXPECT_EQ(text.back(), '%');
    text.pop_back();
    sum += std::stod(text);
  }
  return sum;
}

TEST(ShareChart, PrintedPercentagesAddUpToOneHundred) {
  // 1,205 / 28,470.4 / 30,525 of 60,200.4 tCO2e: 2.0017%, 47.2927%, 50.7056%.
  ShareChart chart{.frame = frame_titled("Share of scopes"),
                   .parts = {{"Scope 1", 1205.0}, {"Scope 2", 28470.4}, {"Scope 3", 30525.0}},
                   .value_unit = "tCO2e"};
  Parsed p;
  ASSERT_NO_FATAL_FAILURE(parse(render_share_chart(chart), &p));
  std::vector<std::string> printed;
  for (const auto& t : with_class(p.svg, "percent")) printed.push_back(shown_text(t));
  EXPECT_EQ(printed, (std::vector<std::string>{"2.0%", "47.3%", "50.7%"}));
  EXPECT_EQ(with_class(p.svg, "slice").size(), 3u);
  EXPECT_TRUE(has_shown_text(p.svg, "60,200"));  // the total in the middle
}

TEST(ShareChart, LargestRemainderFixesRoundingThatWouldNotAddUp) {
  // Thirds: 33.33... each; rounded alone 99.9. The leftover 0.1 goes to the first.
  EXPECT_EQ(percentages_summing_to_100({1, 1, 1}, 1), (std::vector<double>{33.4, 33.3, 33.3}));
  // Sixths: 16.666... each; rounded alone 100.2. 996 tenths + 4 leftover to the first four.
  EXPECT_EQ(percentages_summing_to_100({1, 1, 1, 1, 1, 1}, 1),
            (std::vector<double>{16.7, 16.7, 16.7, 16.7, 16.6, 16.6}));
  EXPECT_EQ(percentages_summing_to_100({0, 0}, 1), (std::vector<double>{0, 0}));

  ShareChart chart{.frame = frame_titled("Sixths")};
  for (int i = 0; i < 6; ++i) chart.parts.push_back({"Part " + std::to_string(i), 1.0});
  Parsed p;
  ASSERT_NO_FATAL_FAILURE(parse(render_share_chart(chart), &p));
  EXPECT_NEAR(sum_of_printed_percentages(p.svg), 100.0, 1e-9);
}

TEST(ShareChart, AllZeroOrMissingIsNoData) {
  ShareChart zero{.frame = frame_titled("Share"), .parts = {{"A", 0.0}, {"B", std::nullopt}}};
  Parsed p;
  ASSERT_NO_FATAL_FAILURE(parse(render_share_chart(zero), &p));
  EXPECT_TRUE(has_shown_text(p.svg, "No data"));
  EXPECT_TRUE(with_class(p.svg, "slice").empty());
}

TEST(ShareChart, OnePartIsAWholeRing) {
  ShareChart chart{.frame = frame_titled("Share"), .parts = {{"Only", 42.0}}};
  Parsed p;
  ASSERT_NO_FATAL_FAILURE(parse(render_share_chart(chart), &p));
  EXPECT_TRUE(has_shown_text(p.svg, "100.0%"));
  EXPECT_EQ(with_class(p.svg, "slice").size(), 1u);
}

// ------------------------------------------------------------------ lines

TEST(LineChart, PathwayIsDashedAndMissingYearsBreakTheLine) {
  LineChart chart{
      .frame = frame_titled("Pathway"),
      .series = {{.name = "Pathway",
                  .points = {{2019, 100.0}, {2030, 58.0}},
                  .dashed = true,
                  .colour = 0},
                 {.name = "Actual",
                  .points = {{2019, 100.0}, {2020, std::nullopt}, {2021, 90.0}, {2022, 85.0}},
                  .colour = 0}},
      .reference = 58.0,
      .reference_label = "Target"};
  Parsed p;
  ASSERT_NO_FATAL_FAILURE(parse(render_line_chart(chart), &p));
  const auto lines = with_class(p.svg, "line");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_STREQ(lines[0].attribute("stroke-dasharray").value(), "6 4");
  EXPECT_FALSE(lines[1].attribute("stroke-dasharray"));
  const std::string actual = lines[1].attribute("d").value();
  EXPECT_EQ(std::count(actual.begin(), actual.end(), 'M'), 2) << actual;
  EXPECT_EQ(with_class(p.svg, "marker").size(), 5u);  // 2 + 3 figures
  EXPECT_EQ(with_class(p.svg, "reference").size(), 1u);
  // Year labels span both series: 2019..2030.
  EXPECT_TRUE(has_shown_text(p.svg, "2019"));
  EXPECT_TRUE(has_shown_text(p.svg, "2030"));
}

TEST(LineChart, SinglePointIsAMarker) {
  LineChart chart{
      .frame = frame_titled("Share"),
      .series = {{.name = "Renewable", .points = {{2023, 37.5}}, .label_last_point = true}}};
  Parsed p;
  ASSERT_NO_FATAL_FAILURE(parse(render_line_chart(chart), &p));
  EXPECT_EQ(with_class(p.svg, "marker").size(), 1u);
  EXPECT_TRUE(has_shown_text(p.svg, "37.5"));
}

// ------------------------------------------------------------ every chart

TEST(SvgChart, TextsAreEscapedAndChineseSurvives) {
  const std::string title = "Scope <3> & \"others\" 範疇三";
  BarChart chart{.frame = frame_titled(title),
                 .bars = {{"R&D <lab>", 5.0}, {"\"Quoted\" 'single'", 6.0}, {"外購商品", 7.0}}};
  const std::string text = render_bar_chart(chart);
  Parsed p;
  ASSERT_NO_FATAL_FAILURE(parse(text, &p));
  EXPECT_EQ(std::string(p.svg.child_value("title")), title);
  EXPECT_TRUE(has_shown_text(p.svg, "R&D <lab>"));
  EXPECT_TRUE(has_shown_text(p.svg, "\"Quoted\" 'single'"));
  EXPECT_TRUE(has_shown_text(p.svg, "外購商品"));
  EXPECT_NE(text.find("R&amp;D &lt;lab&gt;"), std::string::npos);
}

TEST(SvgChart, EmptyInputGivesAValidNoDataChart) {
  const std::vector<std::string> charts = {
      render_column_chart({.frame = frame_titled("A")}),
      render_column_chart(
          {.frame = frame_titled("B"), .categories = {"2023"}, .stacks = {{"S", {std::nullopt}}}}),
      render_bar_chart({.frame = frame_titled("C")}),
      render_share_chart({.frame = frame_titled("D")}),
      render_line_chart({.frame = frame_titled("E")}),
      render_line_chart({.frame = frame_titled("F"), .series = {{.name = "empty"}}}),
  };
  for (const auto& c : charts) {
    Parsed p;
    ASSERT_NO_FATAL_FAILURE(parse(c, &p));
    EXPECT_TRUE(has_shown_text(p.svg, "No data")) << c;
  }
}

TEST(SvgChart, NotANumberAndInfinityNeverReachTheOutput) {
  const std::vector<std::optional<double>> odd = {kNaN, kInf, -kInf, 1e308, 2.0};
  const std::vector<std::string> charts = {
      render_column_chart({.frame = frame_titled("A"),
                           .categories = {"a", "b", "c", "d", "e"},
                           .stacks = {{"S", odd}, {"T", odd}},
                           .lines = {{"L", odd}}}),
      render_bar_chart({.frame = frame_titled("B"),
                        .bars = {{"a", kNaN}, {"b", kInf}, {"c", 3.0}},
                        .baseline = kNaN,
                        .reference = kInf}),
      render_share_chart(
          {.frame = frame_titled("C"), .parts = {{"a", kNaN}, {"b", 1e308}, {"c", 1e308}}}),
      render_line_chart(
          {.frame = frame_titled("D"),
           .series = {{.name = "L", .points = {{2020, kNaN}, {2021, -kInf}, {2022, 1.0}}}},
           .reference = kNaN}),
      render_share_chart({.frame = frame_titled("E"), .parts = {{"a", kNaN}}}),
  };
  for (const auto& c : charts) {
    Parsed p;
    ASSERT_NO_FATAL_FAILURE(parse(c, &p));
    expect_no_nan_or_inf(c);
  }
}

// --------------------------------------------------------- report charts

ChartInput sample_input() {
  ChartInput in;
  ChartTexts& t = in.texts;
  t.no_data = "無數據";
  t.year_suffix = "年";
  t.scope_share_title = "範疇佔比";
  t.scope3_categories_title = "範疇三按類別";
  t.emissions_trend_title = "歷年排放及強度";
  t.target_pathway_title = "目標路徑";
  t.renewable_share_title = "可再生電力佔比";
  t.pue_by_site_title = "各數據中心 PUE";
  t.scope1 = "範疇一";
  t.scope2_market = "範疇二（市場基準）";
  t.scope3 = "範疇三";
  t.emissions_unit = "噸二氧化碳當量";
  t.intensity = "排放強度";
  t.intensity_unit = "噸二氧化碳當量/百萬港元";
  t.renewable_share = "可再生電力";
  t.renewable_target = "2030 目標";
  t.percent_unit = "%";
  t.pue = "PUE";
  t.group_average = "集團平均";
  t.pathway = "（路徑）";
  t.actual = "（實際）";
  t.index_unit = "基準年 = 100";
  in.reporting_year = 2023;
  in.years = {2021, 2022, 2023};
  in.scope1 = {{2021, 1300.0}, {2022, 1250.0}, {2023, 1205.0}};
  in.scope2_market = {{2021, 30100.0}, {2022, 29000.0}, {2023, 28470.4}};
  in.scope3 = {{2022, 31000.0}, {2023, 30525.0}};  // 2021 not reported
  in.intensity = {{2021, 0.52}, {2022, 0.49}, {2023, 0.47}};
  in.scope3_categories = {
      {"1. 外購商品及服務", 20000.0}, {"6. 商務旅行", 525.0}, {"11. 售出產品的使用", 10000.0}};
  in.renewable_share = {{2021, 12.0}, {2022, 20.5}, {2023, 31.2}};
  in.renewable_target = 50.0;
  in.pue_by_site = {{"香港一號", 1.52}, {"深圳二號", 1.38}};
  in.pue_group_average = 1.45;
  in.targets = {{.label = "範疇一及二",
                 .unit = "噸二氧化碳當量",
                 .base_year = 2021,
                 .base_value = 31400,
                 .target_year = 2030,
                 .target_value = 18212,
                 .actuals = {{2021, 31400.0}, {2022, 30250.0}, {2023, 29675.4}}},
                {.label = "PUE",
                 .unit = "",
                 .decimals = 2,
                 .base_year = 2021,
                 .base_value = 1.6,
                 .target_year = 2030,
                 .target_value = 1.3,
                 .actuals = {{2023, 1.45}}}};
  return in;
}

TEST(ReportCharts, SixChartsWithTheirIdsAndTitlesInOrder) {
  const ChartInput in = sample_input();
  const std::vector<Chart> charts = build_charts(in);
  ASSERT_EQ(charts.size(), 6u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"scope_share", "範疇佔比"},           {"scope3_categories", "範疇三按類別"},
      {"emissions_trend", "歷年排放及強度"}, {"target_pathway", "目標路徑"},
      {"renewable_share", "可再生電力佔比"}, {"pue_by_site", "各數據中心 PUE"}};
  for (size_t i = 0; i < charts.size(); ++i) {
    EXPECT_EQ(charts[i].id, expected[i].first);
    EXPECT_EQ(charts[i].title, expected[i].second);
    Parsed p;
    ASSERT_NO_FATAL_FAILURE(parse(charts[i].svg, &p));
    EXPECT_EQ(std::string(p.svg.child_value("title")), expected[i].second);
    EXPECT_FALSE(has_shown_text(p.svg, "無數據")) << charts[i].id;
    expect_no_nan_or_inf(charts[i].svg);
  }
  // The same input, the same bytes.
  const std::vector<Chart> again = build_charts(in);
  for (size_t i = 0; i < charts.size(); ++i) EXPECT_EQ(again[i].svg, charts[i].svg) << i;
}

TEST(ReportCharts, FiguresLandInTheirCharts) {
  const std::vector<Chart> charts = build_charts(sample_input());
  Parsed share, trend, pathway;
  ASSERT_NO_FATAL_FAILURE(parse(charts[0].svg, &share));
  ASSERT_NO_FATAL_FAILURE(parse(charts[2].svg, &trend));
  ASSERT_NO_FATAL_FAILURE(parse(charts[3].svg, &pathway));
  // 2023: 1,205 / 28,470.4 / 30,525 as in ShareChart.PrintedPercentagesAddUpToOneHundred.
  EXPECT_NEAR(sum_of_printed_percentages(share.svg), 100.0, 1e-9);
  EXPECT_TRUE(has_shown_text(share.svg, "47.3%"));
  // Scope 3 of 2021 is not reported: a gap, not a zero bar (3 + 3 + 2 bars).
  EXPECT_EQ(with_class(trend.svg, "bar").size(), 8u);
  EXPECT_TRUE(shape_with_tooltip(trend.svg, "範疇三 2023年: 30,525 噸二氧化碳當量"));
  EXPECT_TRUE(has_shown_text(trend.svg, "2021年"));
  // Two targets in different units: indexed to their base year = 100.
  // Scope 1 and 2 in 2030: 18,212 / 31,400 = 58.0; PUE: 1.3 / 1.6 = 81.25 -> 81.3.
  EXPECT_TRUE(shape_with_tooltip(pathway.svg, "範疇一及二 （路徑） 2030: 58.0 基準年 = 100"));
  EXPECT_TRUE(shape_with_tooltip(pathway.svg, "PUE （路徑） 2030: 81.3 基準年 = 100"));
}

TEST(ReportCharts, NoFiguresGiveSixNoDataCharts) {
  ChartInput in;
  in.texts.no_data = "No data";
  in.texts.scope_share_title = "Share of scopes";
  const std::vector<Chart> charts = build_charts(in);
  ASSERT_EQ(charts.size(), 6u);
  for (const auto& c : charts) {
    Parsed p;
    ASSERT_NO_FATAL_FAILURE(parse(c.svg, &p));
    EXPECT_TRUE(has_shown_text(p.svg, "No data")) << c.id;
  }
  EXPECT_EQ(charts[0].title, "Share of scopes");
}

}  // namespace
}  // namespace assay::disclose
