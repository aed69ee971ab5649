// records_identity() (docs/ledger-schema.md, "Records identity"). The
// expected identities are recomputed here the plain way the document states
// it: one record at a time (activities in the v4 layout, written out below
// independently of identity.cpp; other tables with encode_record), one block
// after the other, on one thread. The packages are large enough for several
// blocks of activities (so for several hashing threads), and the last block
// is a partial one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ledger/record_codec.hpp"
#include "ledger_fixtures.hpp"
#include "units/sha256.hpp"

namespace assay::ledger_test {
namespace {

using ledger_internal::encode_record;
using ledger_internal::kAllTables;
using ledger_internal::LedgerTable;
using ledger_internal::record_count;
using ledger_internal::table_name;

constexpr size_t kBlock = 8192;  // records per block (docs/ledger-schema.md)

void field(std::string* out, const std::string& s) {
  *out += std::to_string(s.size()) + ":" + s + ";";
}

// An unsigned LEB128 varint: 7 bits a byte, least significant first, the
// high bit set on every byte but the last.
void varint(std::string* out, unsigned __int128 v) {
  do {
    const auto low = static_cast<unsigned char>(v & 0x7f);
    v >>= 7;
    out->push_back(static_cast<char>(v != 0 ? low | 0x80 : low));
  } while (v != 0);
}

// A signed integer, zigzag-encoded: 0, -1, 1, -2, 2 ... as 0, 1, 2, 3, 4 ...
void signed_varint(std::string* out, __int128 v) {
  const unsigned __int128 magnitude = v < 0 ? -static_cast<unsigned __int128>(v) : v;
  varint(out, v < 0 ? 2 * magnitude - 1 : 2 * magnitude);
}

void text(std::string* out, std::string_view s) {
  varint(out, s.size());
  out->append(s);
}

// The quantity as the document defines it, worked out from its canonical
// text (Decimal::to_string): the digits without the point, the number of
// decimals as a negative exponent, trailing zeros moved into the exponent.
void quantity(std::string* out, const Decimal& d) {
  std::string digits = d.to_string();
  const bool negative = digits.front() == '-';
  if (negative) digits.erase(0, 1);
  int64_t exponent = 0;
  if (const size_t point = digits.find('.'); point != std::string::npos) {
    exponent = -static_cast<int64_t>(digits.size() - point - 1);
    digits.erase(point, 1);
  }
  while (digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  __int128 magnitude = 0;
  for (char c : digits) magnitude = magnitude * 10 + (c - '0');
  if (magnitude == 0) exponent = 0;
  signed_varint(out, negative ? -magnitude : magnitude);
  signed_varint(out, exponent);
}

// A block's activity, unit and file texts in order of first appearance:
// a new one is written (0, then the text), a known one referred to by
// 1 + its position.
struct BlockTexts {
  std::vector<std::string> seen;
  void refer(std::string* out, std::string_view t) {
    const auto it = std::find(seen.begin(), seen.end(), t);
    if (it != seen.end()) {
      varint(out, static_cast<size_t>(it - seen.begin()) + 1);
      return;
    }
    varint(out, 0);
    text(out, t);
    seen.emplace_back(t);
  }
};

// The v4 activity layout, field by field. `previous_line`: the source line of
// the block's previous activity (0 for its first).
std::string activity_bytes(const ActivityRecord& a, BlockTexts* texts, int64_t previous_line) {
  std::string out;
  text(&out, a.record_id);
  text(&out, a.site_id);
  signed_varint(&out, a.start.days);
  signed_varint(&out, static_cast<int64_t>(a.end.days) - a.start.days);
  texts->refer(&out, a.activity);
  quantity(&out, a.quantity);
  texts->refer(&out, a.unit);
  signed_varint(&out, a.scope3_category);
  text(&out, a.evidence);
  text(&out, a.note);
  texts->refer(&out, a.source.file);
  signed_varint(&out, a.source.line - previous_line);
  return out;
}

// The definition, written out step by step.
std::string documented_identity(const Package& p) {
  std::string outer;
  field(&outer, "assay-records-v4");
  field(&outer, std::to_string(kBlock));
  for (LedgerTable table : kAllTables) {
    const size_t n = record_count(p, table);
    field(&outer, table_name(table));
    field(&outer, std::to_string(n));
    for (size_t begin = 0; begin < n; begin += kBlock) {
      std::string block;
      BlockTexts texts;
      int64_t previous_line = 0;
      for (size_t i = begin; i < std::min(n, begin + kBlock); ++i) {
        if (table == LedgerTable::kActivities) {
          block += activity_bytes(p.activities[i], &texts, previous_line);
          previous_line = p.activities[i].source.line;
          continue;
        }
        const auto rec = encode_record(p, table, i);
        field(&block, table_name(table));
        field(&block, std::string(rec.key));
        field(&block, std::string(rec.content));
        field(&block, std::string(rec.source.file));
        field(&block, std::to_string(rec.source.line));
      }
      field(&outer, sha256_hex(block));
    }
  }
  return "records-sha256:" + sha256_hex(outer);
}

// 20,000 activities: blocks of 8192, 8192 and 3616 records.
class RecordsIdentityTest : public ::testing::Test {
 protected:
  static constexpr size_t kActivities = 20000;

  RecordsIdentityTest() {
    package_ = small_package();
    package_.activities.clear();
    for (size_t i = 0; i < kActivities; ++i) {
      ActivityRecord a;
      // The records' text must outlive them: it is kept in the package.
      a.record_id = package_.keep("A-" + std::to_string(i));
      a.site_id = "S1";
      a.start = date("2024-01-01");
      a.end = date("2024-01-31");
      a.activity = "electricity.grid";
      a.quantity = Decimal::from_int(static_cast<int64_t>(i % 997) + 1);
      a.unit = "kWh";
      a.source = {"activities.csv", static_cast<int64_t>(i) + 2};
      package_.activities.push_back(a);
    }
  }

  Package package_;
};

TEST_F(RecordsIdentityTest, SameRecordsGiveTheSameIdentity) {
  const std::string first = records_identity(package_);
  EXPECT_EQ(first.rfind("records-sha256:", 0), 0u);
  EXPECT_EQ(first.size(), std::string("records-sha256:").size() + 64);
  EXPECT_EQ(records_identity(package_), first);
  const Package copy = package_;
  EXPECT_EQ(records_identity(copy), first);
  // The thread count changes only the speed (calc hashes on one thread).
  EXPECT_EQ(records_identity(package_, 1), first);
  EXPECT_EQ(records_identity(package_, 2), first);
  EXPECT_EQ(records_identity(package_, 3), first);
}

TEST_F(RecordsIdentityTest, IsTheDocumentedHashOfBlockDigests) {
  EXPECT_EQ(records_identity(package_), documented_identity(package_));
  // Exactly two full blocks, and one record more.
  package_.activities.flat().resize(2 * kBlock);
  EXPECT_EQ(records_identity(package_), documented_identity(package_));
  package_.activities.push_back(package_.activities.front());
  EXPECT_EQ(records_identity(package_), documented_identity(package_));
}

TEST_F(RecordsIdentityTest, SmallPackagesFollowTheSameDefinition) {
  const Package small = small_package();
  EXPECT_EQ(records_identity(small), documented_identity(small));
  EXPECT_EQ(records_identity(Package{}), documented_identity(Package{}));
}

TEST_F(RecordsIdentityTest, AChangeInTheLastBlockChangesIt) {
  const std::string before = records_identity(package_);
  Package changed = package_;
  changed.activities.back().quantity = Decimal::from_int(123456);
  const std::string after = records_identity(changed);
  EXPECT_NE(after, before);
  EXPECT_EQ(after, documented_identity(changed));
}

TEST_F(RecordsIdentityTest, ASourceLineOrFileChangesIt) {
  const std::string before = records_identity(package_);
  Package line = package_;
  line.activities[kBlock + 5].source.line += 1;
  EXPECT_NE(records_identity(line), before);
  Package file = package_;
  file.activities[kBlock + 5].source.file = "other.csv";
  EXPECT_NE(records_identity(file), before);
  EXPECT_NE(records_identity(file), records_identity(line));
}

TEST_F(RecordsIdentityTest, MovingARecordChangesIt) {
  const std::string before = records_identity(package_);
  // Two records of different blocks swapped.
  Package swapped = package_;
  std::swap(swapped.activities[10], swapped.activities[kBlock + 10]);
  EXPECT_NE(records_identity(swapped), before);
  EXPECT_EQ(records_identity(swapped), documented_identity(swapped));
  // Two neighbours in one block swapped.
  Package neighbours = package_;
  std::swap(neighbours.activities[100], neighbours.activities[101]);
  EXPECT_NE(records_identity(neighbours), before);
  // The first record moved to the end: every block boundary shifts.
  Package rotated = package_;
  std::rotate(rotated.activities.flat().begin(), rotated.activities.flat().begin() + 1,
              rotated.activities.flat().end());
  EXPECT_NE(records_identity(rotated), before);
}

TEST_F(RecordsIdentityTest, MovingARecordBetweenTablesChangesIt) {
  const std::string before = records_identity(package_);
  // One activity fewer and one instrument more: the table boundary moves.
  Package across = package_;
  across.activities.flat().pop_back();
  Instrument n;
  n.instrument_id = "A-19999";
  n.kind = InstrumentKind::kCertificate;
  n.start = date("2024-01-01");
  n.end = date("2024-01-31");
  n.mwh = Decimal::from_int(1);
  n.source = {"activities.csv", 20001};
  across.instruments.push_back(n);
  EXPECT_NE(records_identity(across), before);
  EXPECT_EQ(records_identity(across), documented_identity(across));
}

TEST_F(RecordsIdentityTest, AnEncodingErrorOnAnyBlockReachesTheCaller) {
  // Canonical JSON refuses invalid UTF-8 (append_canonical_string). Sites
  // are still encoded as canonical JSON; with three blocks of them (and three
  // of activities) blocks are hashed on several threads, and the error must
  // still be the caller's.
  for (size_t i = 0; i < 20000; ++i) {
    Site s = package_.sites.front();
    s.site_id = "S-" + std::to_string(i);
    s.source.line = static_cast<int64_t>(i) + 3;
    package_.sites.push_back(s);
  }
  EXPECT_EQ(records_identity(package_), documented_identity(package_));
  package_.sites[kBlock + 1].name = "\xff";
  EXPECT_THROW(records_identity(package_), std::runtime_error);
}

TEST_F(RecordsIdentityTest, AnActivityIsTheDocumentedBytes) {
  // The example of docs/ledger-schema.md, "Activity layout".
  Package p = small_package();
  p.activities.clear();
  ActivityRecord a;
  a.record_id = "A-1";
  a.site_id = "S1";
  a.start = date("2024-01-01");
  a.end = date("2024-01-31");
  a.activity = "electricity.grid";
  a.quantity = dec("1234.50");
  a.unit = "kWh";
  a.evidence = "INV-1";
  a.source = {"activities.csv", 2};
  p.activities.push_back(a);
  const std::string expected(
      "\x03"
      "A-1"
      "\x02"
      "S1"
      "\x96\xb4\x02"  // start: 19723, zigzag 39446
      "\x3c"          // end - start: 30, zigzag 60
      "\x00\x10"      // a new text, 16 bytes
      "electricity.grid"
      "\xf2\xc0\x01"  // coefficient 12345, zigzag 24690
      "\x01"          // exponent -1
      "\x00\x03"      // a new text, 3 bytes
      "kWh"
      "\x00"  // no scope 3 category
      "\x05"
      "INV-1"
      "\x00"      // no note
      "\x00\x0e"  // a new text, 14 bytes
      "activities.csv"
      "\x04",  // line 2 after 0: zigzag 4
      63);
  BlockTexts texts;
  EXPECT_EQ(activity_bytes(a, &texts, 0), expected);
  // The same record again in the block, from line 3: its texts are referred
  // to by position, its line is the difference from the previous record's.
  const std::string again(
      "\x03"
      "A-1"
      "\x02"
      "S1"
      "\x96\xb4\x02"
      "\x3c"
      "\x01"  // the block's first text
      "\xf2\xc0\x01"
      "\x01"
      "\x02"  // its second
      "\x00"
      "\x05"
      "INV-1"
      "\x00"
      "\x03"   // its third
      "\x02",  // line 3 after 2: zigzag 2
      27);
  a.source.line = 3;
  EXPECT_EQ(activity_bytes(a, &texts, 2), again);
  a.source.line = 2;
  EXPECT_EQ(records_identity(p), documented_identity(p));
}

TEST_F(RecordsIdentityTest, EachActivityFieldChangesIt) {
  const std::string before = records_identity(package_);
  const size_t i = kBlock + 7;  // a record of the second block
  using Change = std::function<void(Package*, ActivityRecord*)>;
  const std::vector<std::pair<std::string, Change>> changes = {
      {"record_id", [](Package* p, ActivityRecord* a) { a->record_id = p->keep("A-x"); }},
      {"site_id", [](Package* p, ActivityRecord* a) { a->site_id = p->keep("S2"); }},
      {"start", [](Package*, ActivityRecord* a) { a->start = date("2023-12-31"); }},
      {"end", [](Package*, ActivityRecord* a) { a->end = date("2024-02-01"); }},
      {"activity", [](Package*, ActivityRecord* a) { a->activity = "electricity.district"; }},
      {"quantity", [](Package*, ActivityRecord* a) { a->quantity = dec("8193.5"); }},
      {"unit", [](Package*, ActivityRecord* a) { a->unit = "MWh"; }},
      {"scope3_category", [](Package*, ActivityRecord* a) { a->scope3_category = 3; }},
      {"evidence", [](Package* p, ActivityRecord* a) { a->evidence = p->keep("INV-9"); }},
      {"note", [](Package* p, ActivityRecord* a) { a->note = p->keep("estimated"); }},
      {"source file", [](Package*, ActivityRecord* a) { a->source.file = "more.csv"; }},
      {"source line", [](Package*, ActivityRecord* a) { a->source.line += 1; }},
  };
  std::set<std::string> seen = {before};
  for (const auto& [name, change] : changes) {
    SCOPED_TRACE(name);
    Package changed = package_;
    change(&changed, &changed.activities[i]);
    const std::string after = records_identity(changed);
    EXPECT_NE(after, before);
    EXPECT_EQ(after, documented_identity(changed));
    EXPECT_TRUE(seen.insert(after).second) << "same identity as another change";
  }
}

TEST_F(RecordsIdentityTest, TextMovedBetweenActivityFieldsChangesIt) {
  // Lengths come first, so the same bytes split differently differ.
  Package a = package_;
  a.activities[3].evidence = "INV-12";
  a.activities[3].note = "";
  Package b = package_;
  b.activities[3].evidence = "INV-1";
  b.activities[3].note = "2";
  EXPECT_NE(records_identity(a), records_identity(b));
  EXPECT_EQ(records_identity(b), documented_identity(b));
}

TEST_F(RecordsIdentityTest, TrailingZerosOfAQuantityDoNotChangeIt) {
  const size_t i = 2 * kBlock + 11;  // a record of the last, partial block
  auto with_quantity = [&](const Decimal& q) {
    Package p = package_;
    p.activities[i].quantity = q;
    return records_identity(p);
  };
  const auto q1 = Decimal::parse("1234.50");
  const auto q2 = Decimal::parse("1234.5");
  ASSERT_TRUE(q1 && q2);
  const std::string written = with_quantity(*q1);
  EXPECT_EQ(with_quantity(*q2), written);
  EXPECT_EQ(with_quantity(dec("1.2345e3")), written);
  EXPECT_NE(with_quantity(dec("1234.51")), written);
  // from_int does not strip trailing zeros (1200 x 10^0); parse does (12 x 10^2).
  EXPECT_EQ(with_quantity(Decimal::from_int(1200)), with_quantity(dec("1200.0")));
  EXPECT_EQ(with_quantity(Decimal::from_int(0)), with_quantity(dec("0.000")));
  EXPECT_NE(with_quantity(dec("12")), with_quantity(dec("1200")));
  // Beyond 64 bits, and negative.
  EXPECT_EQ(with_quantity(dec("-123456789012345678901234.5000")),
            with_quantity(dec("-123456789012345678901234.5")));
  Package big = package_;
  big.activities[i].quantity = dec("-123456789012345678901234.5000");
  EXPECT_EQ(records_identity(big), documented_identity(big));
  big.activities[i].quantity = Decimal::from_int(-4000000000000000000);
  EXPECT_EQ(records_identity(big), documented_identity(big));
}

// A block refers to an activity, unit or file text it has seen by position.
// What counts is the text, not where it is kept: records read on several
// threads (or loaded from the ledger) keep the same text at many addresses.
TEST_F(RecordsIdentityTest, TextsAreReferredToByContentNotAddress) {
  const std::string before = records_identity(package_);
  Package copies = package_;
  for (ActivityRecord& a : copies.activities) {
    a.activity = copies.keep(std::string(a.activity));
    a.unit = copies.keep(std::string(a.unit));
    a.source.file = copies.keep(std::string(a.source.file));
  }
  ASSERT_NE(copies.activities[0].activity.data(), copies.activities[1].activity.data());
  EXPECT_EQ(records_identity(copies), before);
  // Texts alternating between two values (and two addresses each) refer to
  // the right one every time.
  Package mixed = package_;
  for (size_t i = 0; i < mixed.activities.size(); ++i) {
    if (i % 3 == 0) {
      mixed.activities[i].unit = mixed.keep("MWh");
      mixed.activities[i].activity = i % 2 ? "electricity.district" : "heat.purchased";
    }
  }
  EXPECT_NE(records_identity(mixed), before);
  EXPECT_EQ(records_identity(mixed), documented_identity(mixed));
}

TEST_F(RecordsIdentityTest, SiteIndexDoesNotChangeIt) {
  // A reader hint, not content: a package read from files has it, the same
  // records loaded back from the ledger do not.
  const std::string before = records_identity(package_);
  Package indexed = package_;
  for (ActivityRecord& a : indexed.activities) a.site_index = 0;
  EXPECT_EQ(records_identity(indexed), before);
  indexed.activities[kBlock].site_index = 7;
  EXPECT_EQ(records_identity(indexed), before);
}

}  // namespace
}  // namespace assay::ledger_test
