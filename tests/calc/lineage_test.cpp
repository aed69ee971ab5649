// Lineage kept by record groups: leaves in package order across groups,
// diagnostics in package order although records are summed site by site,
// and explain's --top selection (largest first, the rest as one entry).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "calc/explain.hpp"
#include "fixtures.hpp"

namespace assay {
namespace {
using namespace assay::testing;

FactorLibrary grid_library() {
  return FactorLibrary::from_rows({factor("electricity.grid", "CN", "*", "CO2e", "0.5", "t/MWh")},
                                  {}, {});
}

TEST(Lineage, LeavesOfASiteAreInPackageOrderAcrossUnits) {
  Package p = package();
  p.sites = {site("A", "CN"), site("B", "CN")};
  // kWh and MWh bills of A are two record groups; B's record sits between them.
  p.activities = {activity("A1", "A", "electricity.grid", "10", "MWh"),
                  activity("B1", "B", "electricity.grid", "1", "MWh"),
                  activity("A2", "A", "electricity.grid", "40000", "kWh"),
                  activity("A3", "A", "electricity.grid", "20", "MWh")};
  number_lines(&p);
  const FactorLibrary lib = grid_library();
  Inventory inv = compute(p, lib, {});
  const Figure* f = inv.find("ghg.scope2.location", 2024, "A");
  ASSERT_TRUE(f && f->lineage);
  const LeafList& leaves = f->lineage->leaves;
  ASSERT_EQ(leaves.size(), 3u);
  EXPECT_EQ(leaves[0].record->record_id, "A1");
  EXPECT_EQ(leaves[1].record->record_id, "A2");
  EXPECT_EQ(leaves[2].record->record_id, "A3");
  EXPECT_EQ(leaves[0].value, 5.0);   // 10 MWh x 0.5 t/MWh
  EXPECT_EQ(leaves[1].value, 20.0);  // 40 MWh
  EXPECT_EQ(leaves[2].value, 10.0);
  EXPECT_EQ(*f->value, 35.0);
  EXPECT_EQ(f->lineage->leaves.runs().size(), 2u);  // shared record sets, one per unit
}

// Nodes come from an arena each node keeps alive: a figure's lineage stays
// readable after its Inventory is gone (ASan would report a use after free).
TEST(Lineage, OutlivesItsInventory) {
  Package p = package();
  p.sites = {site("A", "CN"), site("B", "CN")};
  p.activities = {activity("A1", "A", "electricity.grid", "10", "MWh"),
                  activity("B1", "B", "electricity.grid", "30", "MWh")};
  p.instruments = {instrument("I1", "", "CN", "20", "0", true)};
  number_lines(&p);
  const FactorLibrary lib = grid_library();
  ContributionPtr covered;
  {
    Inventory inv = compute(p, lib, {});
    const Figure* f = inv.find("renewable.purchased", 2024);
    ASSERT_TRUE(f && f->lineage);
    covered = f->lineage;
  }
  // Pro rata: 20 MWh over 10 + 30 MWh of consumption.
  ASSERT_EQ(covered->children.size(), 2u);
  EXPECT_EQ(covered->value, 20.0);
  EXPECT_EQ(covered->children[0]->label, "site A");
  // A site's instrument leaves are its market split's allocations, made on
  // demand from the split (which the node keeps alive).
  EXPECT_TRUE(covered->children[0]->children.empty());
  ASSERT_EQ(cover_count(*covered->children[0]), 1u);
  const auto a = cover_nodes(*covered->children[0]);
  const auto b = cover_nodes(*covered->children[1]);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0]->label, "I1");
  EXPECT_EQ(a[0]->kind, Contribution::Kind::kInstrument);
  EXPECT_EQ(a[0]->value, 5.0);
  EXPECT_EQ(a[0]->note, "pool CN -> A: 5 MWh at 0 tCO2e/MWh");
  EXPECT_EQ(b[0]->value, 15.0);
}

// Pool allocations are replayed from the pool's shares: the same parts, in the
// same order, as allocating instrument by instrument (three instruments, the
// last one covering what is left of both sites).
TEST(Lineage, PoolAllocationsReplayInOrder) {
  Package p = package();
  p.sites = {site("A", "CN"), site("B", "CN")};
  p.activities = {activity("A1", "A", "electricity.grid", "10", "MWh"),
                  activity("B1", "B", "electricity.grid", "30", "MWh")};
  p.instruments = {instrument("I1", "", "CN", "8", "0", true),
                   instrument("I2", "", "CN", "16", "0.1", false),
                   instrument("I3", "", "CN", "100", "0.2", true)};
  number_lines(&p);
  const FactorLibrary lib = grid_library();
  Inventory inv = compute(p, lib, {});
  const Figure* covered = nullptr;
  for (const Figure& f : inv.intermediates) {
    if (f.id == "_scope2.covered" && f.year == 2024) covered = &f;
  }
  ASSERT_TRUE(covered && covered->lineage);
  ASSERT_EQ(covered->lineage->children.size(), 2u);
  const Contribution& a = *covered->lineage->children[0];
  EXPECT_EQ(a.label, "site A");
  const auto nodes = cover_nodes(a);
  // A: 10 of 40 MWh. I1 8 MWh -> 2 (8 left); I2 16 of 32 -> 4 (4 left); I3 covers all -> 4.
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[0]->label, "I1");
  EXPECT_DOUBLE_EQ(nodes[0]->value, 2.0);
  EXPECT_EQ(nodes[1]->label, "I2");
  EXPECT_DOUBLE_EQ(nodes[1]->value, 4.0);
  EXPECT_EQ(nodes[2]->label, "I3");
  EXPECT_DOUBLE_EQ(nodes[2]->value, 4.0);
  EXPECT_DOUBLE_EQ(a.value, 10.0);
  // renewable.purchased of A: I1 and I3 only.
  const Figure* r = inv.find("renewable.purchased", 2024);
  ASSERT_TRUE(r && r->lineage);
  const Contribution& ra = *r->lineage->children[0];
  ASSERT_EQ(cover_count(ra), 2u);
  EXPECT_EQ(cover_nodes(ra)[1]->label, "I3");
  EXPECT_DOUBLE_EQ(ra.value, 6.0);
  // Market-based: 2 x 0 + 4 x 0.1 + 4 x 0.2 = 1.2 t for A.
  const Figure* m = inv.find("ghg.scope2.market", 2024, "A");
  ASSERT_TRUE(m && m->value);
  EXPECT_NEAR(*m->value, 1.2, 1e-12);
  // 100 - 16 MWh of I3 unused.
  const Figure* u = inv.find("instruments.unused", 2024, "", "CN");
  ASSERT_TRUE(u && u->value);
  EXPECT_DOUBLE_EQ(*u->value, 84.0);
}

TEST(Lineage, DiagnosticsFollowPackageOrderNotSiteOrder) {
  Package p = package();
  // No factor for region ZZ: every grid record of X and Y is an error.
  p.sites = {site("X", "ZZ"), site("Y", "ZZ")};
  p.activities = {activity("X1", "X", "electricity.grid", "1", "MWh"),
                  activity("Y1", "Y", "electricity.grid", "2", "MWh"),
                  activity("X2", "X", "electricity.grid", "3", "MWh")};
  number_lines(&p);
  const FactorLibrary lib = grid_library();
  Inventory inv = compute(p, lib, {});
  std::vector<std::string> records;
  for (const auto& d : inv.diagnostics.items()) {
    if (d.code == "factor_missing" && d.metric == "ghg.scope2.location")
      records.push_back(d.record);
  }
  EXPECT_EQ(records, (std::vector<std::string>{"X1", "Y1", "X2"}));
  const Figure* f = inv.find("ghg.scope2.location", 2024);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->status, FigureStatus::kIncomplete);
}

TEST(Explain, TopShowsTheLargestFirstAndTheRestAsOneEntry) {
  Package p = package();
  p.sites = {site("A", "CN")};
  p.activities = {activity("R1", "A", "electricity.grid", "10", "MWh"),
                  activity("R2", "A", "electricity.grid", "40", "MWh"),
                  activity("R3", "A", "electricity.grid", "20", "MWh"),
                  activity("R4", "A", "electricity.grid", "30", "MWh")};
  number_lines(&p);
  const FactorLibrary lib = grid_library();
  Inventory inv = compute(p, lib, {});
  const Figure* f = inv.find("ghg.scope2.location", 2024, "A");
  ASSERT_TRUE(f);
  ExplainOptions top2;
  top2.top = 2;
  auto doc = nlohmann::json::parse(explain_json(*f, top2));
  const auto& children = doc["tree"]["children"];
  ASSERT_EQ(children.size(), 3u);
  EXPECT_EQ(children[0]["record"], "R2");
  EXPECT_EQ(children[0]["value"].get<double>(), 20.0);
  EXPECT_EQ(children[1]["record"], "R4");
  EXPECT_EQ(children[1]["value"].get<double>(), 15.0);
  EXPECT_EQ(children[2]["kind"], "omitted");
  EXPECT_EQ(children[2]["count"], 2);
  EXPECT_EQ(children[2]["value"].get<double>(), 15.0);  // R1 5 + R3 10
  EXPECT_EQ(children[2]["label"], "2 more contributions");

  // Without a limit (or with one not reached) every leaf shows, in package order.
  for (size_t top : {size_t{0}, size_t{4}}) {
    ExplainOptions o;
    o.top = top;
    auto all = nlohmann::json::parse(explain_json(*f, o));
    ASSERT_EQ(all["tree"]["children"].size(), 4u);
    EXPECT_EQ(all["tree"]["children"][0]["record"], "R1");
    EXPECT_EQ(all["tree"]["children"][3]["record"], "R4");
  }

  const std::string text = explain_text(*f, top2);
  EXPECT_NE(text.find("  R2 = 20 tCO2e (40.00%)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  ... 2 more contributions = 15 tCO2e (30.00%)\n"), std::string::npos)
      << text;
  EXPECT_LT(text.find("R2 ="), text.find("R4 ="));
  EXPECT_EQ(text.find("R1 ="), std::string::npos);
}

TEST(Explain, TopTiesKeepPackageOrder) {
  Package p = package();
  p.sites = {site("A", "CN")};
  p.activities = {activity("T1", "A", "electricity.grid", "10", "MWh"),
                  activity("T2", "A", "electricity.grid", "30", "MWh"),
                  activity("T3", "A", "electricity.grid", "30", "MWh")};
  number_lines(&p);
  const FactorLibrary lib = grid_library();
  Inventory inv = compute(p, lib, {});
  ExplainOptions top1;
  top1.top = 1;
  auto doc = nlohmann::json::parse(explain_json(*inv.find("ghg.scope2.location", 2024, "A"), top1));
  const auto& children = doc["tree"]["children"];
  ASSERT_EQ(children.size(), 2u);
  EXPECT_EQ(children[0]["record"], "T2");
  EXPECT_EQ(children[1]["count"], 2);
  EXPECT_EQ(children[1]["value"].get<double>(), 20.0);  // T1 5 + T3 15
}

}  // namespace
}  // namespace assay
