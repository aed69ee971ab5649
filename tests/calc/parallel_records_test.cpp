// Records are added on two threads (split by site) when a year has many of
// them (CalcOptions::parallel_min_records). Both paths must give the same
// bits: every figure, its status, the order of its leaves, and every
// diagnostic in package order. The threshold is lowered here so that a small
// package takes the parallel path; a wrong split, a sum added out of order or
// diagnostics merged out of order would make the two inventories differ.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <tuple>

#include "fixtures.hpp"

namespace assay {
namespace {
using namespace assay::testing;

// 40 sites in three regions (ZZ has no factor: every grid record there is a
// factor_missing error, one per record, on both threads), records of several
// activities and units interleaved across sites in package order.
Package mixed_package() {
  Package p = package();
  const char* regions[] = {"CN", "CN-East", "ZZ"};
  for (int i = 0; i < 40; ++i) {
    p.sites.push_back(site("S" + std::to_string(i), regions[i % 3]));
  }
  const char* kinds[][2] = {{"electricity.grid", "MWh"},
                            {"electricity.grid", "kWh"},
                            {"fuel.diesel.stationary", "L"},
                            {"refrigerant.HFC-134a", "kg"}};
  for (int n = 0; n < 3000; ++n) {
    const int s = (n * 7 + n / 13) % 40;
    const auto& k = kinds[(n / 3) % 4];
    const std::string qty = std::to_string(1 + (n * 37) % 1000) + "." + std::to_string(n % 10);
    p.activities.push_back(
        activity("R" + std::to_string(n), "S" + std::to_string(s), k[0], qty, k[1]));
  }
  // Instruments: bound to sites on both halves, and pools of CN-East and CN
  // that cover many sites pro rata (market-based scope 2 per site).
  p.instruments.push_back(instrument("I-S1", "S1", "CN-East", "0.5", "0", true));
  p.instruments.push_back(instrument("I-S37", "S37", "CN", "0.2", "0.1", false));
  p.instruments.push_back(instrument("I-EAST", "", "CN-East", "3", "0.05", true));
  p.instruments.push_back(instrument("I-CN", "", "CN", "2.5", "0.2", false));
  number_lines(&p);
  return p;
}

FactorLibrary mixed_library() {
  return FactorLibrary::from_rows(
      {factor("electricity.grid", "CN", "*", "CO2e", "0.5", "t/MWh"),
       factor("electricity.grid", "CN-East", "*", "CO2e", "0.45", "t/MWh"),
       factor("fuel.diesel.stationary", "*", "*", "CO2", "2.7", "kg/L"),
       factor("fuel.diesel.stationary", "*", "*", "energy", "0.0100", "MWh/L"),
       factor("gwp100", "*", "*", "HFC-134a", "1530", "1")},
      {}, {});
}

std::vector<std::string> leaf_ids(const Figure& f) {
  std::vector<std::string> ids;
  if (!f.lineage) return ids;
  for (const auto& child : f.lineage->children) {
    child->leaves.for_each(
        [&](const RecordLeaf& l) { ids.emplace_back(l.record ? l.record->record_id : ""); });
  }
  f.lineage->leaves.for_each(
      [&](const RecordLeaf& l) { ids.emplace_back(l.record ? l.record->record_id : ""); });
  return ids;
}

// A figure's site rows as lineage shows them: label, value bits and leaf
// count of each child node (finalize makes the site nodes on two threads).
std::vector<std::string> child_nodes(const Figure& f) {
  std::vector<std::string> out;
  if (!f.lineage) return out;
  for (const auto& child : f.lineage->children) {
    uint64_t bits = 0;
    std::memcpy(&bits, &child->value, sizeof bits);
    out.push_back(child->label + " " + std::to_string(bits) + " " +
                  std::to_string(child->leaves.size()));
  }
  return out;
}

// Every figure of `a` and `b` the same: id, site, category, status and the
// same bits of its value (not merely close: sums add in the same order).
// Returns how many figures have a value with id `count_id` (any id if empty).
size_t expect_same_figures(const Inventory& a, const Inventory& b,
                           const std::string& count_id = {}) {
  EXPECT_EQ(a.figures.size(), b.figures.size());
  if (a.figures.size() != b.figures.size()) return 0;
  // compute()'s order (inventory.hpp): by id, year, site, category.
  auto key = [](const Figure& f) { return std::tie(f.id, f.year, f.site, f.category); };
  for (const Inventory* inv : {&a, &b}) {
    for (size_t i = 1; i < inv->figures.size(); ++i) {
      EXPECT_LT(key(inv->figures[i - 1]), key(inv->figures[i])) << inv->figures[i].id;
    }
  }
  size_t counted = 0;
  for (size_t i = 0; i < a.figures.size(); ++i) {
    const Figure& x = a.figures[i];
    const Figure& y = b.figures[i];
    SCOPED_TRACE(x.id + " " + x.site + " " + x.category);
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.site, y.site);
    EXPECT_EQ(x.category, y.category);
    EXPECT_EQ(x.status, y.status);
    EXPECT_EQ(x.value.has_value(), y.value.has_value());
    if (x.value && y.value) {
      EXPECT_EQ(std::memcmp(&*x.value, &*y.value, sizeof(double)), 0)
          << *x.value << " " << *y.value;
      counted += count_id.empty() || x.id == count_id;
    }
  }
  return counted;
}

TEST(ParallelRecords, SameInventoryOnOneAndTwoThreads) {
  const Package p = mixed_package();
  const FactorLibrary lib = mixed_library();
  CalcOptions serial;
  serial.parallel_min_records = SIZE_MAX;
  CalcOptions parallel;
  parallel.parallel_min_records = 1;
  const Inventory a = compute(p, lib, serial);
  const Inventory b = compute(p, lib, parallel);

  EXPECT_GT(expect_same_figures(a, b), 80u);
  for (size_t i = 0; i < a.figures.size() && i < b.figures.size(); ++i) {
    EXPECT_EQ(leaf_ids(a.figures[i]), leaf_ids(b.figures[i])) << a.figures[i].id;
    EXPECT_EQ(child_nodes(a.figures[i]), child_nodes(b.figures[i])) << a.figures[i].id;
  }

  const auto& da = a.diagnostics.items();
  const auto& db = b.diagnostics.items();
  ASSERT_EQ(da.size(), db.size());
  size_t missing = 0;
  for (size_t i = 0; i < da.size(); ++i) {
    EXPECT_EQ(da[i].code, db[i].code);
    EXPECT_EQ(da[i].record, db[i].record);
    EXPECT_EQ(da[i].line, db[i].line);
    EXPECT_EQ(da[i].message, db[i].message);
    missing += da[i].code == "factor_missing";
  }
  // Grid records of ZZ sites (every third site): one error each, in package order.
  EXPECT_GT(missing, 100u);
  int64_t last_line = 0;
  for (const auto& d : db) {
    if (d.code != "factor_missing" || d.metric != "ghg.scope2.location") continue;
    EXPECT_GT(d.line, last_line);
    last_line = d.line;
  }
}

// A package read in parts holds its records in segments (one per part);
// calc cuts the records in two halves by index, across segments. Segments of
// any sizes, one thread or two, give the same bits.
TEST(ParallelRecords, SameInventoryWhenRecordsAreInSegments) {
  const Package p = mixed_package();
  const FactorLibrary lib = mixed_library();
  CalcOptions serial;
  serial.parallel_min_records = SIZE_MAX;
  const Inventory a = compute(p, lib, serial);
  for (std::vector<size_t> sizes :
       {std::vector<size_t>{1500, 1500}, std::vector<size_t>{1, 1498, 2, 1499},
        std::vector<size_t>{2999, 1}}) {
    Package q = p;
    q.activities.clear();
    size_t at = 0;
    for (size_t n : sizes) {
      ActivityList part;
      for (size_t i = 0; i < n; ++i) part.push_back(p.activities[at++]);
      q.activities.append(std::move(part));
    }
    ASSERT_EQ(q.activities.size(), p.activities.size());
    ASSERT_EQ(q.activities.segment_count(), sizes.size());
    for (size_t min_records : {size_t{1}, SIZE_MAX}) {
      SCOPED_TRACE(std::to_string(sizes.size()) + " segments, parallel from " +
                   std::to_string(min_records));
      CalcOptions options;
      options.parallel_min_records = min_records;
      const Inventory b = compute(q, lib, options);
      EXPECT_GT(expect_same_figures(a, b), 80u);
      for (size_t i = 0; i < a.figures.size() && i < b.figures.size(); ++i) {
        EXPECT_EQ(leaf_ids(a.figures[i]), leaf_ids(b.figures[i])) << a.figures[i].id;
      }
      ASSERT_EQ(a.diagnostics.items().size(), b.diagnostics.items().size());
      for (size_t i = 0; i < a.diagnostics.items().size(); ++i) {
        EXPECT_EQ(a.diagnostics.items()[i].message, b.diagnostics.items()[i].message);
        EXPECT_EQ(a.diagnostics.items()[i].line, b.diagnostics.items()[i].line);
      }
    }
  }
}

// The market-based split visits sites in site-id order whatever the order of
// sites.csv (it kept them in maps keyed by id before it kept them by index):
// the same package with its sites listed in reverse gives the same bits for
// every figure. Site-bound instruments, a sub-national pool (CN-East) and a
// national one (CN), partly covering: every step of the split is in play.
TEST(ParallelRecords, SiteOrderDoesNotChangeTheSplit) {
  Package p = mixed_package();
  p.instruments = {instrument("B1", "S1", "CN-East", "150", "0", true),
                   instrument("B2", "S3", "CN", "90", "0.2", false),
                   instrument("P1", "", "CN-East", "4000", "0.1", true),
                   instrument("P2", "", "CN-East", "2500", "0.3", false),
                   instrument("P3", "", "CN", "9000", "0", true),
                   instrument("P4", "", "CN", "7000", "0.05", false)};
  number_lines(&p);
  const FactorLibrary lib = mixed_library();
  Package reversed = p;
  std::reverse(reversed.sites.begin(), reversed.sites.end());
  const Inventory a = compute(p, lib, {});
  const Inventory b = compute(reversed, lib, {});
  EXPECT_GT(expect_same_figures(a, b, "ghg.scope2.market"), 20u);
  // The pools were used, not left whole.
  const Figure* unused = a.find("instruments.unused", 2024, "", "CN-East");
  EXPECT_TRUE(unused == nullptr || !unused->value || *unused->value < 6500.0);
}

}  // namespace
}  // namespace assay
