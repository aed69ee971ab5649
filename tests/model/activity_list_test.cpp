// ActivityList: records in segments, read as one list in file order.
#include "model/activity_list.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace assay {
namespace {

ActivityRecord rec(int line) {
  ActivityRecord r;
  r.record_id = "A";
  r.source = SourceView{"activities.csv", line};
  return r;
}

// A list of segments of the given sizes; record k (in file order) has line k.
ActivityList segmented(const std::vector<int>& sizes) {
  ActivityList list;
  int line = 0;
  for (int n : sizes) {
    ActivityList part;
    for (int i = 0; i < n; ++i) part.push_back(rec(line++));
    list.append(std::move(part));
  }
  return list;
}

std::vector<int64_t> lines(const ActivityList& list) {
  std::vector<int64_t> out;
  for (const auto& r : list) out.push_back(r.source.line);
  return out;
}

TEST(ActivityList, AppendKeepsFileOrderAcrossSegments) {
  ActivityList list = segmented({3, 0, 2, 4});
  EXPECT_EQ(list.size(), 9u);
  EXPECT_EQ(list.segment_count(), 3u);  // the empty part adds no segment
  EXPECT_EQ(lines(list), (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
  for (size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(list[i].source.line, static_cast<int64_t>(i));
    EXPECT_EQ(list.index_of(&list[i]), i);
  }
  EXPECT_EQ(list.back().source.line, 8);
}

TEST(ActivityList, AppendDoesNotMoveRecords) {
  ActivityList part;
  part.push_back(rec(7));
  const ActivityRecord* at = &part[0];
  ActivityList list = segmented({2});
  list.append(std::move(part));
  EXPECT_TRUE(part.empty());
  EXPECT_EQ(&list[2], at);
}

TEST(ActivityList, PartsCoverTheIndices) {
  ActivityList list = segmented({2, 3});
  const ActivitySegments& s = list.segments();
  ASSERT_EQ(s.part_count(), 2u);
  EXPECT_EQ(s.part_start(0), 0u);
  EXPECT_EQ(s.part_start(1), 2u);
  EXPECT_EQ(s.part(1).size(), 3u);
  EXPECT_EQ(s.part(1)[0].source.line, 2);
}

TEST(ActivityList, IndexOfAnotherAddressIsSize) {
  ActivityList list = segmented({2, 2});
  ActivityRecord other = rec(99);
  EXPECT_EQ(list.index_of(&other), list.size());
}

TEST(ActivityList, TruncateKeepsAPrefix) {
  for (size_t keep = 0; keep <= 7; ++keep) {
    ActivityList list = segmented({3, 4});
    list.truncate(keep);
    ASSERT_EQ(list.size(), keep) << keep;
    std::vector<int64_t> want;
    for (size_t i = 0; i < keep; ++i) want.push_back(static_cast<int64_t>(i));
    EXPECT_EQ(lines(list), want) << keep;
    list.push_back(rec(42));  // still usable after
    EXPECT_EQ(list.back().source.line, 42);
  }
}

TEST(ActivityList, FlatJoinsTheSegments) {
  ActivityList list = segmented({1, 2, 3});
  auto& all = list.flat();
  EXPECT_EQ(all.size(), 6u);
  EXPECT_EQ(list.segment_count(), 1u);
  all.erase(all.begin());
  EXPECT_EQ(list.size(), 5u);
  EXPECT_EQ(lines(list), (std::vector<int64_t>{1, 2, 3, 4, 5}));
}

TEST(ActivityList, CopiesAndMovesKeepTheRecords) {
  ActivityList list = segmented({2, 2});
  ActivityList copy = list;
  EXPECT_EQ(lines(copy), lines(list));
  const ActivitySegments* storage = &list.segments();
  ActivityList moved = std::move(list);
  EXPECT_EQ(&moved.segments(), storage);  // what points at the storage stays valid
  EXPECT_TRUE(list.empty());
  list.push_back(rec(5));  // the moved-from list has storage of its own
  EXPECT_EQ(list.size(), 1u);
  EXPECT_EQ(moved.size(), 4u);
}

}  // namespace
}  // namespace assay
