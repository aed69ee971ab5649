// same_text() and text_less() must agree with std::string_view's == and <
// for every length around their word sizes (0..20 bytes), with bytes that
// differ anywhere, zero bytes and bytes above 0x7f, and texts that are
// prefixes of each other.
#include "units/short_text.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace assay {
namespace {

TEST(ShortText, AgreesWithStringViewOnRandomText) {
  std::mt19937 rng(7);
  // Few distinct bytes, so that equal texts and long common prefixes are common.
  const char alphabet[] = {'\0', 'A', 'R', '0', '9', '\x7f', '\x80', '\xff'};
  auto random_text = [&](size_t n) {
    std::string s(n, ' ');
    for (char& c : s) c = alphabet[rng() % sizeof alphabet];
    return s;
  };
  for (int round = 0; round < 200000; ++round) {
    const std::string a = random_text(rng() % 21);
    std::string b;
    switch (rng() % 4) {
      case 0:  // unrelated
        b = random_text(rng() % 21);
        break;
      case 1:  // equal
        b = a;
        break;
      case 2:  // one byte changed
        b = a;
        if (!b.empty()) b[rng() % b.size()] = alphabet[rng() % sizeof alphabet];
        break;
      default:  // a prefix, or a longer text starting with it
        b = rng() % 2 ? a.substr(0, a.empty() ? 0 : rng() % a.size()) : a + random_text(rng() % 4);
    }
    const std::string_view x(a), y(b);
    ASSERT_EQ(same_text(x, y), x == y) << round;
    ASSERT_EQ(text_less(x, y), x < y) << round;
    ASSERT_EQ(text_less(y, x), y < x) << round;
  }
}

TEST(ShortText, Examples) {
  EXPECT_TRUE(same_text("kWh", "kWh"));
  EXPECT_FALSE(same_text("kWh", "MWh"));
  EXPECT_FALSE(same_text("m3", "m"));
  EXPECT_TRUE(same_text("", ""));
  EXPECT_TRUE(text_less("R00000009", "R00000010"));
  EXPECT_FALSE(text_less("R00000010", "R00000010"));
  EXPECT_TRUE(text_less("R1", "R10"));
  EXPECT_TRUE(text_less(std::string_view("R1", 2), std::string_view("R1\0", 3)));
  EXPECT_FALSE(text_less(std::string_view("R1\0", 3), std::string_view("R1", 2)));
  EXPECT_TRUE(text_less("\x7f", "\x80"));  // bytes compare unsigned
  const std::string long_a(17, 'a'), long_b = long_a + "b";
  EXPECT_TRUE(text_less(long_a, long_b));
  EXPECT_FALSE(same_text(long_a, long_b.substr(1)));
}

}  // namespace
}  // namespace assay
