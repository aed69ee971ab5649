// `assay report` as a user runs it: files written where asked, exit codes
// (0 ok, 1 data errors, 2 usage), and the same bytes from the same package.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

struct Result {
  int code = 0;
  std::string out;
};

Result run(const std::string& args) {
  const std::string cmd = std::string(ASSAY_BIN) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  Result r;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

fs::path fresh_dir(const std::string& name) {
  fs::path d =
      fs::temp_directory_path() / ("assay-report-cli-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(d);
  return d;
}

const std::string kExample = std::string(ASSAY_SOURCE_DIR) + "/examples/reference-2024";

TEST(ReportCli, WritesEveryFormatPerLanguageOfThePackage) {
  const fs::path out = fresh_dir("all");
  Result r = run("report " + kExample + " --out " + out.string() + " --no-quarantine");
  ASSERT_EQ(r.code, 0) << r.out;
  for (const char* f : {"report.en.html", "report.en.md", "report.en.xlsx", "report.zh-Hant.html",
                        "report.zh-Hant.md", "report.zh-Hant.xlsx", "report.json"}) {
    EXPECT_TRUE(fs::exists(out / f)) << f;
    EXPECT_NE(r.out.find((out / f).string()), std::string::npos) << "where it is: " << f;
  }
  EXPECT_FALSE(fs::exists(out / "report.zh-Hans.html"))
      << "only the package's languages by default";
  // No temporary file left behind.
  for (const auto& e : fs::directory_iterator(out)) EXPECT_NE(e.path().extension(), ".tmp");
  // Same package, same bytes.
  const fs::path again = fresh_dir("again");
  ASSERT_EQ(run("report " + kExample + " --out " + again.string() + " --no-quarantine").code, 0);
  for (const char* f : {"report.en.html", "report.zh-Hant.md", "report.en.xlsx", "report.json"}) {
    EXPECT_EQ(read(out / f), read(again / f)) << f;
  }
  fs::remove_all(out);
  fs::remove_all(again);
}

TEST(ReportCli, ChosenLanguagesAndFormats) {
  const fs::path out = fresh_dir("some");
  Result r = run("report " + kExample + " --out " + out.string() +
                 " --lang zh-Hans --format md,html --no-quarantine");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(fs::exists(out / "report.zh-Hans.md"));
  EXPECT_TRUE(fs::exists(out / "report.zh-Hans.html"));
  EXPECT_FALSE(fs::exists(out / "report.zh-Hans.xlsx"));
  EXPECT_FALSE(fs::exists(out / "report.json"));
  EXPECT_NE(read(out / "report.zh-Hans.md").find("温室气体排放总量（范围一、二、三）"),
            std::string::npos);
  fs::remove_all(out);
}

TEST(ReportCli, UsageErrorsExitTwo) {
  const fs::path out = fresh_dir("usage");
  Result lang = run("report " + kExample + " --out " + out.string() + " --lang fr");
  EXPECT_EQ(lang.code, 2);
  EXPECT_NE(lang.out.find("unknown language 'fr' (expected en, zh-Hant or zh-Hans)"),
            std::string::npos)
      << lang.out;
  Result format = run("report " + kExample + " --out " + out.string() + " --format pdf");
  EXPECT_EQ(format.code, 2);
  EXPECT_NE(format.out.find("unknown format 'pdf'"), std::string::npos) << format.out;
  EXPECT_EQ(run("report " + kExample).code, 2) << "--out is required";
  EXPECT_FALSE(fs::exists(out));
}

TEST(ReportCli, MissingPackageIsADataError) {
  const fs::path out = fresh_dir("missing");
  Result r = run("report /nonexistent/package --out " + out.string());
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("assay report:"), std::string::npos) << r.out;
}

}  // namespace
