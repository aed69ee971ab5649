// Versioning, idempotence, tombstones, as-of reads, locks and sign-off.
// Expected counts are worked out from small_package() (ledger_fixtures.hpp):
// 7 records = manifest + S1 + A-001..A-003 + one workforce row + one disclosure.
#include <gtest/gtest.h>

#include "ledger/ledger.hpp"
#include "ledger_fixtures.hpp"

namespace assay::ledger_test {
namespace {

std::unique_ptr<Ledger> open_ledger(const std::string& path) {
  std::unique_ptr<Ledger> ledger;
  Status s = Ledger::open(path, &ledger);
  EXPECT_TRUE(s.is_ok()) << s.message();
  return ledger;
}

TEST(LedgerOpen, CreatesSchemaInWalModeAndReopens) {
  ScratchDir dir;
  const std::string path = dir.file("l.db");
  { open_ledger(path); }
  { open_ledger(path); }  // reopening an up-to-date file applies nothing
  RawDb raw(path);
  EXPECT_EQ(raw.text("PRAGMA user_version"), "1");
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.text("PRAGMA application_id"), std::to_string(0x41535359));
  EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
}

TEST(LedgerOpen, RefusesAnotherKindOfSqliteFile) {
  ScratchDir dir;
  const std::string path = dir.file("other.db");
  {
    RawDb raw(path);
    ASSERT_EQ(raw.exec("CREATE TABLE t(x)"), "");
  }
  std::unique_ptr<Ledger> ledger;
  Status s = Ledger::open(path, &ledger);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.message(), path + " is not an Assay ledger (it is a SQLite file of another kind)");
}

TEST(LedgerOpen, RefusesANewerSchema) {
  ScratchDir dir;
  const std::string path = dir.file("l.db");
  { open_ledger(path); }
  {
    RawDb raw(path);
    ASSERT_EQ(raw.exec("PRAGMA user_version = 9"), "");
  }
  std::unique_ptr<Ledger> ledger;
  Status s = Ledger::open(path, &ledger);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("schema version 9, newer than this assay knows (1)"),
            std::string::npos)
      << s.message();
}

TEST(LedgerIngest, FirstIngestInsertsEveryRecordAsVersionOne) {
  ScratchDir dir;
  auto ledger = open_ledger(dir.file("l.db"));
  IngestResult r;
  ASSERT_TRUE(ledger->ingest(small_package(), "hash-1", who("ana", "initial", 1000), &r).is_ok());
  EXPECT_EQ(r.batch_id, 1);
  EXPECT_EQ(r.inserted, 7u);
  EXPECT_EQ(r.updated, 0u);
  EXPECT_EQ(r.tombstoned, 0u);
  EXPECT_EQ(r.unchanged, 0u);
  EXPECT_EQ(r.created_at, 1000);
  RawDb raw(dir.file("l.db"));
  EXPECT_EQ(raw.count("SELECT count(*) FROM record_version WHERE version = 1"), 7);
  EXPECT_EQ(raw.text("SELECT package_name || '|' || content_hash || '|' || user || '|' || reason "
                     "FROM batch"),
            "group-2024|hash-1|ana|initial");
  EXPECT_EQ(raw.count("SELECT count(*) FROM audit_log WHERE kind = 'ingest'"), 1);
  EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok");
}

TEST(LedgerIngest, IdenticalContentAgainChangesNothing) {
  ScratchDir dir;
  auto ledger = open_ledger(dir.file("l.db"));
  IngestResult r;
  ASSERT_TRUE(ledger->ingest(small_package(), "hash-1", who("ana", "", 1000), &r).is_ok());
  std::string head_before;
  ASSERT_TRUE(ledger->chain_head(&head_before).is_ok());

  // Same records; only line numbers and the written form of a decimal differ
  // ("500.0" is the value 500): not a change.
  Package again = small_package();
  again.activities[2].quantity = dec("500.0");
  for (auto& a : again.activities) a.source.line += 10;
  ASSERT_TRUE(ledger->ingest(again, "hash-2", who("bo", "resubmit", 2000), &r).is_ok());
  EXPECT_EQ(r.batch_id, 0);
  EXPECT_EQ(r.inserted + r.updated + r.tombstoned, 0u);
  EXPECT_EQ(r.unchanged, 7u);

  std::string head_after;
  ASSERT_TRUE(ledger->chain_head(&head_after).is_ok());
  EXPECT_EQ(head_after, head_before);
  RawDb raw(dir.file("l.db"));
  EXPECT_EQ(raw.count("SELECT count(*) FROM batch"), 1);
  EXPECT_EQ(raw.count("SELECT count(*) FROM record_version"), 7);
  EXPECT_EQ(raw.count("SELECT count(*) FROM audit_log"), 1);
}

TEST(LedgerIngest, CorrectionIsVersionTwoAndVersionOneStaysReadable) {
  ScratchDir dir;
  auto ledger = open_ledger(dir.file("l.db"));
  IngestResult r;
  ASSERT_TRUE(ledger->ingest(small_package(), "h1", who("ana", "initial", 1000), &r).is_ok());
  Package corrected = small_package();
  corrected.activities[2].quantity = dec("550");  // A-002: 500 -> 550 kWh
  ASSERT_TRUE(ledger->ingest(corrected, "h2", who("bo", "meter misread", 2000), &r).is_ok());
  EXPECT_EQ(r.batch_id, 2);
  EXPECT_EQ(r.updated, 1u);
  EXPECT_EQ(r.unchanged, 6u);
  EXPECT_EQ(r.inserted, 0u);

  std::vector<RecordVersion> versions;
  ASSERT_TRUE(ledger->history("activities", "A-002", &versions).is_ok());
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].version, 1);
  EXPECT_EQ(versions[0].user, "ana");
  EXPECT_EQ(versions[0].reason, "initial");
  EXPECT_EQ(versions[0].created_at, 1000);
  EXPECT_NE(versions[0].content.find("\"quantity\":\"500\""), std::string::npos);
  EXPECT_EQ(versions[1].version, 2);
  EXPECT_EQ(versions[1].user, "bo");
  EXPECT_EQ(versions[1].reason, "meter misread");
  EXPECT_EQ(versions[1].batch_id, 2);
  EXPECT_NE(versions[1].content.find("\"quantity\":\"550\""), std::string::npos);
  EXPECT_EQ(versions[1].source.file, "activities.csv");
  EXPECT_EQ(versions[1].source.line, 4);

  // Without a table, history searches every table.
  ASSERT_TRUE(ledger->history("", "A-002", &versions).is_ok());
  EXPECT_EQ(versions.size(), 2u);
  // Composite keys are JSON arrays of strings.
  ASSERT_TRUE(
      ledger->history("workforce", R"(["2024","headcount","gender","female"])", &versions).is_ok());
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(
      versions[0].content,
      R"({"category":"female","dimension":"gender","measure":"headcount","value":"12","year":2024})");
}

TEST(LedgerIngest, KeyMissingFromResubmittedPackageBecomesTombstone) {
  ScratchDir dir;
  auto ledger = open_ledger(dir.file("l.db"));
  IngestResult r;
  ASSERT_TRUE(ledger->ingest(small_package(), "h1", who("ana", "", 1000), &r).is_ok());
  // Another package name owns other keys: its absence of A-003 tombstones nothing.
  Package other = small_package("site-b");
  other.sites.clear();
  other.activities.flat() = {activity("B-001", "2024-02-01", "2024-02-29", "7", 2)};
  other.workforce.clear();
  other.disclosures.clear();
  ASSERT_TRUE(ledger->ingest(other, "hb", who("cy", "", 1500), &r).is_ok());
  EXPECT_EQ(r.inserted, 1u);
  EXPECT_EQ(r.updated, 1u);  // the single manifest record now names site-b
  EXPECT_EQ(r.tombstoned, 0u);

  Package without = small_package();
  without.activities.flat().erase(without.activities.flat().begin());  // drop A-003
  ASSERT_TRUE(ledger->ingest(without, "h2", who("bo", "duplicate", 2000), &r).is_ok());
  EXPECT_EQ(r.tombstoned, 1u);
  EXPECT_EQ(r.updated, 1u);  // manifest back to group-2024
  EXPECT_EQ(r.unchanged, 5u);

  std::vector<RecordVersion> versions;
  ASSERT_TRUE(ledger->history("activities", "A-003", &versions).is_ok());
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_FALSE(versions[0].tombstone);
  EXPECT_TRUE(versions[1].tombstone);
  EXPECT_EQ(versions[1].content, "null");
  EXPECT_EQ(versions[1].reason, "duplicate");

  Package now;
  ASSERT_TRUE(ledger->load_package(std::nullopt, &now).is_ok());
  ASSERT_EQ(now.activities.size(), 3u);  // A-001, A-002 and site-b's B-001
  EXPECT_EQ(now.activities[0].record_id, "A-001");
  EXPECT_EQ(now.activities[1].record_id, "A-002");
  EXPECT_EQ(now.activities[2].record_id, "B-001");

  // Re-submitting A-003 brings it back as version 3.
  ASSERT_TRUE(ledger->ingest(small_package(), "h1", who("ana", "restore", 3000), &r).is_ok());
  EXPECT_EQ(r.inserted, 1u);
  ASSERT_TRUE(ledger->history("activities", "A-003", &versions).is_ok());
  ASSERT_EQ(versions.size(), 3u);
  EXPECT_FALSE(versions[2].tombstone);
}

TEST(LedgerLoad, ReproducesThePackageInIngestOrder) {
  ScratchDir dir;
  auto ledger = open_ledger(dir.file("l.db"));
  IngestResult r;
  const Package original = small_package();
  ASSERT_TRUE(ledger->ingest(original, "h1", who("ana", "", 1000), &r).is_ok());
  Package loaded;
  ASSERT_TRUE(ledger->load_package(std::nullopt, &loaded).is_ok());

  EXPECT_EQ(loaded.manifest.name, "group-2024");
  EXPECT_EQ(loaded.manifest.years, (std::vector<int>{2023, 2024}));
  EXPECT_EQ(loaded.manifest.base_year, 2023);
  EXPECT_EQ(loaded.manifest.revenue.at(2024).to_string(), "1234.5");
  EXPECT_EQ(loaded.manifest.languages, (std::vector<std::string>{"en", "zh-Hant"}));
  ASSERT_EQ(loaded.sites.size(), 1u);
  EXPECT_EQ(loaded.sites[0].kind, SiteKind::kDataCenter);
  EXPECT_EQ(loaded.sites[0].opened, original.sites[0].opened);
  EXPECT_FALSE(loaded.sites[0].closed.has_value());
  ASSERT_EQ(loaded.activities.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const ActivityRecord& a = loaded.activities[i];
    const ActivityRecord& b = original.activities[i];
    EXPECT_EQ(a.record_id, b.record_id);  // A-003, A-001, A-002: not key order
    EXPECT_EQ(a.start, b.start);
    EXPECT_EQ(a.end, b.end);
    EXPECT_EQ(a.quantity, b.quantity);
    EXPECT_EQ(a.unit, b.unit);
    EXPECT_EQ(a.evidence, b.evidence);
    EXPECT_EQ(a.source.file, b.source.file);
    EXPECT_EQ(a.source.line, b.source.line);
  }
  ASSERT_EQ(loaded.workforce.size(), 1u);
  EXPECT_EQ(loaded.workforce[0].value.to_string(), "12");
  ASSERT_EQ(loaded.disclosures.size(), 1u);
  EXPECT_TRUE(loaded.disclosures[0].not_material);
  EXPECT_FALSE(loaded.disclosures[0].value.has_value());
}

TEST(LedgerLoad, AsOfAnEarlierTimeGivesTheRecordsAsTheyStood) {
  ScratchDir dir;
  auto ledger = open_ledger(dir.file("l.db"));
  IngestResult r;
  ASSERT_TRUE(ledger->ingest(small_package(), "h1", who("ana", "", 1000), &r).is_ok());
  Package corrected = small_package();
  corrected.activities[2].quantity = dec("550");
  corrected.activities.flat().erase(corrected.activities.flat().begin());  // A-003 tombstoned
  ASSERT_TRUE(ledger->ingest(corrected, "h2", who("bo", "fix", 2000), &r).is_ok());

  Package before, at_second, now, too_early;
  ASSERT_TRUE(ledger->load_package(1999, &before).is_ok());
  ASSERT_TRUE(ledger->load_package(2000, &at_second).is_ok());
  ASSERT_TRUE(ledger->load_package(std::nullopt, &now).is_ok());
  ASSERT_TRUE(ledger->load_package(999, &too_early).is_ok());

  ASSERT_EQ(before.activities.size(), 3u);
  EXPECT_EQ(before.activities[2].record_id, "A-002");
  EXPECT_EQ(before.activities[2].quantity.to_string(), "500");
  ASSERT_EQ(at_second.activities.size(), 2u);  // as_of is inclusive
  EXPECT_EQ(at_second.activities[1].quantity.to_string(), "550");
  ASSERT_EQ(now.activities.size(), 2u);
  EXPECT_TRUE(too_early.activities.empty());
  EXPECT_TRUE(too_early.manifest.name.empty());
}

TEST(LedgerIngest, StampsNeverGoBackwards) {
  ScratchDir dir;
  auto ledger = open_ledger(dir.file("l.db"));
  IngestResult r;
  ASSERT_TRUE(ledger->ingest(small_package(), "h1", who("ana", "", 5000), &r).is_ok());
  Package changed = small_package();
  changed.activities[0].quantity = dec("301");
  ASSERT_TRUE(ledger->ingest(changed, "h2", who("ana", "", 4000), &r).is_ok());
  EXPECT_EQ(r.created_at, 5000);  // the clock said 4000, earlier than batch 1
}

TEST(LedgerIngest, DuplicateKeyInOnePackageIsRefused) {
  ScratchDir dir;
  auto ledger = open_ledger(dir.file("l.db"));
  Package p = small_package();
  p.activities.push_back(activity("A-001", "2024-05-01", "2024-05-31", "1", 9));
  IngestResult r;
  Status s = ledger->ingest(p, "h", who("ana", "", 1000), &r);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.message(),
            "ingest refused: activities key A-001 appears twice in the package "
            "(activities.csv:3) (activities.csv:9)");
  RawDb raw(dir.file("l.db"));
  EXPECT_EQ(raw.count("SELECT count(*) FROM batch"), 0);
  EXPECT_EQ(raw.count("SELECT count(*) FROM record_version"), 0);
}

TEST(LedgerLock, IngestTouchingALockedYearIsRefusedWhole) {
  ScratchDir dir;
  auto ledger = open_ledger(dir.file("l.db"));
  IngestResult r;
  ASSERT_TRUE(ledger->ingest(small_package(), "h1", who("ana", "", 1000), &r).is_ok());
  // 1 700 000 000 s after the epoch is 2023-11-14T22:13:20Z.
  ASSERT_TRUE(ledger->lock(2023, who("lee", "FY2023 published", 1700000000)).is_ok());

  // A-001 (2023-12) changes, and A-002 (2024) too: nothing may be written.
  Package changed = small_package();
  changed.activities[1].quantity = dec("101");
  changed.activities[2].quantity = dec("501");
  Status s = ledger->ingest(changed, "h2", who("bo", "", 2000), &r);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.message(),
            "ingest refused: year 2023 is locked (by lee at 2023-11-14T22:13:20Z); activities "
            "record A-001 (activities.csv:3) touches it");
  RawDb raw(dir.file("l.db"));
  EXPECT_EQ(raw.count("SELECT count(*) FROM record_version"), 7);
  EXPECT_EQ(raw.count("SELECT count(*) FROM batch"), 1);

  // A change confined to 2024 goes through; unchanged 2023 rows do not count.
  Package only2024 = small_package();
  only2024.activities[2].quantity = dec("501");
  ASSERT_TRUE(ledger->ingest(only2024, "h3", who("bo", "", 2000), &r).is_ok());
  EXPECT_EQ(r.updated, 1u);

  // Moving a record out of the locked year also touches it (its old version).
  Package moved = only2024;
  moved.activities[1].start = date("2024-12-01");
  moved.activities[1].end = date("2024-12-31");
  s = ledger->ingest(moved, "h4", who("bo", "", 2100), &r);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("year 2023 is locked"), std::string::npos);

  // Tombstoning a 2023 record is a change to 2023.
  Package dropped = only2024;
  dropped.activities.flat().erase(dropped.activities.flat().begin() + 1);
  s = ledger->ingest(dropped, "h5", who("bo", "", 2100), &r);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.message(),
            "ingest refused: year 2023 is locked (by lee at 2023-11-14T22:13:20Z); activities "
            "record A-001 touches it (it would be tombstoned)");

  EXPECT_FALSE(ledger->unlock(2023, who("lee", "", 3000)).is_ok());  // a reason is required
  ASSERT_TRUE(ledger->unlock(2023, who("lee", "restatement", 3000)).is_ok());
  ASSERT_TRUE(ledger->ingest(changed, "h2", who("bo", "", 3100), &r).is_ok());
  EXPECT_EQ(r.updated, 1u);  // A-001; A-002 is already 501

  EXPECT_EQ(
      raw.text("SELECT group_concat(kind, ',') FROM (SELECT kind FROM audit_log ORDER BY seq)"),
      "ingest,lock,ingest,unlock,ingest");
}

TEST(LedgerLock, LockingTwiceIsAnError) {
  ScratchDir dir;
  auto ledger = open_ledger(dir.file("l.db"));
  ASSERT_TRUE(ledger->lock(2024, who("lee", "", 1700000000)).is_ok());
  Status s = ledger->lock(2024, who("kim", "", 1700000001));
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.message(), "year 2024 is already locked (by lee at 2023-11-14T22:13:20Z)");
  std::vector<PeriodLock> locks;
  ASSERT_TRUE(ledger->locks(&locks).is_ok());
  ASSERT_EQ(locks.size(), 1u);
  EXPECT_EQ(locks[0].locked_by, "lee");
}

TEST(LedgerSignoff, ReturnsAndRecordsTheChainHead) {
  ScratchDir dir;
  auto ledger = open_ledger(dir.file("l.db"));
  IngestResult r;
  ASSERT_TRUE(ledger->ingest(small_package(), "h1", who("ana", "", 1000), &r).is_ok());
  std::string head;
  ASSERT_TRUE(ledger->signoff(2024, "run-abc", who("cfo", "approved", 2000), &head).is_ok());
  std::string current;
  ASSERT_TRUE(ledger->chain_head(&current).is_ok());
  EXPECT_EQ(head, current);
  EXPECT_EQ(head.size(), 64u);
  RawDb raw(dir.file("l.db"));
  EXPECT_EQ(raw.text("SELECT chain_head FROM signoff"), head);
  EXPECT_EQ(raw.text("SELECT run_hash || '|' || user FROM signoff"), "run-abc|cfo");
}

TEST(LedgerTime, FormatsUtcTimestamps) {
  EXPECT_EQ(format_utc_timestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_utc_timestamp(1700000000), "2023-11-14T22:13:20Z");
  EXPECT_EQ(format_utc_timestamp(-1), "1969-12-31T23:59:59Z");
}

}  // namespace
}  // namespace assay::ledger_test
