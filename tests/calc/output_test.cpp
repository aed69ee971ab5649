// The calc document (spec/data-package.md, Outputs), determinism, the run
// hash, and explain trees whose leaves sum to the root.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "calc/calc_json.hpp"
#include "calc/explain.hpp"
#include "fixtures.hpp"

namespace assay {
namespace {
using namespace assay::testing;

std::vector<FactorRow> rows() {
  return {factor("electricity.grid", "CN", "*", "CO2e", "0.5", "t/MWh"),
          factor("electricity.residual_mix", "CN-East", "*", "CO2e", "0.6", "t/MWh"),
          factor("heat.purchased", "CN", "*", "CO2e", "0.11", "t/GJ"),
          factor("HFC-32", "*", "*", "gwp100", "771", "1"),
          factor("HFC-125", "*", "*", "gwp100", "3740", "1"),
          factor("blend.R-410A", "*", "*", "HFC-32", "0.5", "kg/kg"),
          factor("blend.R-410A", "*", "*", "HFC-125", "0.5", "kg/kg"),
          factor("scope3.spend.c1", "*", "*", "CO2e", "0.5", "kg/CNY")};
}

Package sample() {
  Package p = package({2023, 2024});
  p.manifest.revenue[2024] = dec("660257");
  p.sites = {site("A", "CN-East"), site("B", "CN-East"), site("C", "CN-North"),
             site("O", "CN", SiteKind::kOffice, false)};
  p.activities = {
      activity("E1", "A", "electricity.grid", "100", "MWh"),
      activity("E2", "B", "electricity.grid", "123456.789", "kWh", "2023-07-01", "2024-06-30"),
      activity("E3", "B", "electricity.grid", "77", "MWh"),
      activity("E4", "C", "electricity.grid", "210.5", "MWh"),
      activity("E5", "O", "electricity.grid", "40", "MWh"),
      activity("H1", "C", "heat.purchased", "33.3", "GJ"),
      activity("F1", "A", "refrigerant.R-410A", "1.7", "kg"),
      activity("S1", "A", "scope3.spend", "250000", "CNY", "2024-01-01", "2024-12-31", 1)};
  p.instruments = {instrument("I1", "A", "CN-East", "30", "0", true),
                   instrument("I2", "", "CN-East", "45.5", "0", true),
                   instrument("I3", "", "CN", "100", "0.2", false),
                   instrument("I4", "", "CN-West", "5", "0", true)};
  number_lines(&p);
  return p;
}

FactorLibrary lib_with(std::vector<FactorRow> r) { return FactorLibrary::from_rows(r, {}, {}); }

TEST(Output, TwoRunsAreByteIdenticalAndTheHashFollowsTheFactors) {
  Package p = sample();
  auto lib = lib_with(rows());
  std::string h1 = compute_run_hash("pkg-hash", lib, "0.1.0");
  std::string a = calc_document_json("Test", 2024, h1, compute(p, lib, {}));
  std::string b = calc_document_json("Test", 2024, compute_run_hash("pkg-hash", lib, "0.1.0"),
                                     compute(p, lib_with(rows()), {}));
  EXPECT_EQ(a, b);
  EXPECT_EQ(h1.rfind("sha256:", 0), 0u);
  EXPECT_EQ(h1.size(), 7u + 64u);
  auto changed = rows();
  changed[0].value = dec("0.5001");
  EXPECT_NE(compute_run_hash("pkg-hash", lib_with(changed), "0.1.0"), h1);
  EXPECT_NE(compute_run_hash("pkg-hash2", lib, "0.1.0"), h1);
  EXPECT_NE(compute_run_hash("pkg-hash", lib, "0.1.1"), h1);
}

TEST(Output, DocumentShapeSortOrderAndRoundTripNumbers) {
  Package p = sample();
  Inventory inv = compute(p, lib_with(rows()), {});
  auto doc = nlohmann::json::parse(calc_document_json("Test", 2024, "sha256:x", inv));
  EXPECT_EQ(doc["package"], "Test");
  EXPECT_EQ(doc["reporting_year"], 2024);
  const auto& metrics = doc["metrics"];
  ASSERT_EQ(metrics.size(), inv.figures.size());
  auto key = [](const nlohmann::json& m) {
    return std::make_tuple(m["id"].get<std::string>(), m["year"].get<int>(),
                           m.value("site", std::string()), m.value("category", std::string()));
  };
  for (size_t i = 1; i < metrics.size(); ++i) EXPECT_LT(key(metrics[i - 1]), key(metrics[i]));
  for (size_t i = 0; i < metrics.size(); ++i) {
    const Figure& f = inv.figures[i];
    if (f.value) {
      // The printed number reads back to the same double.
      EXPECT_EQ(metrics[i]["value"].get<double>(), *f.value) << f.id;
      EXPECT_FALSE(metrics[i].contains("status"));
    } else {
      EXPECT_TRUE(metrics[i]["value"].is_null());
      EXPECT_TRUE(metrics[i]["status"] == "not_available" || metrics[i]["status"] == "incomplete");
    }
  }
  // 0.1 + 0.2 style values print shortest round-trip, not 17 digits.
  std::string s;
  json_append_number(&s, 0.1 + 0.2);
  EXPECT_EQ(s, "0.30000000000000004");
  s.clear();
  json_append_number(&s, 2863848.7);
  EXPECT_EQ(s, "2863848.7");
  // Warnings carry code, message and their context.
  bool saw_unused = false;
  for (const auto& w : doc["warnings"]) {
    EXPECT_TRUE(w.contains("code") && w.contains("message"));
    if (w["code"] == "instrument_unused") {
      saw_unused = true;
      EXPECT_EQ(w["region"], "CN-West");
    }
  }
  EXPECT_TRUE(saw_unused);
}

// Leaves (nodes without children) of an explain tree, with their values.
void leaves(const nlohmann::json& node, std::vector<const nlohmann::json*>* out) {
  if (!node.contains("children")) {
    out->push_back(&node);
    return;
  }
  for (const auto& c : node["children"]) leaves(c, out);
}

void expect_leaves_sum_to_root(const Inventory& inv, const std::string& id, int year,
                               size_t expected_records, const std::string& site = {},
                               const std::string& category = {}) {
  const Figure* f = inv.find(id, year, site, category);
  ASSERT_TRUE(f && f->value) << id;
  auto doc = nlohmann::json::parse(explain_json(*f, {}));
  std::vector<const nlohmann::json*> ls;
  leaves(doc["tree"], &ls);
  double sum = 0;
  size_t records = 0;
  for (const auto* l : ls) {
    sum += (*l)["value"].get<double>();
    if ((*l)["kind"] == "record") {
      ++records;
      EXPECT_TRUE(l->contains("record"));
      EXPECT_TRUE(l->contains("evidence"));
    }
  }
  EXPECT_NEAR(sum, *f->value, 1e-9 * std::max(1.0, std::fabs(*f->value))) << id;
  EXPECT_EQ(records, expected_records) << id;
  EXPECT_EQ(ls.size(), expected_records) << id;
}

TEST(Explain, LeavesSumToTheRootAndAreTheRecords) {
  const Package p = sample();  // the inventory points into the package and library
  const FactorLibrary lib = lib_with(rows());
  Inventory inv = compute_with_metrics(p, lib, {});
  // 2024 market-based scope 2: grid records E1, E2, E3, E4 and heat H1 (E5 is outside).
  expect_leaves_sum_to_root(inv, "ghg.scope2.market", 2024, 5);
  expect_leaves_sum_to_root(inv, "ghg.scope2.location", 2024, 5);
  expect_leaves_sum_to_root(inv, "ghg.scope2.market", 2024, 2, "B");
  // total market: F1 (scope 1), 5 scope 2, S1 + E5 (scope 3: category 1 and 8)
  expect_leaves_sum_to_root(inv, "ghg.total.market", 2024, 8);
  // a ratio: intensity leaves are the same records, scaled by 1 / revenue
  expect_leaves_sum_to_root(inv, "ghg.intensity.market", 2024, 8);
  // 2023: only E2 overlaps (apportioned by days)
  expect_leaves_sum_to_root(inv, "ghg.scope2.market", 2023, 1);
  // gas split of a blend: one leaf per record and gas
  expect_leaves_sum_to_root(inv, "ghg.scope1.gas", 2024, 1, "", "HFC-32");
}

TEST(Explain, TextNamesRecordsEvidenceAndCitations) {
  const Package p = sample();
  const FactorLibrary lib = lib_with(rows());
  Inventory inv = compute(p, lib, {});
  const Figure* f = inv.find("ghg.scope2.market", 2024);
  ASSERT_TRUE(f);
  std::string text = explain_text(*f, {});
  for (const char* needle : {"E1", "EV-E1", "I1", "test fixture electricity.residual_mix",
                             "site instrument", "pool CN", "residual mix"}) {
    EXPECT_NE(text.find(needle), std::string::npos) << needle << "\n" << text;
  }
  std::string shallow = explain_text(*f, ExplainOptions{1});
  EXPECT_EQ(shallow.find("EV-E1"), std::string::npos);
  EXPECT_NE(shallow.find("site A"), std::string::npos);
}

}  // namespace
}  // namespace assay
