// A bulk ingest (>= 100,000 records: rollback journal instead of WAL, see
// docs/ledger-schema.md "Connection settings") killed with SIGKILL midway and
// just before COMMIT: the next open rolls the hot journal back, the ledger
// holds none of the batch, passes integrity_check and verify, is in WAL mode
// again, and takes the same ingest afterwards.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "ledger/ledger.hpp"

namespace assay {
namespace {

namespace fs = std::filesystem;

Package bulk_package(size_t n) {
  Package p;
  p.manifest.name = "bulk";
  p.manifest.reporting_year = 2024;
  p.manifest.years = {2024};
  Site s;
  s.site_id = "S1";
  p.sites.push_back(s);
  for (size_t i = 0; i < n; ++i) {
    ActivityRecord a;
    a.record_id = p.keep("R" + std::to_string(i));
    a.site_id = "S1";
    a.start = *parse_date("2024-01-01");
    a.end = *parse_date("2024-01-31");
    a.activity = "electricity.grid";
    a.quantity = *Decimal::parse(std::to_string(i % 997) + ".5");
    a.unit = "kWh";
    a.evidence = p.keep("inv-" + std::to_string(i));
    a.source = {"activities.csv", static_cast<int64_t>(i + 2)};
    p.activities.push_back(a);
  }
  return p;
}

std::string pragma_text(const std::string& db, const char* sql) {
  sqlite3* h = nullptr;
  std::string out;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(h, sql, -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW)
      out += reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  return out;
}

// Runs the ingest in a child process with ASSAY_FAULT_INGEST = `fault`.
int ingest_in_child(const std::string& db, const Package& p, const char* fault) {
  pid_t pid = fork();
  if (pid == 0) {
    setenv("ASSAY_FAULT_INGEST", fault, 1);
    std::unique_ptr<Ledger> ledger;
    if (!Ledger::open(db, &ledger)) _exit(3);
    IngestResult r;
    ledger->ingest(p, "h", {"ci", "bulk", [] { return int64_t{1000}; }}, &r);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
}

TEST(BulkIngestCrash, KilledMidwayAndBeforeCommitLeavesNothing) {
  const fs::path dir = fs::temp_directory_path() / ("assure_bulk_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = (dir / "ledger.db").string();
  const Package p = bulk_package(120000);
  {
    std::unique_ptr<Ledger> ledger;  // an existing ledger with one small batch
    ASSERT_TRUE(Ledger::open(db, &ledger));
    IngestResult r;
    Package small = bulk_package(10);
    small.manifest.name = "small";
    ASSERT_TRUE(ledger->ingest(small, "s", {"ci", "", [] { return int64_t{500}; }}, &r));
  }
  for (const char* fault : {"rows:60000", "before_commit"}) {
    ASSERT_EQ(ingest_in_child(db, p, fault), -SIGKILL) << fault;
    EXPECT_TRUE(fs::exists(db + "-journal")) << fault << ": killed in rollback-journal mode";
    std::unique_ptr<Ledger> ledger;
    ASSERT_TRUE(Ledger::open(db, &ledger));
    VerifyResult v;
    ASSERT_TRUE(ledger->verify(std::nullopt, &v));
    EXPECT_TRUE(v.ok) << v.reason;
    EXPECT_EQ(v.batches, 1) << fault;
    EXPECT_EQ(v.versions, 12) << fault;  // the small batch: manifest, S1, R0..R9
    ledger.reset();
    EXPECT_FALSE(fs::exists(db + "-journal")) << fault;
    EXPECT_EQ(pragma_text(db, "PRAGMA integrity_check"), "ok");
    EXPECT_EQ(pragma_text(db, "PRAGMA journal_mode"), "wal");
  }
  std::unique_ptr<Ledger> ledger;
  ASSERT_TRUE(Ledger::open(db, &ledger));
  IngestResult r;
  ASSERT_TRUE(ledger->ingest(p, "h", {"ci", "bulk", [] { return int64_t{1000}; }}, &r));
  // The small batch already holds S1 and R0..R9 with the same content; the
  // manifest changes (another name); the other 119,990 activities are new.
  EXPECT_EQ(r.inserted, 119990u);
  EXPECT_EQ(r.unchanged, 11u);
  EXPECT_EQ(r.updated, 1u);
  VerifyResult v;
  ASSERT_TRUE(ledger->verify(std::nullopt, &v));
  EXPECT_TRUE(v.ok) << v.reason;
  ledger.reset();
  EXPECT_EQ(pragma_text(db, "PRAGMA journal_mode"), "wal");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace assay
