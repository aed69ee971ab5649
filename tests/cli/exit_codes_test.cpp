// The contract of the command line: exit codes (0 ok, 1 data errors, 2 usage),
// --help and --version, and `validate --json`'s shape (spec/data-package.md).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace {

struct CmdResult {
  int code;
  std::string out;
};

CmdResult run(const std::string& args) {
  std::string cmd = std::string(ASSAY_BIN) + " " + args + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

const std::string kSrc = ASSAY_SOURCE_DIR;

// tests/malformed/unknown_unit laid over the base package, in a temp folder.
std::string unknown_unit_package() {
  namespace fs = std::filesystem;
  static const std::string dir = [] {
    fs::path d = fs::temp_directory_path() / ("assay-exit-" + std::to_string(getpid()));
    fs::remove_all(d);
    fs::copy(kSrc + "/tests/malformed/_base", d, fs::copy_options::recursive);
    fs::copy(kSrc + "/tests/malformed/unknown_unit/package", d,
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    return d.string();
  }();
  return dir;
}

TEST(ExitCodes, OkDataErrorAndUsage) {
  EXPECT_EQ(run("validate " + kSrc + "/examples/reference-2024 --no-quarantine").code, 0);
  EXPECT_EQ(run("validate " + unknown_unit_package() + " --no-quarantine").code, 1);
  EXPECT_EQ(run("validate /nonexistent/package").code, 2);
  EXPECT_EQ(run("validate").code, 2);         // missing argument
  EXPECT_EQ(run("no-such-command").code, 2);  // unknown subcommand
  EXPECT_EQ(run("").code, 2);                 // a subcommand is required
  EXPECT_EQ(run("validate --bogus-flag x").code, 2);
}

TEST(ExitCodes, HelpAndVersion) {
  CmdResult v = run("--version");
  EXPECT_EQ(v.code, 0);
  EXPECT_EQ(v.out.rfind("assay ", 0), 0u) << v.out;
  for (const char* sub : {"validate", "ingest", "history", "verify", "calc", "explain"}) {
    CmdResult h = run(std::string(sub) + " --help");
    EXPECT_EQ(h.code, 0) << sub;
    EXPECT_NE(h.out.find("Usage:"), std::string::npos) << sub;
  }
}

TEST(ValidateJson, HasTheContractShape) {
  // tests/malformed/unknown_unit: one error, at activities.csv line 2, column 7.
  // (The package path is last: validate's options may come before it.)
  CmdResult r = run("validate " + unknown_unit_package() + " --json --no-quarantine");
  EXPECT_EQ(r.code, 1);
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["errors"].size(), 1u);
  EXPECT_TRUE(doc["warnings"].is_array());
  const auto& e = doc["errors"][0];
  EXPECT_EQ(e["file"], "activities.csv");
  EXPECT_EQ(e["line"], 2);
  EXPECT_EQ(e["column"], 7);
  EXPECT_EQ(e["code"], "unit_invalid");
  EXPECT_EQ(e["message"],
            "unit \"litre\" is not a unit of fuel.diesel.stationary (expected L, kg or t)");
}

}  // namespace

namespace {

// `explain --batch`: every listed figure, the package read once; a bad line is a usage error.
TEST(ExplainBatch, ExplainsEachListedFigureInOrder) {
  namespace fs = std::filesystem;
  const fs::path q = fs::temp_directory_path() / ("assay-batch-" + std::to_string(getpid()));
  {
    FILE* f = std::fopen(q.c_str(), "w");
    std::fputs("# scope 2, then scope 1\nghg.scope2.market --year 2024\n\nghg.scope1 --year 2024\n",
               f);
    std::fclose(f);
  }
  const std::string pkg = kSrc + "/examples/reference-2024";
  CmdResult batch = run("explain --batch " + q.string() + " " + pkg + " --top 3");
  EXPECT_EQ(batch.code, 0);
  CmdResult one = run("explain ghg.scope2.market " + pkg + " --year 2024 --top 3");
  CmdResult two = run("explain ghg.scope1 " + pkg + " --year 2024 --top 3");
  EXPECT_EQ(batch.out, one.out + two.out);
  EXPECT_EQ(batch.out.rfind("ghg.scope2.market 2024: ", 0), 0u) << batch.out;

  {
    FILE* f = std::fopen(q.c_str(), "w");
    std::fputs("ghg.scope1 --bogus 1\n", f);
    std::fclose(f);
  }
  EXPECT_EQ(run("explain --batch " + q.string() + " " + pkg).code, 2);
  EXPECT_EQ(run("explain " + pkg).code, 2);  // neither a metric nor --batch
  fs::remove(q);
}

}  // namespace
