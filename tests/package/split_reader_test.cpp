// Reading activities.csv in parts on several threads gives exactly what one
// reader gives: records (every field), diagnostics (file, line, column, code,
// message, in order), quarantined bytes and reasons, counts and content hash.
// The input is built so that parts begin everywhere: inside quoted fields
// holding newlines, next to rows with syntax errors, between CRLF and LF
// lines, after a BOM, with ids repeated across parts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "package/csv_reader.hpp"
#include "package/package_reader.hpp"

namespace assay {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void spit(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out << bytes;
}

// "R" and `i`, zero-padded to 6 digits with `padded` (then ids in row order
// increase in byte order, as an export's often do; "R10" < "R9" otherwise).
std::string record_id(int i, bool padded) {
  std::string digits = std::to_string(i);
  if (padded && digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
  return "R" + digits;
}

// A deterministic mix of good and bad rows; `n` rows after the header; with
// `repeats`, some ids repeat an id of an earlier part.
std::string activities(int n, bool repeats, bool padded = false) {
  std::string s =
      "\xEF\xBB\xBFrecord_id,site_id,start,end,activity,quantity,unit,scope3_category,"
      "evidence,note\r\n";
  for (int i = 0; i < n; ++i) {
    std::string id = record_id(repeats && i % 97 == 5 ? i - 40 : i, padded);
    std::string eol = i % 3 == 0 ? "\r\n" : "\n";
    std::string row = id + ",S" + std::to_string(1 + i % 2) + ",2024-01-01,2024-01-31,";
    switch (i % 23) {
      case 1:  // a note with newlines (and a CRLF) inside quotes
        row += "electricity.grid,100,kWh,,inv,\"first line\nsecond, line\r\nthird \"\"q\"\"\"";
        break;
      case 4:  // a quoted field never closed before... the next quote, many lines on
        row += "electricity.grid,100,kWh,,inv,\"open";
        break;
      case 7:  // text after a closing quote
        row += "electricity.grid,\"100\"x,kWh,,,";
        break;
      case 9:  // bad UTF-8
        row += "electricity.grid,100,kWh,,\xC3\x28,";
        break;
      case 11:  // several errors in one row
        row += "no.such.activity,-1,kWh,3,,";
        break;
      case 13:  // too few fields
        row += "electricity.grid,100";
        break;
      case 15:  // a warning: partly outside the years
        row = id + ",S1,2024-12-01,2025-01-31,electricity.grid,5,MWh,,,";
        break;
      case 17:  // a quote inside an unquoted field
        row += "electricity.grid,100,kWh,,in\"v,";
        break;
      case 19:  // an empty line before the row
        row = eol + row + "fuel.diesel.stationary,\"1,234.5\",L,,,";
        break;
      case 21:  // a lone CR inside an unquoted field
        row += "electricity.grid,7,kWh,,a\rb,";
        break;
      default:
        row += "electricity.grid," + std::to_string(i) + ".5,kWh,,inv-" + std::to_string(i) + ",";
    }
    s += row + eol;
  }
  s += "R999999,S1,2024-02-01,2024-02-29,electricity.grid,1,kWh,,,\"closes at the end";
  return s;
}

struct Outcome {
  PackageReadResult result;
  std::map<std::string, std::string> quarantine;
};

Outcome read(const fs::path& pkg, const fs::path& q, unsigned threads, uint64_t min_chunk,
             bool keep_records, bool hash_files = true) {
  fs::remove_all(q);
  ReadOptions options;
  options.hash_files = hash_files;
  options.quarantine_dir = q.string();
  options.read_threads = threads;
  options.min_chunk_bytes = min_chunk;
  options.keep_records = keep_records;
  Outcome o;
  Status s = read_package(pkg.string(), options, &o.result);
  EXPECT_TRUE(s.is_ok()) << s.message();
  if (fs::exists(q)) {
    for (const auto& e : fs::recursive_directory_iterator(q)) {
      if (e.is_regular_file()) o.quarantine[fs::relative(e.path(), q).string()] = slurp(e.path());
    }
  }
  return o;
}

std::string describe(const Diagnostic& d) {
  return std::string(d.is_error() ? "E " : "W ") + d.file + ":" + std::to_string(d.line) + ":" +
         std::to_string(d.column) + " " + d.code + " " + d.message;
}

std::string describe(const ActivityRecord& r) {
  auto s = [](std::string_view v) { return std::string(v); };
  return s(r.record_id) + "|" + s(r.site_id) + "|" + std::to_string(r.start.days) + "|" +
         std::to_string(r.end.days) + "|" + s(r.activity) + "|" + r.quantity.to_string() + "|" +
         s(r.unit) + "|" + std::to_string(r.scope3_category) + "|" + std::to_string(r.site_index) +
         "|" + s(r.evidence) + "|" + s(r.note) + "|" + s(r.source.file) + ":" +
         std::to_string(r.source.line);
}

void expect_same(const Outcome& serial, const Outcome& split) {
  std::vector<std::string> want, got;
  for (const auto& d : serial.result.diagnostics.items()) want.push_back(describe(d));
  for (const auto& d : split.result.diagnostics.items()) got.push_back(describe(d));
  EXPECT_EQ(got, want);
  EXPECT_EQ(split.result.diagnostics.error_count(), serial.result.diagnostics.error_count());
  want.clear();
  got.clear();
  for (const auto& r : serial.result.package.activities) want.push_back(describe(r));
  for (const auto& r : split.result.package.activities) got.push_back(describe(r));
  EXPECT_EQ(got, want);
  EXPECT_EQ(split.quarantine, serial.quarantine);
  EXPECT_EQ(split.result.rows_read, serial.result.rows_read);
  EXPECT_EQ(split.result.rows_rejected, serial.result.rows_rejected);
  EXPECT_EQ(split.result.content_hash, serial.result.content_hash);
}

class SplitReader : public ::testing::Test {
 protected:
  void SetUp() override {
    work_ = fs::temp_directory_path() / ("assay-split-" + std::to_string(::getpid()));
    fs::remove_all(work_);
    pkg_ = work_ / "pkg";
    fs::create_directories(pkg_);
    fs::copy(fs::path(ASSAY_SOURCE_DIR) / "tests" / "malformed" / "_base", pkg_,
             fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(work_); }

  // `merge`: whether parts are expected to be used at all (a repeated id
  // sends the whole table back to the single reader).
  void expect_same_in_parts(bool keep_records, bool merge) {
    Outcome serial = read(pkg_, work_ / "q1", 1, 1, keep_records);
    ASSERT_GT(serial.result.diagnostics.error_count(), 0u);
    uint64_t merged = 0;
    for (unsigned threads : {2u, 3u, 5u, 8u}) {
      for (uint64_t min_chunk : {1u, 7u, 64u, 300u, 5000u}) {
        SCOPED_TRACE("threads " + std::to_string(threads) + ", parts of at least " +
                     std::to_string(min_chunk) + " bytes");
        Outcome split = read(pkg_, work_ / "q2", threads, min_chunk, keep_records);
        merged += split.result.parts_merged;
        expect_same(serial, split);
      }
    }
    if (merge) {
      EXPECT_GT(merged, 0u) << "some parts were read on other threads and used";
    } else {
      EXPECT_EQ(merged, 0u) << "a repeated id: the table is read again on one thread";
    }
  }

  fs::path work_, pkg_;
};

TEST_F(SplitReader, MixedRowsGiveTheSameRecordsDiagnosticsAndQuarantine) {
  spit(pkg_ / "activities.csv", activities(400, false));
  expect_same_in_parts(true, true);
}

// A record keeps its text as 8-byte TextRefs: text longer than 65,534 bytes
// is kept out of line. Notes around that length (and far past it) read back
// byte for byte, on one reader or several.
TEST_F(SplitReader, LongNotesReadBackExactly) {
  std::string csv = "record_id,site_id,start,end,activity,quantity,unit,evidence,note\n";
  std::vector<std::string> notes;
  int i = 0;
  for (size_t n : {size_t{65533}, size_t{65534}, size_t{65535}, size_t{65536}, size_t{200000}}) {
    std::string note(n, 'n');
    note[n / 2] = ',';  // quoted: a comma inside
    note.back() = static_cast<char>('a' + i);
    notes.push_back(note);
    csv += "R" + std::to_string(i) + ",S1,2024-01-01,2024-01-31,electricity.grid,1,kWh,inv,\"" +
           note + "\"\n";
    csv += "R" + std::to_string(i) + "b,S2,2024-01-01,2024-01-31,electricity.grid,2,kWh,,\n";
    ++i;
  }
  spit(pkg_ / "activities.csv", csv);
  for (unsigned threads : {1u, 3u}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    Outcome o = read(pkg_, work_ / "q", threads, 1000, true);
    EXPECT_EQ(o.result.diagnostics.error_count(), 0u);
    const auto& acts = o.result.package.activities;
    ASSERT_EQ(acts.size(), 2 * notes.size());
    for (size_t k = 0; k < notes.size(); ++k) {
      EXPECT_EQ(acts[2 * k].note.size(), notes[k].size());
      EXPECT_TRUE(acts[2 * k].note == notes[k]) << k;
      EXPECT_EQ(acts[2 * k].evidence, "inv");
      EXPECT_TRUE(acts[2 * k + 1].note.empty());
    }
  }
}

// The reader remembers periods it checked without a diagnostic (by the text
// of the two cells). Rows repeating a period that warns or fails must each
// get their diagnostic, and a remembered period must give the same dates.
TEST_F(SplitReader, RepeatedPeriodsGetTheirDiagnosticsEveryTime) {
  std::string csv = "record_id,site_id,start,end,activity,quantity,unit\n";
  const char* periods[][2] = {{"2024-03-01", "2024-03-31"},    // fine
                              {"2024-12-01", "2025-01-31"},    // warning: partly outside
                              {"2024-05-31", "2024-05-01"},    // error: reversed
                              {"2024-02-30", "2024-03-01"},    // error: no such date
                              {"2024-03-01", "2024-03-31 "}};  // error: not a date
  const int rows = 500;
  for (int i = 0; i < rows; ++i) {
    const auto& p = periods[i % 5];
    csv += "R" + std::to_string(i) + ",S1," + p[0] + "," + p[1] + ",electricity.grid,1,kWh\n";
  }
  spit(pkg_ / "activities.csv", csv);
  for (unsigned threads : {1u, 3u}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    Outcome o = read(pkg_, work_ / "q", threads, 300, true);
    std::map<std::string, int> codes;
    for (const auto& d : o.result.diagnostics.items()) ++codes[d.code];
    EXPECT_EQ(codes["period_outside"], rows / 5);
    EXPECT_EQ(codes["period_reversed"], rows / 5);
    EXPECT_EQ(codes["date_invalid"], 2 * rows / 5);
    const auto& acts = o.result.package.activities;
    ASSERT_EQ(acts.size(), 2u * rows / 5);  // the fine and the warned rows
    for (const auto& a : acts) {
      const bool march = a.start == *parse_date("2024-03-01");
      EXPECT_EQ(a.end, *parse_date(march ? "2024-03-31" : "2025-01-31"));
      if (!march) {
        EXPECT_EQ(a.start, *parse_date("2024-12-01"));
      }
    }
  }
}

// calc reads without hashing the files (it identifies the package by its
// records): the same records, diagnostics and quarantine, one reader or
// several, and no content hash.
TEST_F(SplitReader, WithoutFileHashesTheSameRecordsAndNoContentHash) {
  spit(pkg_ / "activities.csv", activities(400, false));
  const Outcome hashed = read(pkg_, work_ / "q1", 1, 1, true);
  ASSERT_EQ(hashed.result.content_hash.size(), 64u);
  for (unsigned threads : {1u, 3u}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    Outcome plain = read(pkg_, work_ / "q2", threads, 7, true, /*hash_files=*/false);
    EXPECT_EQ(plain.result.content_hash, "");
    plain.result.content_hash = hashed.result.content_hash;  // all else must match
    expect_same(hashed, plain);
  }
}

TEST_F(SplitReader, SameWhenRecordsAreNotKept) {
  spit(pkg_ / "activities.csv", activities(400, false));
  expect_same_in_parts(false, true);
}

TEST_F(SplitReader, RepeatedIdsAcrossPartsAreReadAgainInOrder) {
  spit(pkg_ / "activities.csv", activities(400, true));
  expect_same_in_parts(true, false);
  expect_same_in_parts(false, false);
}

// Ids that only increase need no check for repeats (package/tables.cpp,
// IdOrder): the same result, and the parts are used.
TEST_F(SplitReader, IncreasingIdsGiveTheSameResult) {
  spit(pkg_ / "activities.csv", activities(400, false, /*padded=*/true));
  expect_same_in_parts(true, true);
  expect_same_in_parts(false, true);
}

// A repeat breaks the order, wherever the parts begin: found as one reader finds it.
TEST_F(SplitReader, ARepeatAmongIncreasingIdsIsFound) {
  spit(pkg_ / "activities.csv", activities(400, true, /*padded=*/true));
  expect_same_in_parts(true, false);
  expect_same_in_parts(false, false);
}

// The same id twice in a row is not an increase, also when a part ends
// between the two (small parts put a boundary at every row).
TEST_F(SplitReader, AnIdRightAfterItselfIsARepeat) {
  std::string s = "record_id,site_id,start,end,activity,quantity,unit\n";
  for (int i = 0; i < 200; ++i) {
    s += record_id(i == 120 ? 119 : i, true) + ",S1,2024-01-01,2024-01-31,electricity.grid,1,kWh\n";
  }
  spit(pkg_ / "activities.csv", s);
  Outcome serial = read(pkg_, work_ / "q1", 1, 1, true);
  ASSERT_EQ(serial.result.diagnostics.error_count(), 1u);
  for (uint64_t min_chunk : {1u, 50u, 5000u}) {
    SCOPED_TRACE("parts of at least " + std::to_string(min_chunk) + " bytes");
    Outcome split = read(pkg_, work_ / "q2", 4, min_chunk, true);
    EXPECT_EQ(split.result.parts_merged, 0u);
    expect_same(serial, split);
  }
}

// Two runs of increasing ids, the second starting below the end of the
// first (20 ids repeat): wherever the reader cuts the file, even exactly
// between the runs (each part then increasing on its own), the repeats are
// found. The run change moves row by row across the middle of the file.
TEST_F(SplitReader, PartsThatEachIncreaseButOverlapAreRepeats) {
  for (int change = 85; change <= 115; ++change) {
    SCOPED_TRACE("second run from row " + std::to_string(change));
    std::string s = "record_id,site_id,start,end,activity,quantity,unit\n";
    for (int i = 0; i < 200; ++i) {
      s += record_id(1000 + (i < change ? i : i - 20), true) +
           ",S1,2024-01-01,2024-01-31,electricity.grid,1,kWh\n";
    }
    spit(pkg_ / "activities.csv", s);
    Outcome serial = read(pkg_, work_ / "q1", 1, 1, true);
    ASSERT_EQ(serial.result.diagnostics.error_count(), 20u);
    Outcome split = read(pkg_, work_ / "q2", 2, 1, true);
    EXPECT_EQ(split.result.parts_merged, 0u);
    expect_same(serial, split);
  }
}

// A duplicate whose first occurrence is in an earlier part, and the row after
// it that repeats it again: both name the first line of the whole file.
TEST_F(SplitReader, DuplicateAcrossPartsNamesTheFirstLineOfTheFile) {
  std::string s = "record_id,site_id,start,end,activity,quantity,unit\n";
  for (int i = 0; i < 200; ++i) {
    int id = i == 150 || i == 180 ? 3 : i;
    s += "R" + std::to_string(id) + ",S1,2024-01-01,2024-01-31,electricity.grid,1,kWh\n";
  }
  spit(pkg_ / "activities.csv", s);
  Outcome serial = read(pkg_, work_ / "q1", 1, 1, true);
  ASSERT_EQ(serial.result.diagnostics.items().size(), 2u);
  EXPECT_EQ(serial.result.diagnostics.items()[0].message,
            "duplicate record_id \"R3\" (first on line 5; the first is kept)");
  EXPECT_EQ(serial.result.diagnostics.items()[0].line, 152);
  EXPECT_EQ(serial.result.diagnostics.items()[1].line, 182);
  for (unsigned threads : {2u, 4u}) {
    Outcome split = read(pkg_, work_ / "q2", threads, 100, true);
    // A repeat anywhere: the table is read again in order, on one thread.
    EXPECT_EQ(split.result.parts_merged, 0u);
    expect_same(serial, split);
  }
}

// Enough rows that each part keeps its records in several batches (1 << 16
// records each), merged in order; then the same with a duplicate within the
// last part, and with a rejected row repeating the id of an earlier kept row.
TEST_F(SplitReader, ManyRowsKeepTheirOrder) {
  const int n = 300000;
  auto rows = [&](int duplicate_at, bool reject_it) {
    std::string s = "record_id,site_id,start,end,activity,quantity,unit\n";
    for (int i = 0; i < n; ++i) {
      const bool dup = i == duplicate_at;
      s += "R" + std::to_string(dup ? 17 : i) + ",S" + std::to_string(1 + i % 2) +
           ",2024-01-01,2024-01-31,electricity.grid," +
           (dup && reject_it ? std::string("-1") : std::to_string(i % 1000)) + ",kWh\n";
    }
    return s;
  };
  struct Case {
    int duplicate_at;
    bool reject_it;
    size_t kept;
    uint64_t errors;
  };
  for (Case c : {Case{-1, false, size_t(n), 0}, Case{n - 10, false, size_t(n - 1), 1},
                 Case{n - 10, true, size_t(n - 1), 2}}) {
    SCOPED_TRACE("duplicate at " + std::to_string(c.duplicate_at));
    spit(pkg_ / "activities.csv", rows(c.duplicate_at, c.reject_it));
    Outcome serial = read(pkg_, work_ / "q1", 1, 1, true);
    ASSERT_EQ(serial.result.package.activities.size(), c.kept);
    ASSERT_EQ(serial.result.diagnostics.error_count(), c.errors);
    for (unsigned threads : {2u, 3u}) {
      SCOPED_TRACE(std::to_string(threads) + " threads");
      Outcome split = read(pkg_, work_ / "q2", threads, 1 << 20, true);
      EXPECT_EQ(split.result.parts_merged, c.duplicate_at < 0 ? threads - 1 : 0u)
          << "parts read on their own threads are used unless an id repeats";
      expect_same(serial, split);
    }
  }
}

// A workbook sheet of activities read after activities.csv was read in
// parts: its row repeating an id of the CSV is a duplicate of the CSV's line,
// as when the CSV is read on one thread.
TEST_F(SplitReader, SheetAfterPartsSeesTheCsvIds) {
  std::string s = "record_id,site_id,start,end,activity,quantity,unit\n";
  for (int i = 0; i < 400; ++i) {
    s += "R" + std::to_string(i) + ",S1,2024-01-01,2024-01-31,electricity.grid,1,kWh\n";
  }
  spit(pkg_ / "activities.csv", s);
  fs::copy_file(
      fs::path(ASSAY_SOURCE_DIR) / "tests" / "fixtures" / "xlsx" / "activities_sheet.xlsx",
      pkg_ / "more.xlsx");
  Outcome serial = read(pkg_, work_ / "q1", 1, 1, true);
  ASSERT_EQ(serial.result.package.activities.size(), 401u);
  ASSERT_EQ(serial.result.diagnostics.error_count(), 1u);
  const Diagnostic& d = serial.result.diagnostics.items()[0];
  EXPECT_EQ(d.file, "more.xlsx[activities]");
  EXPECT_EQ(d.message, "duplicate record_id \"R3\" (first on line 5; the first is kept)");
  for (bool keep : {true, false}) {
    Outcome split = read(pkg_, work_ / "q2", 2, 100, keep);
    EXPECT_EQ(split.result.parts_merged, 1u);
    if (keep) expect_same(serial, split);
    ASSERT_EQ(split.result.diagnostics.error_count(), 1u);
    EXPECT_EQ(split.result.diagnostics.items()[0].message, d.message);
  }
}

// A row longer than the contract's limit (streamed to the quarantine, never
// held) right where a part would begin.
TEST_F(SplitReader, TooLongLineAtAPartBoundary) {
  std::string head = "record_id,site_id,start,end,activity,quantity,unit,note\n";
  std::string s = head;
  for (int i = 0; i < 50; ++i)
    s += "R" + std::to_string(i) + ",S1,2024-01-01,2024-01-31,electricity.grid,1,kWh,\n";
  s += "RL,S1,2024-01-01,2024-01-31,electricity.grid,1,kWh," +
       std::string(kMaxLineBytes + 10, 'x') + "\n";
  for (int i = 50; i < 100; ++i)
    s += "R" + std::to_string(i) + ",S1,2024-01-01,2024-01-31,electricity.grid,1,kWh,\n";
  spit(pkg_ / "activities.csv", s);
  Outcome serial = read(pkg_, work_ / "q1", 1, 1, true);
  ASSERT_EQ(serial.result.diagnostics.error_count(), 1u);
  EXPECT_EQ(serial.result.diagnostics.items()[0].code, "line_too_long");
  for (unsigned threads : {2u, 3u, 4u}) {
    for (uint64_t min_chunk : {1u, 1000u, 300000u}) {
      SCOPED_TRACE(std::to_string(threads) + " threads, " + std::to_string(min_chunk));
      expect_same(serial, read(pkg_, work_ / "q2", threads, min_chunk, true));
    }
  }
}

}  // namespace
}  // namespace assay
