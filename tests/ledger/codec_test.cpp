// The canonical content the ledger hashes (docs/ledger-schema.md, "Canonical
// content"). Expected strings are written out by hand from the rules: keys in
// byte order, no spaces, decimals as canonical text, dates YYYY-MM-DD.
#include <gtest/gtest.h>

#include "ledger/record_codec.hpp"
#include "ledger_fixtures.hpp"

namespace assay::ledger_test {
namespace {

using ledger_internal::encode_record;
using ledger_internal::LedgerTable;

TEST(RecordCodec, ActivityContentIsCanonical) {
  Package p;
  p.activities.push_back(activity("A-1", "2024-01-01", "2024-01-31", "1234.50", 7));
  auto rec = encode_record(p, LedgerTable::kActivities, 0);
  EXPECT_EQ(rec.key, "A-1");
  EXPECT_EQ(rec.content,
            R"({"activity":"electricity.grid","end":"2024-01-31","evidence":"INV-A-1","note":"",)"
            R"("quantity":"1234.5","record_id":"A-1","scope3_category":0,"site_id":"S1",)"
            R"("start":"2024-01-01","unit":"kWh"})");
  EXPECT_EQ(rec.source.line, 7);
}

TEST(RecordCodec, CompositeKeysAreJsonArraysOfStrings) {
  Package p = small_package();
  EXPECT_EQ(encode_record(p, LedgerTable::kWorkforce, 0).key,
            R"(["2024","headcount","gender","female"])");
  EXPECT_EQ(encode_record(p, LedgerTable::kDisclosures, 0).key,
            R"(["2024","water.withdrawal",""])");
  EXPECT_EQ(encode_record(p, LedgerTable::kManifest, 0).key, "manifest");
}

TEST(RecordCodec, EveryTableRoundTrips) {
  Package p = small_package();
  Instrument n;
  n.instrument_id = "I-1";
  n.kind = InstrumentKind::kPpa;
  n.grid_region = "CN-East";
  n.start = date("2024-01-01");
  n.end = date("2024-12-31");
  n.mwh = dec("1500");
  n.emission_factor = dec("0");
  n.renewable = true;
  p.instruments.push_back(n);
  FactorRow f;
  f.factor_set = "user";
  f.key = "electricity.grid";
  f.region = "HK";
  f.year = "*";
  f.quantity = "co2e";
  f.value = dec("0.39");
  f.unit = "kgCO2e/kWh";
  p.user_factors.push_back(f);
  Meter m;
  m.meter_id = "M-1";
  m.site_id = "S1";
  m.role = MeterRole::kIt;
  m.unit = "kWh";
  p.meters.push_back(m);
  TargetRow t;
  t.target_id = "T-1";
  t.metric = "ghg.scope12";
  t.kind = "reduction";
  t.base_year = 2023;
  t.base_value = dec("100.25");
  t.target_year = 2030;
  t.target_value = dec("42");
  p.targets.push_back(t);

  Package back;
  for (LedgerTable table : ledger_internal::kAllTables) {
    for (size_t i = 0; i < ledger_internal::record_count(p, table); ++i) {
      auto rec = encode_record(p, table, i);
      ledger_internal::decode_record(table, rec.content, rec.source, &back);
    }
  }
  // Encoding what was decoded gives the same bytes.
  for (LedgerTable table : ledger_internal::kAllTables) {
    ASSERT_EQ(ledger_internal::record_count(back, table), ledger_internal::record_count(p, table));
    for (size_t i = 0; i < ledger_internal::record_count(p, table); ++i) {
      EXPECT_EQ(encode_record(back, table, i).content, encode_record(p, table, i).content)
          << ledger_internal::table_name(table);
    }
  }
  EXPECT_EQ(back.instruments[0].kind, InstrumentKind::kPpa);
  EXPECT_EQ(back.meters[0].role, MeterRole::kIt);
  EXPECT_EQ(back.targets[0].base_value->to_string(), "100.25");
  EXPECT_EQ(back.user_factors[0].year, "*");
}

TEST(RecordCodec, YearsTouched) {
  Package p = small_package();
  auto a = encode_record(p, LedgerTable::kActivities, 1);  // 2023-12-01..2023-12-31
  EXPECT_EQ(ledger_internal::years_touched(LedgerTable::kActivities, a.content),
            std::make_pair(2023, 2023));
  p.activities[1].end = date("2025-01-15");
  a = encode_record(p, LedgerTable::kActivities, 1);
  EXPECT_EQ(ledger_internal::years_touched(LedgerTable::kActivities, a.content),
            std::make_pair(2023, 2025));
  auto w = encode_record(p, LedgerTable::kWorkforce, 0);
  EXPECT_EQ(ledger_internal::years_touched(LedgerTable::kWorkforce, w.content),
            std::make_pair(2024, 2024));
  auto s = encode_record(p, LedgerTable::kSites, 0);
  EXPECT_FALSE(ledger_internal::years_touched(LedgerTable::kSites, s.content).has_value());
}

}  // namespace
}  // namespace assay::ledger_test
