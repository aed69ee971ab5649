// Runs every case of tests/malformed/ (see its README): the package is read,
// and the diagnostics, the rows kept and the quarantine must be exactly as
// the case says. The expected quarantine is derived from the input bytes
// themselves (header line + each rejected physical line), not from Assay.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "package/package_reader.hpp"

namespace assay {
namespace {

namespace fs = std::filesystem;

const fs::path kCases = fs::path(ASSAY_SOURCE_DIR) / "tests" / "malformed";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    out.push_back(line);
  }
  return out;
}

// Physical lines of a file with their line endings, 1-based.
std::vector<std::string> physical_lines(const std::string& bytes) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < bytes.size()) {
    size_t nl = bytes.find('\n', start);
    size_t end = nl == std::string::npos ? bytes.size() : nl + 1;
    out.push_back(bytes.substr(start, end - start));
    start = end;
  }
  return out;
}

std::string format(const Diagnostic& d) {
  return std::string(d.is_error() ? "error " : "warning ") + d.file + ":" + std::to_string(d.line) +
         ":" + std::to_string(d.column) + " " + d.code + " " + d.message;
}

void collect_kept(const Package& p, std::map<std::string, std::set<int64_t>>* kept) {
  auto add = [&](const SourceRef& s) { (*kept)[s.file].insert(s.line); };
  for (const auto& r : p.sites) add(r.source);
  for (const auto& r : p.activities) add(r.source.ref());
  for (const auto& r : p.instruments) add(r.source);
  for (const auto& r : p.user_factors) add(r.origin);
  for (const auto& r : p.meters) add(r.source);
  for (const auto& r : p.workforce) add(r.source);
  for (const auto& r : p.targets) add(r.source);
  for (const auto& r : p.disclosures) add(r.source);
}

class MalformedCase : public ::testing::TestWithParam<std::string> {};

// Reads the case with `threads` readers on parts of at least `min_chunk` bytes
// (1 thread: the single reader) and checks everything the case states.
void check_case(const std::string& name, unsigned threads, uint64_t min_chunk) {
  const fs::path dir = kCases / name;
  const fs::path work =
      fs::temp_directory_path() / ("assay-malformed-" + name + "-" + std::to_string(threads) + "-" +
                                   std::to_string(::getpid()));
  fs::remove_all(work);
  const fs::path pkg = work / "pkg";
  fs::create_directories(pkg);
  fs::copy(kCases / "_base", pkg, fs::copy_options::recursive);
  for (const auto& e : fs::recursive_directory_iterator(dir / "package")) {
    if (!e.is_regular_file()) continue;
    fs::path rel = fs::relative(e.path(), dir / "package");
    if (rel.extension() == ".delete") {
      fs::remove(pkg / rel.replace_extension(""));
      continue;
    }
    fs::create_directories((pkg / rel).parent_path());
    fs::copy_file(e.path(), pkg / rel, fs::copy_options::overwrite_existing);
  }

  ReadOptions options;
  options.quarantine_dir = (work / "q").string();
  options.read_threads = threads;
  options.min_chunk_bytes = min_chunk;
  PackageReadResult result;
  Status s = read_package(pkg.string(), options, &result);
  ASSERT_TRUE(s.is_ok()) << s.message();

  // 1. Diagnostics, exactly and in order.
  std::vector<std::string> expected = lines_of(slurp(dir / "expected.txt"));
  std::vector<std::string> actual;
  for (const auto& d : result.diagnostics.items()) actual.push_back(format(d));
  EXPECT_EQ(actual, expected);

  // 2. Rows kept.
  if (fs::exists(dir / "kept.txt")) {
    std::map<std::string, std::set<int64_t>> kept;
    collect_kept(result.package, &kept);
    for (const auto& line : lines_of(slurp(dir / "kept.txt"))) {
      std::istringstream in(line);
      std::string file;
      in >> file;
      std::set<int64_t> want;
      for (int64_t l; in >> l;) want.insert(l);
      EXPECT_EQ(kept[file], want) << "rows kept from " << file;
    }
  }

  // 3. Quarantine, byte for byte.
  std::map<std::string, std::string> want_files;
  if (fs::exists(dir / "quarantine")) {
    for (const auto& e : fs::recursive_directory_iterator(dir / "quarantine")) {
      if (e.is_regular_file()) {
        want_files[fs::relative(e.path(), dir / "quarantine").generic_string()] = slurp(e.path());
      }
    }
  } else {
    std::map<std::string, std::set<int64_t>> bad_lines;
    std::set<std::string> whole;
    for (const auto& d : result.diagnostics.items()) {
      if (!d.is_error() || d.line == 0 || d.file.find('[') != std::string::npos) continue;
      if (!fs::exists(pkg / d.file) || fs::path(d.file).extension() != ".csv") continue;
      bool header = d.line == 1 || d.code.rfind("header", 0) == 0;
      if (header)
        whole.insert(d.file);
      else
        bad_lines[d.file].insert(d.line);
    }
    for (const auto& f : whole) want_files[f] = slurp(pkg / f);
    for (const auto& [f, ls] : bad_lines) {
      if (whole.count(f)) continue;
      auto lines = physical_lines(slurp(pkg / f));
      std::string text = lines.empty() ? "" : lines[0];
      for (int64_t l : ls) text += lines.at(static_cast<size_t>(l - 1));
      want_files[f] = text;
    }
  }
  std::map<std::string, std::string> got_files;
  if (fs::exists(work / "q")) {
    for (const auto& e : fs::recursive_directory_iterator(work / "q")) {
      std::string rel = fs::relative(e.path(), work / "q").generic_string();
      if (e.is_regular_file() && rel != "reasons.csv") got_files[rel] = slurp(e.path());
    }
  }
  EXPECT_EQ(got_files, want_files);
  if (result.diagnostics.has_errors()) {
    EXPECT_TRUE(fs::exists(work / "q" / "reasons.csv")) << "every error has its reason on file";
  }
  fs::remove_all(work);
}

TEST_P(MalformedCase, DiagnosticsKeptRowsAndQuarantineAreExact) { check_case(GetParam(), 1, 1); }

// The same expectations when a table is read in parts of one line or more on
// several threads (split_reader): parts start at every few lines, inside
// quoted fields and next to broken rows alike.
TEST_P(MalformedCase, SameWhenReadInPartsOnSeveralThreads) {
  for (unsigned threads : {2u, 3u, 8u}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    check_case(GetParam(), threads, 1);
  }
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kCases)) {
    std::string n = e.path().filename().string();
    if (e.is_directory() && n[0] != '_') names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Cases, MalformedCase, ::testing::ValuesIn(case_names()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace assay
