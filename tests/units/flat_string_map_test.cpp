// FlatStringMap: keys compared exactly, whatever their length; growing keeps
// every key.
#include "units/flat_string_map.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace assay {
namespace {

TEST(FlatStringMap, FindsWhatWasInsertedAndNothingElse) {
  FlatStringMap<int> m;
  std::vector<std::string> keys = {
      "", "a", "S1", "R1234567", "R12345678", "R123456789", "a longer key of many bytes"};
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_TRUE(m.insert(keys[i], static_cast<int>(i)));
  for (size_t i = 0; i < keys.size(); ++i) {
    const int* v = m.find(keys[i]);
    ASSERT_NE(v, nullptr) << keys[i];
    EXPECT_EQ(*v, static_cast<int>(i)) << keys[i];
    EXPECT_FALSE(m.insert(keys[i], 99)) << "already there: " << keys[i];
  }
  EXPECT_EQ(m.size(), keys.size());
  for (std::string absent : {"b", "S2", "R1234568", "R12345679", "R123456780", "S1 "}) {
    EXPECT_EQ(m.find(absent), nullptr) << absent;
  }
}

// Keys that share a prefix (zero bytes included) and differ by length or by
// a later byte: each is its own key.
TEST(FlatStringMap, KeysAlikeInTheirFirstEightBytesStayApart) {
  FlatStringMap<int> m;
  const std::vector<std::string> keys = {
      std::string("AB"),        std::string("AB\0", 3),   std::string("AB\0\0\0\0\0\0", 8),
      std::string("ABCDEFGH"),  std::string("ABCDEFGHx"), std::string("ABCDEFGHy"),
      std::string("ABCDEFGHxy")};
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_TRUE(m.insert(keys[i], static_cast<int>(i)));
  for (size_t i = 0; i < keys.size(); ++i) {
    const int* v = m.find(keys[i]);
    ASSERT_NE(v, nullptr) << i;
    EXPECT_EQ(*v, static_cast<int>(i)) << i;
  }
}

TEST(FlatStringMap, ManyKeysSurviveGrowing) {
  FlatStringMap<uint32_t> m;
  auto key = [](uint32_t i) { return "K" + std::to_string(i * 7919u); };
  for (uint32_t i = 0; i < 50000; ++i) ASSERT_TRUE(m.insert(key(i), i));
  for (uint32_t i = 0; i < 50000; ++i) {
    const uint32_t* v = m.find(key(i));
    ASSERT_NE(v, nullptr) << i;
    EXPECT_EQ(*v, i);
  }
  EXPECT_EQ(m.find("K1"), nullptr);
}

}  // namespace
}  // namespace assay
