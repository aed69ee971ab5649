// records_identity() (docs/ledger-schema.md, "Records identity"). The
// expected identities are recomputed here the plain way the document states
// it: one record at a time with encode_record, one block after the other, on
// one thread. The packages are large enough for several blocks of activities
// (so for several hashing threads), and the last block is a partial one.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
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

// The definition, written out step by step.
std::string documented_identity(const Package& p) {
  std::string outer;
  field(&outer, "assay-records-v2");
  field(&outer, std::to_string(kBlock));
  for (LedgerTable table : kAllTables) {
    const size_t n = record_count(p, table);
    field(&outer, table_name(table));
    field(&outer, std::to_string(n));
    for (size_t begin = 0; begin < n; begin += kBlock) {
      std::string block;
      for (size_t i = begin; i < std::min(n, begin + kBlock); ++i) {
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
    // The records' text must outlive them (activity fields may be views).
    ids_.reserve(kActivities);
    for (size_t i = 0; i < kActivities; ++i) ids_.push_back("A-" + std::to_string(i));
    package_ = small_package();
    package_.activities.clear();
    for (size_t i = 0; i < kActivities; ++i) {
      ActivityRecord a;
      a.record_id = ids_[i];
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

  std::vector<std::string> ids_;
  Package package_;
};

TEST_F(RecordsIdentityTest, SameRecordsGiveTheSameIdentity) {
  const std::string first = records_identity(package_);
  EXPECT_EQ(first.rfind("records-sha256:", 0), 0u);
  EXPECT_EQ(first.size(), std::string("records-sha256:").size() + 64);
  EXPECT_EQ(records_identity(package_), first);
  const Package copy = package_;
  EXPECT_EQ(records_identity(copy), first);
}

TEST_F(RecordsIdentityTest, IsTheDocumentedHashOfBlockDigests) {
  EXPECT_EQ(records_identity(package_), documented_identity(package_));
  // Exactly two full blocks, and one record more.
  package_.activities.resize(2 * kBlock);
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
  std::rotate(rotated.activities.begin(), rotated.activities.begin() + 1, rotated.activities.end());
  EXPECT_NE(records_identity(rotated), before);
}

TEST_F(RecordsIdentityTest, MovingARecordBetweenTablesChangesIt) {
  const std::string before = records_identity(package_);
  // One activity fewer and one instrument more: the table boundary moves.
  Package across = package_;
  across.activities.pop_back();
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
  // Canonical JSON refuses invalid UTF-8 (append_canonical_string); blocks
  // are hashed on several threads, and the error must still be the caller's.
  package_.activities[kBlock + 1].note = "\xff";
  EXPECT_THROW(records_identity(package_), std::runtime_error);
}

}  // namespace
}  // namespace assay::ledger_test
