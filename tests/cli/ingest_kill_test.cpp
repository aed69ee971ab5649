// `assay ingest` killed with SIGKILL at chosen points inside its transaction
// (ASSAY_FAULT_INGEST) and at random times: the ledger must hold the whole
// batch or none of it, pass SQLite's integrity check and `assay verify`.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <filesystem>
#include <random>
#include <thread>

#include "ledger/ledger.hpp"
#include "package/package_reader.hpp"

namespace assay {
namespace {

namespace fs = std::filesystem;

const std::string kExample = std::string(ASSAY_SOURCE_DIR) + "/examples/reference-2024";

pid_t spawn_ingest(const std::string& db, const char* fault) {
  pid_t pid = fork();
  if (pid == 0) {
    if (fault)
      setenv("ASSAY_FAULT_INGEST", fault, 1);
    else
      unsetenv("ASSAY_FAULT_INGEST");
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execl(ASSAY_BIN, ASSAY_BIN, "ingest", kExample.c_str(), "--db", db.c_str(), "--user", "ci",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

std::string integrity(const std::string& db) {
  sqlite3* h = nullptr;
  std::string out;
  // Read-write: after a kill the WAL may need recovery, which a read-only
  // connection cannot do.
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, nullptr) != SQLITE_OK) {
      out = std::string("cannot check: ") + sqlite3_errmsg(h);
    }
    while (sqlite3_step(st) == SQLITE_ROW)
      out += reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  return out;
}

size_t example_activities() {
  static size_t n = [] {
    PackageReadResult r;
    ReadOptions o;
    o.write_quarantine = false;
    EXPECT_TRUE(read_package(kExample, o, &r).is_ok());
    return r.package.activities.size();
  }();
  return n;
}

// After a kill: all or nothing, integrity ok, chain ok. Returns true if the batch landed.
bool check_all_or_nothing(const std::string& db) {
  if (!fs::exists(db)) return false;  // killed before the file was made: nothing
  EXPECT_EQ(integrity(db), "ok");
  std::unique_ptr<Ledger> ledger;
  EXPECT_TRUE(Ledger::open(db, &ledger).is_ok());
  Package p;
  EXPECT_TRUE(ledger->load_package(std::nullopt, &p).is_ok());
  size_t n = p.activities.size();
  EXPECT_TRUE(n == 0 || n == example_activities()) << n << " of " << example_activities();
  VerifyResult v;
  EXPECT_TRUE(ledger->verify(std::nullopt, &v).is_ok());
  EXPECT_TRUE(v.ok) << v.reason;
  return n > 0;
}

TEST(IngestKill, AtEachFaultPointTheBatchIsWholeOrAbsent) {
  ASSERT_GT(example_activities(), 7000u);
  struct Point {
    const char* fault;
    bool lands;
  };
  for (Point p : {Point{"rows:1", false}, Point{"rows:3000", false}, Point{"before_commit", false},
                  Point{"after_commit", true}}) {
    std::string db =
        (fs::temp_directory_path() / ("assay-kill-" + std::to_string(getpid()) + ".db")).string();
    fs::remove(db);
    pid_t pid = spawn_ingest(db, p.fault);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << p.fault;
    EXPECT_EQ(WTERMSIG(status), SIGKILL) << p.fault;
    EXPECT_EQ(check_all_or_nothing(db), p.lands) << p.fault;
    // A clean ingest afterwards completes the ledger.
    pid = spawn_ingest(db, nullptr);
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << p.fault;
    EXPECT_TRUE(check_all_or_nothing(db));
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
  }
}

TEST(IngestKill, RandomKillsLeaveAWholeBatchOrNone) {
  std::mt19937 rng(20261125);  // fixed seed: the same delays on every run
  std::uniform_int_distribution<int> delay_ms(0, 200);
  int landed = 0, absent = 0;
  for (int round = 0; round < 12; ++round) {
    std::string db =
        (fs::temp_directory_path() / ("assay-rkill-" + std::to_string(getpid()) + ".db")).string();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
    pid_t pid = spawn_ingest(db, nullptr);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    (check_all_or_nothing(db) ? landed : absent)++;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db + suffix);
  }
  // Not asserted (timing differs by machine), but reported: both outcomes occur.
  std::printf("random kills: %d batches landed whole, %d left nothing\n", landed, absent);
}

}  // namespace
}  // namespace assay
