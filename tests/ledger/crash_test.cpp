// Crash safety (issue 2, "Ingest is atomic"; issue 7, "Crash safety"): a child
// process ingests (or locks) and is killed with SIGKILL at chosen points
// (ASSAY_FAULT_INGEST / ASSAY_FAULT_LOCK, see ledger.hpp) and at random
// moments; the parent then checks that the ledger holds the whole batch or
// none of it, passes PRAGMA integrity_check and passes verify().
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "ledger/ledger.hpp"
#include "ledger_fixtures.hpp"

namespace assay::ledger_test {
namespace {

constexpr int kBulkRows = 5000;
// Smaller for the random kills, so that kills at 0-50 ms fall before, during
// and after the write (an ingest of 1,000 rows takes some 15 ms here).
constexpr int kRandomKillRows = 1000;

// A package "bulk" of `rows` activities whose quantities are all `value`.
Package bulk_package(int value, int rows = kBulkRows) {
  Package p = small_package("bulk");
  p.activities.clear();
  for (int i = 0; i < rows; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "R%05d", i);
    p.activities.push_back(
        activity(id, "2024-01-01", "2024-01-31", std::to_string(value).c_str(), i + 2));
  }
  return p;
}

// Runs `work` in a child process with `env` (NAME=VALUE, or empty) set.
// Returns the child's wait status.
template <typename Work>
int run_child(const std::string& env, Work work, pid_t* pid_out = nullptr,
              std::chrono::microseconds kill_after = std::chrono::microseconds(-1)) {
  pid_t pid = fork();
  if (pid == 0) {
    if (!env.empty()) putenv(const_cast<char*>(env.c_str()));
    _exit(work() ? 0 : 3);
  }
  if (pid_out) *pid_out = pid;
  if (kill_after.count() >= 0) {
    // The one sleep in the suite: the random moment of a kill.
    std::this_thread::sleep_for(kill_after);
    kill(pid, SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

bool ingest_in_child(const std::string& path, const Package& package, int64_t at) {
  std::unique_ptr<Ledger> ledger;
  if (!Ledger::open(path, &ledger).is_ok()) return false;
  IngestResult r;
  return ledger->ingest(package, "bulk-hash", who("loader", "bulk load", at), &r).is_ok();
}

struct LedgerState {
  int64_t batches = 0;
  int64_t versions = 0;
  int64_t audit = 0;
  std::string integrity;
  VerifyResult verify;
  Package loaded;
};

LedgerState inspect(const std::string& path) {
  LedgerState s;
  {
    RawDb raw(path);
    s.batches = raw.count("SELECT count(*) FROM batch");
    s.versions = raw.count("SELECT count(*) FROM record_version");
    s.audit = raw.count("SELECT count(*) FROM audit_log");
    s.integrity = raw.text("PRAGMA integrity_check");
  }
  std::unique_ptr<Ledger> ledger;
  EXPECT_TRUE(Ledger::open(path, &ledger).is_ok());
  EXPECT_TRUE(ledger->verify(std::nullopt, &s.verify).is_ok());
  EXPECT_TRUE(ledger->load_package(std::nullopt, &s.loaded).is_ok());
  return s;
}

// Every activity in `p` has quantity `value`.
bool all_quantities(const Package& p, int value) {
  for (const auto& a : p.activities) {
    if (a.quantity.to_string() != std::to_string(value)) return false;
  }
  return true;
}

struct FaultCase {
  const char* fault;
  bool committed;  // after the kill, should the batch be there?
};

class IngestFault : public ::testing::TestWithParam<FaultCase> {};

TEST_P(IngestFault, LedgerHoldsAllOrNothing) {
  ScratchDir dir;
  const std::string path = dir.file("l.db");
  {
    // A first batch, so that "nothing" is a ledger with earlier content.
    std::unique_ptr<Ledger> ledger;
    ASSERT_TRUE(Ledger::open(path, &ledger).is_ok());
    IngestResult r;
    ASSERT_TRUE(ledger->ingest(small_package(), "h1", who("ana", "", 1000), &r).is_ok());
  }
  const Package bulk = bulk_package(1);
  const std::string env = std::string("ASSAY_FAULT_INGEST=") + GetParam().fault;
  int status = run_child(env, [&] { return ingest_in_child(path, bulk, 2000); });
  ASSERT_TRUE(WIFSIGNALED(status)) << "the fault point was not reached";
  EXPECT_EQ(WTERMSIG(status), SIGKILL);

  LedgerState s = inspect(path);
  EXPECT_EQ(s.integrity, "ok");
  EXPECT_TRUE(s.verify.ok) << s.verify.reason;
  if (GetParam().committed) {
    // 1 + 5000 new keys (bulk manifest replaces the manifest: 1 update).
    EXPECT_EQ(s.batches, 2);
    EXPECT_EQ(s.versions, 7 + kBulkRows + 1);
    EXPECT_EQ(s.audit, 2);
    EXPECT_EQ(s.loaded.activities.size(), 3u + kBulkRows);
  } else {
    EXPECT_EQ(s.batches, 1);
    EXPECT_EQ(s.versions, 7);
    EXPECT_EQ(s.audit, 1);
    EXPECT_EQ(s.loaded.activities.size(), 3u);
    EXPECT_EQ(s.loaded.manifest.name, "group-2024");
  }
}

INSTANTIATE_TEST_SUITE_P(FaultPoints, IngestFault,
                         ::testing::Values(FaultCase{"rows:1", false},
                                           FaultCase{"rows:2500", false},
                                           FaultCase{"rows:5001", false},
                                           FaultCase{"before_commit", false},
                                           FaultCase{"after_commit", true}),
                         [](const auto& info) {
                           std::string name = info.param.fault;
                           for (char& c : name) {
                             if (c == ':') c = '_';
                           }
                           return name;
                         });

TEST(LockFault, KilledLockLeavesTheLedgerConsistent) {
  for (const FaultCase fc : {FaultCase{"before_commit", false}, FaultCase{"after_commit", true}}) {
    SCOPED_TRACE(fc.fault);
    ScratchDir dir;
    const std::string path = dir.file("l.db");
    const std::string env = std::string("ASSAY_FAULT_LOCK=") + fc.fault;
    int status = run_child(env, [&] {
      std::unique_ptr<Ledger> ledger;
      if (!Ledger::open(path, &ledger).is_ok()) return false;
      return ledger->lock(2024, who("lee", "", 1000)).is_ok();
    });
    ASSERT_TRUE(WIFSIGNALED(status));
    LedgerState s = inspect(path);
    EXPECT_EQ(s.integrity, "ok");
    EXPECT_TRUE(s.verify.ok) << s.verify.reason;
    EXPECT_EQ(s.audit, fc.committed ? 1 : 0);
    EXPECT_EQ(RawDb(path).count("SELECT count(*) FROM period_lock"), fc.committed ? 1 : 0);
  }
}

TEST(RandomKills, EveryKillLeavesAWholeBatchOrNone) {
  ScratchDir dir;
  const std::string path = dir.file("l.db");
  std::mt19937 rng(20240601);  // fixed seed: the same delays on every run
  std::uniform_int_distribution<int> delay_us(0, 50000);
  int64_t batches = 0, versions = 0;
  int value = 0;  // quantity of every bulk activity in the ledger (0: none yet)
  int committed = 0;
  for (int round = 1; round <= 20; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const Package next = bulk_package(round, kRandomKillRows);
    run_child(
        "", [&] { return ingest_in_child(path, next, 1000 + round); }, nullptr,
        std::chrono::microseconds(delay_us(rng)));
    LedgerState s = inspect(path);
    ASSERT_EQ(s.integrity, "ok");
    ASSERT_TRUE(s.verify.ok) << s.verify.reason;
    if (s.batches == batches) {  // none of it
      EXPECT_EQ(s.versions, versions);
    } else {  // all of it: every bulk activity gets a version
      ASSERT_EQ(s.batches, batches + 1);
      // The first batch also brings the manifest, S1, the workforce row and
      // the disclosure (4); later ones change only the activities.
      EXPECT_EQ(s.versions, versions + kRandomKillRows + (batches == 0 ? 4 : 0));
      value = round;
      ++committed;
    }
    if (value == 0) {
      EXPECT_TRUE(s.loaded.activities.empty());
    } else {
      ASSERT_EQ(s.loaded.activities.size(), static_cast<size_t>(kRandomKillRows));
      EXPECT_TRUE(all_quantities(s.loaded, value));
    }
    batches = s.batches;
    versions = s.versions;
  }
  // Not an assertion on timing: a record of how the kills fell.
  RecordProperty("committed_rounds", committed);
}

}  // namespace
}  // namespace assay::ledger_test
