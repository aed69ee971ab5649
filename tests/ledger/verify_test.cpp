// verify(): a clean ledger passes; each kind of tampering named in issue 7
// (edited row, deleted last entry, deleted middle entry, reordered entries)
// fails and names the audit entry where the chain first stops matching.
// Tampering is done with the SQLite C API, as someone with the file would.
#include <gtest/gtest.h>

#include "ledger/ledger.hpp"
#include "ledger_fixtures.hpp"

namespace assay::ledger_test {
namespace {

// Builds: 1 ingest (group-2024), 2 lock 2023, 3 unlock 2023, 4 ingest
// (A-002 corrected), 5 sign-off. Returns the head the sign-off printed.
std::string build_history(const std::string& path) {
  std::unique_ptr<Ledger> ledger;
  EXPECT_TRUE(Ledger::open(path, &ledger).is_ok());
  IngestResult r;
  EXPECT_TRUE(ledger->ingest(small_package(), "h1", who("ana", "initial", 1000), &r).is_ok());
  EXPECT_TRUE(ledger->lock(2023, who("lee", "", 1100)).is_ok());
  EXPECT_TRUE(ledger->unlock(2023, who("lee", "restatement", 1200)).is_ok());
  Package corrected = small_package();
  corrected.activities[2].quantity = dec("550");
  EXPECT_TRUE(ledger->ingest(corrected, "h2", who("bo", "fix", 1300), &r).is_ok());
  std::string head;
  EXPECT_TRUE(ledger->signoff(2024, "run-1", who("cfo", "", 1400), &head).is_ok());
  return head;
}

VerifyResult verify(const std::string& path, std::optional<std::string> head = std::nullopt) {
  std::unique_ptr<Ledger> ledger;
  EXPECT_TRUE(Ledger::open(path, &ledger).is_ok());
  VerifyResult result;
  Status s = ledger->verify(head, &result);
  EXPECT_TRUE(s.is_ok()) << s.message();
  return result;
}

TEST(LedgerVerify, UntouchedLedgerPasses) {
  ScratchDir dir;
  const std::string path = dir.file("l.db");
  const std::string head = build_history(path);
  VerifyResult v = verify(path, head);
  EXPECT_TRUE(v.ok) << v.reason;
  EXPECT_EQ(v.entries, 5);
  EXPECT_EQ(v.batches, 2);
  EXPECT_EQ(v.versions, 8);  // 7 in batch 1, A-002 version 2 in batch 2
  EXPECT_EQ(v.head, head);
  EXPECT_EQ(RawDb(path).text("PRAGMA integrity_check"), "ok");
}

TEST(LedgerVerify, EmptyLedgerPasses) {
  ScratchDir dir;
  VerifyResult v = verify(dir.file("l.db"));
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.head, std::string(64, '0'));
}

TEST(LedgerVerify, EditedRecordVersionIsNamed) {
  ScratchDir dir;
  const std::string path = dir.file("l.db");
  build_history(path);
  RawDb raw(path);
  ASSERT_EQ(raw.exec("UPDATE record_version SET content = replace(content, '\"100\"', '\"10\"') "
                     "WHERE table_name = 'activities' AND record_key = 'A-001'"),
            "");
  VerifyResult v = verify(path);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.failed_seq, 1);
  EXPECT_EQ(v.reason,
            "audit entry 1 (batch 1): activities record A-001 version 1: content does not match "
            "its content_hash (record edited)");
}

TEST(LedgerVerify, EditedRecordWithRecomputedHashIsCaughtByTheBatchHash) {
  ScratchDir dir;
  const std::string path = dir.file("l.db");
  build_history(path);
  RawDb raw(path);
  // The forger also fixes content_hash (sha256 is not in SQLite, so copy the
  // hash of another version whose content it becomes).
  ASSERT_EQ(raw.exec("UPDATE record_version SET (content, content_hash) = (SELECT content, "
                     "content_hash FROM record_version WHERE record_key = 'A-002' AND version = "
                     "2) WHERE record_key = 'A-002' AND version = 1"),
            "");
  VerifyResult v = verify(path);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.failed_seq, 1);
  EXPECT_EQ(v.reason,
            "audit entry 1 (batch 1): its 7 record versions do not hash to the records_hash of "
            "the entry (versions edited, added or deleted)");
}

TEST(LedgerVerify, DeletedLastEntryIsCaughtOnlyWithTheExpectedHead) {
  ScratchDir dir;
  const std::string path = dir.file("l.db");
  const std::string head = build_history(path);
  RawDb raw(path);
  // A careful forger removes the sign-off everywhere: the rest still chains.
  ASSERT_EQ(raw.exec("DELETE FROM audit_log WHERE seq = 5; DELETE FROM signoff"), "");
  EXPECT_TRUE(verify(path).ok);
  VerifyResult v = verify(path, head);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.failed_seq, 0);
  EXPECT_EQ(v.reason.rfind("no audit entry has the expected head " + head +
                               " (the log was truncated or rewritten; its head is now ",
                           0),
            0u)
      << v.reason;
  EXPECT_NE(v.reason.find(", entry 4)"), std::string::npos) << v.reason;
}

TEST(LedgerVerify, DeletedLastEntryAloneIsCaughtWithoutHead) {
  ScratchDir dir;
  const std::string path = dir.file("l.db");
  build_history(path);
  RawDb raw(path);
  ASSERT_EQ(raw.exec("DELETE FROM audit_log WHERE seq = 5"), "");  // signoff row left behind
  VerifyResult v = verify(path);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.failed_seq, 5);
  EXPECT_EQ(v.reason, "the sign-off recorded at entry 5 does not match the audit log");
}

TEST(LedgerVerify, DeletedMiddleEntryIsNamed) {
  ScratchDir dir;
  const std::string path = dir.file("l.db");
  build_history(path);
  RawDb raw(path);
  ASSERT_EQ(raw.exec("DELETE FROM audit_log WHERE seq = 2"), "");  // the lock
  VerifyResult v = verify(path);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.failed_seq, 3);
  EXPECT_EQ(v.reason, "audit entry 3 follows entry 1: entry 2 is missing");
}

TEST(LedgerVerify, DeletedMiddleEntryRenumberedIsStillCaught) {
  ScratchDir dir;
  const std::string path = dir.file("l.db");
  build_history(path);
  RawDb raw(path);
  // Close the gap so the seqs are contiguous again.
  ASSERT_EQ(raw.exec("DELETE FROM audit_log WHERE seq = 2; "
                     "UPDATE audit_log SET seq = seq - 1 WHERE seq > 2"),
            "");
  VerifyResult v = verify(path);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.failed_seq, 2);
  EXPECT_EQ(v.reason,
            "audit entry 2: its payload says it is entry 3 of kind \"unlock\" "
            "(entries reordered)");
}

TEST(LedgerVerify, ReorderedEntriesAreNamed) {
  ScratchDir dir;
  const std::string path = dir.file("l.db");
  build_history(path);
  RawDb raw(path);
  ASSERT_EQ(raw.exec("UPDATE audit_log SET seq = -2 WHERE seq = 2; "
                     "UPDATE audit_log SET seq = 2 WHERE seq = 3; "
                     "UPDATE audit_log SET seq = 3 WHERE seq = -2"),
            "");
  VerifyResult v = verify(path);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.failed_seq, 2);
  EXPECT_EQ(v.reason,
            "audit entry 2: its payload says it is entry 3 of kind \"unlock\" "
            "(entries reordered)");
}

TEST(LedgerVerify, EditedAuditPayloadIsNamed) {
  ScratchDir dir;
  const std::string path = dir.file("l.db");
  build_history(path);
  RawDb raw(path);
  ASSERT_EQ(raw.exec("UPDATE audit_log SET payload = replace(payload, '\"bo\"', '\"eve\"') "
                     "WHERE seq = 4; UPDATE batch SET user = 'eve' WHERE id = 2"),
            "");
  VerifyResult v = verify(path);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.failed_seq, 4);
  EXPECT_EQ(v.reason, "audit entry 4: entry_hash does not match its content (entry edited)");
}

TEST(LedgerVerify, EditedBatchRowIsNamed) {
  ScratchDir dir;
  const std::string path = dir.file("l.db");
  build_history(path);
  RawDb raw(path);
  ASSERT_EQ(raw.exec("UPDATE batch SET reason = 'routine' WHERE id = 2"), "");
  VerifyResult v = verify(path);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.failed_seq, 4);
  EXPECT_EQ(v.reason, "audit entry 4 (batch 2): the batch's reason differs from the audit entry");
}

TEST(LedgerVerify, ForgedLockIsNamed) {
  ScratchDir dir;
  const std::string path = dir.file("l.db");
  build_history(path);
  RawDb raw(path);
  ASSERT_EQ(raw.exec("INSERT INTO period_lock VALUES (2024, 'mallory', 1500, 9)"), "");
  VerifyResult v = verify(path);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.failed_seq, 9);
  EXPECT_EQ(v.reason, "the lock of 2024 does not match the audit log (entry 9)");
}

}  // namespace
}  // namespace assay::ledger_test
