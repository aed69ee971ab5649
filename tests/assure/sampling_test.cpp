// Monetary-unit sampling (src/assure/sampling.hpp). Expected selections are
// worked out by hand from the documented algorithm; where they depend on the
// random start, the test draws u from std::mt19937_64 itself as documented
// (u = (g() >> 11) * 2^-53 of the first draw) and does the arithmetic.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "assure/sampling.hpp"

namespace assay {
namespace {

double documented_u(uint64_t seed) {
  std::mt19937_64 g(seed);
  return static_cast<double>(g() >> 11) / 9007199254740992.0;  // 2^53
}

std::vector<size_t> indexes(const MusSelection& s) {
  std::vector<size_t> out;
  for (const auto& p : s.picks) out.push_back(p.index);
  return out;
}

TEST(Mus, RandomFractionIsTheDocumentedDraw) {
  for (uint64_t seed : {0ull, 1ull, 42ull, 20240101ull}) {
    EXPECT_EQ(mus_random_fraction(seed), documented_u(seed));
    EXPECT_GE(mus_random_fraction(seed), 0.0);
    EXPECT_LT(mus_random_fraction(seed), 1.0);
  }
}

// 90, 9, 1 with n = 10: J = 100/10 = 10, 90 >= 10 is a key item; then
// J = 10/9 = 1.11, 9 is a key item; then J = 1/8, 1 is a key item. All three
// are taken with certainty, whatever the seed.
TEST(Mus, NinetyNineOneAllKeyItems) {
  for (uint64_t seed = 0; seed < 20; ++seed) {
    MusSelection s = select_monetary_units({90, 9, 1}, 10, seed);
    EXPECT_EQ(indexes(s), (std::vector<size_t>{0, 1, 2}));
    EXPECT_EQ(s.key_items, 3u);
    EXPECT_EQ(s.total, 100.0);
    for (const auto& p : s.picks) EXPECT_TRUE(p.key_item);
  }
}

// 60, 10, 10, 10, 10 with n = 2: J = 50, 60 is a key item; the other four
// (total 40) get n' = 1, J = 40, start s = 40u, which falls in the range
// [10(k-1), 10k) of record k: record 1 + floor(4u).
TEST(Mus, KeyItemThenOneSystematicPick) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    MusSelection s = select_monetary_units({60, 10, 10, 10, 10}, 2, seed);
    const double u = documented_u(seed);
    const size_t expected = 1 + static_cast<size_t>(std::floor(4 * u));
    ASSERT_EQ(s.picks.size(), 2u) << seed;
    EXPECT_EQ(s.picks[0].index, 0u);
    EXPECT_TRUE(s.picks[0].key_item);
    EXPECT_EQ(s.picks[1].index, expected) << "seed " << seed;
    EXPECT_FALSE(s.picks[1].key_item);
    EXPECT_EQ(s.interval, 40.0);
    EXPECT_DOUBLE_EQ(s.random_start, 40 * u);
  }
}

// 100 records of 1 with n = 10: J = 10, s = 10u; points s, s+10, ... select
// records floor(s) + 10k, one in every block of ten.
TEST(Mus, SystematicArithmeticOnEqualWeights) {
  std::vector<double> w(100, 1.0);
  for (uint64_t seed : {3ull, 7ull, 99ull, 123456789ull}) {
    MusSelection s = select_monetary_units(w, 10, seed);
    const size_t first = static_cast<size_t>(std::floor(10 * documented_u(seed)));
    std::vector<size_t> expected;
    for (size_t k = 0; k < 10; ++k) expected.push_back(first + 10 * k);
    EXPECT_EQ(indexes(s), expected) << seed;
    EXPECT_EQ(s.key_items, 0u);
  }
}

// 30 and 10 with n = 1: J = 40, the 30 is selected when 40u < 30. Over 4000
// seeds it must be chosen about three times in four (binomial sd ~ 27).
TEST(Mus, SelectionProbabilityFollowsTheWeight) {
  int big = 0;
  for (uint64_t seed = 0; seed < 4000; ++seed) {
    MusSelection s = select_monetary_units({30, 10}, 1, seed);
    ASSERT_EQ(s.picks.size(), 1u);
    EXPECT_EQ(s.picks[0].index == 0, 40 * documented_u(seed) < 30);
    big += s.picks[0].index == 0;
  }
  EXPECT_GT(big, 2850);
  EXPECT_LT(big, 3150);
}

TEST(Mus, ReproducibleExactlyNAndRecordsAboveTheIntervalAlwaysIn) {
  std::vector<double> w;
  std::mt19937_64 g(5);
  for (int i = 0; i < 500; ++i) w.push_back(static_cast<double>(g() % 1000) + 1);
  w[17] = 60000;  // far above T / n for n = 25
  w[300] = 0;     // contributes nothing: never selectable
  double total = 0;
  for (double x : w) total += x;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    MusSelection a = select_monetary_units(w, 25, seed);
    MusSelection b = select_monetary_units(w, 25, seed);
    EXPECT_EQ(indexes(a), indexes(b));
    EXPECT_EQ(a.picks.size(), 25u);
    bool big_in = false;
    for (const auto& p : a.picks) big_in |= p.index == 17 && p.key_item;
    EXPECT_TRUE(big_in) << seed;
    EXPECT_GE(w[17], total / 25);
    for (const auto& p : a.picks) EXPECT_NE(p.index, 300u);
  }
  EXPECT_NE(indexes(select_monetary_units(w, 25, 1)), indexes(select_monetary_units(w, 25, 2)));
}

TEST(Mus, EmptyOrZeroPopulation) {
  EXPECT_TRUE(select_monetary_units({}, 5, 1).picks.empty());
  EXPECT_TRUE(select_monetary_units({0, 0}, 5, 1).picks.empty());
}

}  // namespace
}  // namespace assay
