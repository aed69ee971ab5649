// The bundled reference package, read by the package reader, ingested and
// loaded back from the ledger, gives the same records in the same order
// (issue 7, item 2: calc from the ledger equals calc from the package). The
// comparison is on the canonical content of every record and its source
// line, table by table.
#include <gtest/gtest.h>

#include "ledger/ledger.hpp"
#include "ledger/record_codec.hpp"
#include "ledger_fixtures.hpp"
#include "package/package_reader.hpp"

namespace assay::ledger_test {
namespace {

using ledger_internal::LedgerTable;

TEST(LedgerRoundTrip, ReferencePackageComesBackUnchanged) {
  ScratchDir dir;
  ReadOptions ro;
  ro.write_quarantine = false;
  PackageReadResult read;
  ASSERT_TRUE(
      read_package(std::string(ASSAY_SOURCE_DIR) + "/examples/reference-2024", ro, &read).is_ok());
  ASSERT_GT(read.package.activities.size(), 0u);

  std::unique_ptr<Ledger> ledger;
  ASSERT_TRUE(Ledger::open(dir.file("l.db"), &ledger).is_ok());
  IngestResult r;
  ASSERT_TRUE(ledger->ingest(read.package, read.content_hash, who("ana", "", 1000), &r).is_ok());
  Package loaded;
  ASSERT_TRUE(ledger->load_package(std::nullopt, &loaded).is_ok());

  size_t records = 0;
  for (LedgerTable table : ledger_internal::kAllTables) {
    const size_t n = ledger_internal::record_count(read.package, table);
    ASSERT_EQ(ledger_internal::record_count(loaded, table), n)
        << ledger_internal::table_name(table);
    for (size_t i = 0; i < n; ++i) {
      auto a = ledger_internal::encode_record(read.package, table, i);
      auto b = ledger_internal::encode_record(loaded, table, i);
      ASSERT_EQ(a.key, b.key) << ledger_internal::table_name(table) << " #" << i;
      ASSERT_EQ(a.content, b.content);
      ASSERT_EQ(a.source.file, b.source.file);
      ASSERT_EQ(a.source.line, b.source.line);
    }
    records += n;
  }
  // Every record became exactly one version (no duplicate keys in the example).
  EXPECT_EQ(r.inserted, records);
  EXPECT_EQ(loaded.reading_files, read.package.reading_files);

  VerifyResult v;
  ASSERT_TRUE(ledger->verify(std::nullopt, &v).is_ok());
  EXPECT_TRUE(v.ok) << v.reason;
}

}  // namespace
}  // namespace assay::ledger_test
