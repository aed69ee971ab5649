// The ledger's hand-written canonical JSON writer (src/ledger/record_codec.cpp,
// made for ingest speed) must give exactly the bytes of the definition in
// docs/ledger-schema.md: nlohmann::json with sorted keys, compact, strict
// UTF-8. Checked by re-dumping every record of the reference package and of
// records holding every kind of character through nlohmann::json.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ledger/ledger.hpp"
#include "ledger/record_codec.hpp"
#include "package/package_reader.hpp"

namespace assay {
namespace {

using ledger_internal::encode_record;
using ledger_internal::LedgerTable;

std::string nlohmann_canonical(const std::string& content) {
  return nlohmann::json::parse(content).dump(-1, ' ', false,
                                             nlohmann::json::error_handler_t::strict);
}

void expect_canonical(const Package& p) {
  for (LedgerTable t : ledger_internal::kAllTables) {
    for (size_t i = 0; i < ledger_internal::record_count(p, t); ++i) {
      auto rec = encode_record(p, t, i);
      EXPECT_EQ(rec.content, nlohmann_canonical(rec.content)) << ledger_internal::table_name(t);
      if (ledger_internal::has_composite_key(t)) {
        EXPECT_EQ(rec.key, nlohmann_canonical(rec.key));
      }
    }
  }
}

TEST(CanonicalCodec, ReferencePackageMatchesNlohmann) {
  PackageReadResult r;
  ReadOptions o;
  o.write_quarantine = false;
  ASSERT_TRUE(read_package(std::string(ASSAY_SOURCE_DIR) + "/examples/reference-2024", o, &r));
  ASSERT_GT(r.package.activities.size(), 1000u);
  expect_canonical(r.package);
}

TEST(CanonicalCodec, EveryKindOfCharacter) {
  const std::string nasty =
      std::string("q\"b\\s/ \b\f\n\r\t \x01\x1f\x7f") + std::string(1, '\0') +
      " \xc3\xa9 \xe7\xa2\xb3\xe6\x8e\x92\xe6\x94\xbe \xf0\x9f\x8c\xb1 \xef\xbf\xbf";
  Package p;
  ActivityRecord a;
  a.record_id = p.keep("A-" + nasty);
  a.site_id = "S1";
  a.start = *parse_date("0999-01-01");
  a.end = *parse_date("2024-12-31");
  a.activity = "electricity.grid";
  a.quantity = *Decimal::parse("-0.000123");
  a.unit = "kWh";
  a.scope3_category = 15;
  a.evidence = p.keep(nasty);
  a.note = p.keep(nasty);
  p.activities.push_back(a);
  Site s;
  s.site_id = "S1";
  s.name = nasty;
  s.opened = 2024 * 12 + 2;
  p.sites.push_back(s);
  WorkforceRow w;
  w.year = 2024;
  w.measure = "head,count";
  w.dimension = "\"gender\"";
  w.category = nasty;
  w.value = *Decimal::parse("12");
  p.workforce.push_back(w);
  TargetRow t;
  t.target_id = "T1";
  t.base_year = -1;
  t.target_year = 2030;
  t.target_value = *Decimal::parse("70");
  p.targets.push_back(t);
  DisclosureRow d;
  d.year = 2024;
  d.metric = "x.custom";
  d.not_material = true;
  p.disclosures.push_back(d);
  expect_canonical(p);
  EXPECT_NE(encode_record(p, LedgerTable::kActivities, 0).content.find("\\u0001\\u001f\x7f\\u0000"),
            std::string::npos);
}

TEST(CanonicalCodec, InvalidUtf8IsRefused) {
  for (const char* bad : {"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\x80"}) {
    Package p;
    Meter m;
    m.meter_id = std::string("M-") + bad;
    p.meters.push_back(m);
    EXPECT_THROW(encode_record(p, LedgerTable::kMeters, 0), std::exception) << bad;
  }
}

}  // namespace
}  // namespace assay
