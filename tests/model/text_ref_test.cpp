// TextRef keeps a view in 8 bytes: short text inline, long text (more than
// kMaxInline bytes) out of line. Both must read back exactly the view they
// were given, compare and hash by content like std::string_view.
#include "model/text_ref.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <unordered_set>

namespace assay {
namespace {

TEST(TextRef, ShortTextIsTheSameView) {
  const std::string text = "fuel.diesel.stationary";
  const TextRef t(text);
  EXPECT_EQ(t.data(), text.data());  // a view, not a copy
  EXPECT_EQ(t.size(), text.size());
  EXPECT_EQ(t.view(), "fuel.diesel.stationary");
  EXPECT_TRUE(t.starts_with("fuel."));
  EXPECT_EQ(t.substr(5, 6), "diesel");
  EXPECT_EQ(t.find('.'), 4u);
}

TEST(TextRef, EmptyAndDefault) {
  const TextRef none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.size(), 0u);
  EXPECT_EQ(none.view(), std::string_view());
  const TextRef empty("");
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(none, empty.view());
}

// At the limit, one past it and far past it: every length reads back.
TEST(TextRef, LongTextReadsBackExactly) {
  for (size_t n : {TextRef::kMaxInline - 1, TextRef::kMaxInline, TextRef::kMaxInline + 1,
                   size_t{0xFFFF}, size_t{0x10000}, size_t{1} << 20}) {
    std::string text(n, 'x');
    text.front() = 'a';
    text.back() = 'z';
    const TextRef t(text);
    EXPECT_EQ(t.size(), n);
    EXPECT_EQ(t.data(), text.data()) << n;
    EXPECT_EQ(t.view(), text) << n;
    EXPECT_EQ(t[n - 1], 'z');
  }
}

TEST(TextRef, ComparesAndHashesByContent) {
  const std::string a1 = "S001", a2 = "S001", b = "S002";
  const TextRef x(a1), y(a2), z(b);
  EXPECT_NE(x.data(), y.data());
  EXPECT_TRUE(x == y);
  EXPECT_TRUE(x == "S001");
  EXPECT_TRUE("S001" == x);
  EXPECT_TRUE(x == std::string("S001"));
  EXPECT_FALSE(x == z);
  EXPECT_TRUE(x < z);
  EXPECT_TRUE(z > "S001");
  EXPECT_TRUE(x.same_view(x));
  EXPECT_FALSE(x.same_view(y));  // same text, another address
  EXPECT_EQ(std::hash<TextRef>{}(x), std::hash<std::string_view>{}("S001"));
  std::unordered_set<TextRef> seen{x};
  EXPECT_EQ(seen.count(y), 1u);
  std::map<std::string, int, std::less<>> by_id{{"S001", 1}};
  EXPECT_EQ(by_id.find(x.view())->second, 1);
  std::ostringstream os;
  os << x;
  EXPECT_EQ(os.str(), "S001");
  EXPECT_EQ(std::string(x), "S001");
}

TEST(TextRef, LongTextComparesLikeShort) {
  const std::string long_a(70000, 'q');
  std::string long_b = long_a;
  const TextRef a(long_a), b(long_b);
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a.same_view(b));
  long_b.back() = 'r';
  EXPECT_TRUE(a < TextRef(long_b));
}

}  // namespace
}  // namespace assay
