// The assurance commands end to end through the `assay` binary (ASSAY_BIN):
// calc from the ledger and --as-of, lock/unlock/signoff, a lock killed with
// SIGKILL, sample and diff. Package v1 is the reference example; v2 is v1 with
// one 2024 electricity bill corrected (EL-2024-DC-TJ1-01: 47090.4 -> 48000 MWh).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ledger/ledger.hpp"
#include "package/package_reader.hpp"

namespace assay {
namespace {

namespace fs = std::filesystem;

struct Proc {
  int status = -1;  // exit code, or -signal
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Proc assay(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
  static int counter = 0;
  const fs::path dir = fs::temp_directory_path();
  const fs::path out =
      dir / ("assure_cli_out_" + std::to_string(getpid()) + "_" + std::to_string(++counter));
  const fs::path err = out.string() + ".err";
  pid_t pid = fork();
  if (pid == 0) {
    for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
    int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char*> argv{const_cast<char*>(ASSAY_BIN)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(ASSAY_BIN, argv.data());
    _exit(127);
  }
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  Proc r;
  r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -WTERMSIG(wstatus);
  r.out = slurp(out);
  r.err = slurp(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}

std::string integrity(const std::string& db) {
  sqlite3* h = nullptr;
  std::string out;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW)
      out += reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
  }
  sqlite3_close(h);
  return out;
}

class AssureCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("assure_cli_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const fs::path example = fs::path(ASSAY_SOURCE_DIR) / "examples/reference-2024";
    v1_ = dir_ / "v1";
    v2_ = dir_ / "v2";
    for (const fs::path& p : {v1_, v2_}) {
      fs::create_directories(p);
      for (const auto& e : fs::directory_iterator(example)) {
        if (e.is_regular_file()) fs::copy_file(e.path(), p / e.path().filename());
      }
    }
    std::string csv = slurp(v2_ / "activities.csv");
    const std::string from =
        "EL-2024-DC-TJ1-01,DC-TJ1,2024-01-01,2024-01-31,electricity.grid,47090.4,";
    const size_t at = csv.find(from);
    ASSERT_NE(at, std::string::npos);
    csv.replace(at, from.size(),
                "EL-2024-DC-TJ1-01,DC-TJ1,2024-01-01,2024-01-31,electricity.grid,48000,");
    std::ofstream(v2_ / "activities.csv", std::ios::binary | std::ios::trunc) << csv;
    db_ = (dir_ / "ledger.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Ingests through the library, with a chosen clock, so that the two
  // batches have distinct times without waiting.
  void ingest_at(const fs::path& package, int64_t at) {
    PackageReadResult r;
    ReadOptions o;
    o.write_quarantine = false;
    ASSERT_TRUE(read_package(package.string(), o, &r));
    std::unique_ptr<Ledger> ledger;
    ASSERT_TRUE(Ledger::open(db_, &ledger));
    IngestResult result;
    ASSERT_TRUE(
        ledger->ingest(r.package, r.content_hash, {"ci", "test", [at] { return at; }}, &result));
    ASSERT_GT(result.batch_id, 0);
  }
  std::string calc_package(const fs::path& package) {
    Proc r = assay({"calc", package.string(), "--json", "--no-quarantine"});
    EXPECT_EQ(r.status, 0) << r.err;
    return r.out;
  }

  fs::path dir_, v1_, v2_;
  std::string db_;
};

TEST_F(AssureCli, CalcFromTheLedgerAndAsOfReproduceEachPackageByteForByte) {
  ingest_at(v1_, 1000);
  ingest_at(v2_, 2000);
  const std::string doc1 = calc_package(v1_);
  const std::string doc2 = calc_package(v2_);
  ASSERT_NE(doc1, doc2);
  ASSERT_GT(doc1.size(), 1000u);
  // Between the batches: v1, byte for byte, run hash included.
  for (const char* t :
       {"1000", "1500", "1999", "1970-01-01T00:25:00Z", "1970-01-01T08:25:00+08:00"}) {
    Proc r = assay({"calc", "--db", db_, "--as-of", t, "--json"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, doc1) << "as of " << t;
  }
  // At and after the second batch, and now: v2.
  EXPECT_EQ(assay({"calc", "--db", db_, "--as-of", "2000", "--json"}).out, doc2);
  EXPECT_EQ(assay({"calc", "--db", db_, "--json"}).out, doc2);
  // Before the first batch there is nothing to compute.
  Proc before = assay({"calc", "--db", db_, "--as-of", "999", "--json"});
  EXPECT_EQ(before.status, 1);
  EXPECT_NE(before.err.find("held no package at 1970-01-01T00:16:39Z"), std::string::npos)
      << before.err;
  EXPECT_EQ(assay({"calc", "--db", db_, "--as-of", "yesterday"}).status, 2);
  EXPECT_EQ(assay({"calc", v1_.string(), "--db", db_}).status, 2);

  // diff between the two points: the corrected bill changes DC-TJ1's 2024
  // location-based scope 2 by (48000 - 47090.4) MWh x its grid factor.
  Proc diff = assay({"diff", "--db", db_, "--as-of", "1500", "--as-of", "2500", "--json"});
  ASSERT_EQ(diff.status, 0) << diff.err;
  auto j = nlohmann::json::parse(diff.out);
  bool site_changed = false;
  for (const auto& c : j["changes"]) {
    if (c["id"] == "energy.electricity" && c.value("site", "") == "DC-TJ1" && c["year"] == 2024) {
      site_changed = true;
      EXPECT_NEAR(c["absolute"].get<double>(), 909.6, 1e-6);  // MWh
    }
    EXPECT_NE(c["year"], 2023);  // nothing else moved
  }
  EXPECT_TRUE(site_changed) << diff.out;
}

TEST_F(AssureCli, LockRefusesAnIngestUntilUnlockedAndSignoffHeadVerifies) {
  ASSERT_EQ(assay({"ingest", v1_.string(), "--db", db_, "--user", "loader"}).status, 0);
  Proc lock = assay({"lock", "2024", "--db", db_, "--user", "alice"});
  ASSERT_EQ(lock.status, 0) << lock.err;
  EXPECT_EQ(lock.out.rfind("locked 2024 by alice; chain head ", 0), 0u) << lock.out;
  EXPECT_EQ(assay({"lock", "2024", "--db", db_, "--user", "alice"}).status, 1);

  Proc refused = assay({"ingest", v2_.string(), "--db", db_, "--user", "bob"});
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.err.find("assay ingest: ingest refused: year 2024 is locked (by alice at "),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("activities record EL-2024-DC-TJ1-01 (activities.csv:"),
            std::string::npos)
      << refused.err;
  // Nothing of it was written: v1's figures still stand.
  EXPECT_EQ(assay({"calc", "--db", db_, "--json"}).out, calc_package(v1_));

  EXPECT_EQ(assay({"unlock", "2024", "--db", db_, "--user", "alice"}).status, 2);  // no reason
  Proc unlock =
      assay({"unlock", "2024", "--db", db_, "--user", "alice", "--reason", "restatement"});
  ASSERT_EQ(unlock.status, 0) << unlock.err;
  ASSERT_EQ(assay({"ingest", v2_.string(), "--db", db_, "--user", "bob"}).status, 0);

  const std::string doc2 = calc_package(v2_);
  const std::string run_hash = nlohmann::json::parse(doc2)["run_hash"];
  Proc signoff =
      assay({"signoff", "2024", "--run", run_hash, "--db", db_, "--user", "cfo", "--json"});
  ASSERT_EQ(signoff.status, 0) << signoff.err;
  auto s = nlohmann::json::parse(signoff.out);
  EXPECT_EQ(s["run_hash"], run_hash);
  const std::string head = s["chain_head"];
  EXPECT_EQ(head.size(), 64u);
  Proc verify = assay({"verify", "--db", db_, "--head", head});
  EXPECT_EQ(verify.status, 0) << verify.out;
  EXPECT_EQ(assay({"signoff", "2024", "--run", "abc", "--db", db_}).status, 2);

  // The audit log holds the four changes and the two ingests, in order.
  std::unique_ptr<Ledger> ledger;
  ASSERT_TRUE(Ledger::open(db_, &ledger));
  VerifyResult v;
  ASSERT_TRUE(ledger->verify(head, &v));
  EXPECT_TRUE(v.ok) << v.reason;
  EXPECT_EQ(v.entries, 5);  // ingest, lock, unlock, ingest, signoff
  EXPECT_EQ(v.head, head);
}

TEST_F(AssureCli, LockKilledInsideItsTransactionLeavesAConsistentLedger) {
  ASSERT_EQ(assay({"ingest", v1_.string(), "--db", db_, "--user", "loader"}).status, 0);
  // Killed before COMMIT: no lock, no audit entry.
  Proc before =
      assay({"lock", "2024", "--db", db_, "--user", "alice"}, {"ASSAY_FAULT_LOCK=before_commit"});
  EXPECT_EQ(before.status, -SIGKILL);
  EXPECT_EQ(integrity(db_), "ok");
  Proc verify = assay({"verify", "--db", db_, "--json"});
  EXPECT_EQ(verify.status, 0) << verify.out;
  EXPECT_EQ(nlohmann::json::parse(verify.out)["entries"], 1);
  // Killed after COMMIT: the lock holds and is in the chain.
  Proc after =
      assay({"lock", "2024", "--db", db_, "--user", "alice"}, {"ASSAY_FAULT_LOCK=after_commit"});
  EXPECT_EQ(after.status, -SIGKILL);
  EXPECT_EQ(integrity(db_), "ok");
  verify = assay({"verify", "--db", db_, "--json"});
  EXPECT_EQ(verify.status, 0) << verify.out;
  EXPECT_EQ(nlohmann::json::parse(verify.out)["entries"], 2);
  Proc again = assay({"lock", "2024", "--db", db_, "--user", "alice"});
  EXPECT_EQ(again.status, 1);
  EXPECT_NE(again.err.find("year 2024 is already locked (by alice at "), std::string::npos);
  EXPECT_EQ(assay({"ingest", v2_.string(), "--db", db_, "--user", "bob"}).status, 1);
}

TEST_F(AssureCli, SampleIsReproducibleAndTheSameFromPackageAndLedger) {
  ASSERT_EQ(assay({"ingest", v1_.string(), "--db", db_, "--user", "loader"}).status, 0);
  const std::string a = (dir_ / "a.csv").string(), b = (dir_ / "b.csv").string(),
                    c = (dir_ / "c.csv").string(), p = (dir_ / "p.csv").string();
  auto sample = [&](const std::string& seed, const std::string& out, bool from_db = true) {
    std::vector<std::string> args{"sample", "ghg.scope1", "--year", "2024",  "--n",
                                  "10",     "--seed",     seed,     "--out", out};
    if (from_db) {
      args.insert(args.end(), {"--db", db_});
    } else {
      args.push_back(v1_.string());
    }
    Proc r = assay(args);
    EXPECT_EQ(r.status, 0) << r.err;
  };
  sample("42", a);
  sample("42", b);
  sample("43", c);
  sample("42", p, false);
  const std::string sa = slurp(a);
  EXPECT_EQ(sa, slurp(b));
  EXPECT_NE(sa, slurp(c));
  // The package gives the same rows and parameters (only the source line differs).
  auto rows = [](const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("# source:", 0) != 0) out.push_back(line);
    }
    return out;
  };
  EXPECT_EQ(rows(sa), rows(slurp(p)));
  std::vector<std::string> data;
  for (const auto& line : rows(sa)) {
    if (line[0] != '#') data.push_back(line);
  }
  ASSERT_EQ(data.size(), 11u);  // header + n
  EXPECT_EQ(data[0].rfind("selection,record_id,site_id,start,end,activity,quantity,unit,", 0), 0u);
  EXPECT_NE(sa.find("# seed: 42\n"), std::string::npos);

  const std::string x = (dir_ / "s.xlsx").string();
  Proc r = assay(
      {"sample", "ghg.scope2.market", "--year", "2024", "--seed", "1", "--db", db_, "--out", x});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(slurp(x).substr(0, 2), "PK");
  EXPECT_EQ(
      assay({"sample", "no.such.metric", "--year", "2024", "--seed", "1", "--db", db_, "--out", a})
          .status,
      1);
}

TEST_F(AssureCli, DiffOfTwoFilesFlagsStrictlyBeyondTheThreshold) {
  auto write = [&](const char* name, double v) {
    std::ofstream(dir_ / name) << R"({"package":"P","reporting_year":2024,"run_hash":"sha256:)"
                               << name << R"(","metrics":[{"id":"ghg.scope1","year":2024,"value":)"
                               << v << R"(,"unit":"tCO2e"}],"warnings":[]})";
  };
  write("a.json", 200);
  write("b.json", 210);    // +5% exactly
  write("c.json", 210.5);  // +5.25%
  Proc at = assay({"diff", (dir_ / "a.json").string(), (dir_ / "b.json").string(), "--json"});
  ASSERT_EQ(at.status, 0) << at.err;
  auto j = nlohmann::json::parse(at.out);
  EXPECT_EQ(j["changes"][0]["relative_pct"], 5.0);
  EXPECT_EQ(j["changes"][0]["material"], false);
  Proc above = assay({"diff", (dir_ / "a.json").string(), (dir_ / "c.json").string(), "--json"});
  EXPECT_EQ(above.status, 0);
  EXPECT_EQ(nlohmann::json::parse(above.out)["changes"][0]["material"], true);
  Proc text =
      assay({"diff", (dir_ / "a.json").string(), (dir_ / "c.json").string(), "--threshold", "6"});
  EXPECT_EQ(text.status, 0);
  EXPECT_NE(text.out.find("  ghg.scope1 2024: 200 -> 210.5 tCO2e  (+10.5, +5.25%)"),
            std::string::npos)
      << text.out;
  EXPECT_EQ(assay({"diff", (dir_ / "a.json").string()}).status, 2);
}

}  // namespace
}  // namespace assay
