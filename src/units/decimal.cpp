#include "units/decimal.hpp"

#include <charconv>
#include <cstdlib>

namespace assay {
namespace {

constexpr int kMaxDigits = 38;     // fits a signed 128-bit coefficient
constexpr int kMaxExponent = 400;  // beyond any double; keeps arithmetic in range

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string u128_to_string(unsigned __int128 v) {
  if (v == 0) return "0";
  char buf[48];
  int n = 0;
  while (v > 0) {
    buf[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  }
  std::string s(static_cast<size_t>(n), '0');
  for (int i = 0; i < n; ++i) s[static_cast<size_t>(i)] = buf[n - 1 - i];
  return s;
}

// Exact powers of ten representable as doubles (10^0 .. 10^22).
constexpr double kExactPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view text, bool allow_thousands) {
  size_t i = 0;
  const size_t n = text.size();
  bool negative = false;
  if (i < n && text[i] == '-') {
    negative = true;
    ++i;
  }
  // Up to 19 digits in 64 bits (a 128-bit multiply per digit was most of
  // parsing a quantity; W2 parses ten million), the rest in 128.
  uint64_t narrow = 0;
  unsigned __int128 coef = 0;
  bool wide = false;
  int significant = 0;
  int32_t exponent = 0;
  int int_digits = 0;
  int group = 0;  // digits since the last thousands separator
  bool saw_separator = false;
  auto push_digit = [&](char c) -> bool {
    if (significant == 0 && c == '0') return true;  // leading zeros carry no significance
    if (++significant > kMaxDigits) return false;
    const auto digit = static_cast<unsigned>(c - '0');
    if (significant <= 19) {
      narrow = narrow * 10 + digit;
    } else {
      if (!wide) coef = narrow;
      wide = true;
      coef = coef * 10 + digit;
    }
    return true;
  };
  for (; i < n; ++i) {
    char c = text[i];
    if (is_digit(c)) {
      if (!push_digit(c)) return std::nullopt;
      ++int_digits;
      ++group;
    } else if (c == ',' && allow_thousands) {
      // First group 1-3 digits, every later group exactly 3.
      if (int_digits == 0 || (saw_separator ? group != 3 : group > 3)) return std::nullopt;
      saw_separator = true;
      group = 0;
    } else {
      break;
    }
  }
  if (int_digits == 0) return std::nullopt;
  if (saw_separator && group != 3) return std::nullopt;
  if (i < n && text[i] == '.') {
    ++i;
    int frac = 0;
    for (; i < n && is_digit(text[i]); ++i, ++frac) {
      if (!push_digit(text[i])) return std::nullopt;
      --exponent;
    }
    if (frac == 0) return std::nullopt;
  }
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    int digits = 0;
    int32_t e = 0;
    for (; i < n && is_digit(text[i]); ++i, ++digits) {
      if (e < 100000) e = e * 10 + (text[i] - '0');
    }
    if (digits == 0) return std::nullopt;
    exponent += exp_negative ? -e : e;
  }
  if (i != n) return std::nullopt;
  if (!wide) coef = narrow;
  if (coef == 0) return Decimal(0, 0);
  Decimal d(negative ? -static_cast<__int128>(coef) : static_cast<__int128>(coef), exponent);
  d.normalize();
  if (d.exponent_ > kMaxExponent || d.exponent_ < -kMaxExponent) return std::nullopt;
  return d;
}

void Decimal::normalize() {
  if (coefficient_ == 0) {
    exponent_ = 0;
    return;
  }
  if (coefficient_ >= INT64_MIN && coefficient_ <= INT64_MAX) {
    // The usual case, in 64 bits: a 128-bit % is a library call.
    auto c = static_cast<int64_t>(coefficient_);
    while (c % 10 == 0) {
      c /= 10;
      ++exponent_;
    }
    coefficient_ = c;
    return;
  }
  while (coefficient_ % 10 == 0) {
    coefficient_ /= 10;
    ++exponent_;
  }
}

bool Decimal::is_integer() const { return exponent_ >= 0; }

double Decimal::to_double() const {
  if (coefficient_ == 0) return 0.0;
  unsigned __int128 mag = coefficient_ < 0 ? static_cast<unsigned __int128>(-coefficient_)
                                           : static_cast<unsigned __int128>(coefficient_);
  // Clinger's fast path: both operands exact, one correctly rounded operation.
  if (mag < (static_cast<unsigned __int128>(1) << 53) && exponent_ >= -22 && exponent_ <= 22) {
    double m = static_cast<double>(static_cast<uint64_t>(mag));
    double r = exponent_ >= 0 ? m * kExactPow10[exponent_] : m / kExactPow10[-exponent_];
    return coefficient_ < 0 ? -r : r;
  }
  std::string s = u128_to_string(mag) + "e" + std::to_string(exponent_);
  double r = 0;
  std::from_chars(s.data(), s.data() + s.size(), r);  // correctly rounded
  return coefficient_ < 0 ? -r : r;
}

std::string Decimal::to_string() const {
  if (coefficient_ == 0) return "0";
  unsigned __int128 mag = coefficient_ < 0 ? static_cast<unsigned __int128>(-coefficient_)
                                           : static_cast<unsigned __int128>(coefficient_);
  std::string digits = u128_to_string(mag);
  std::string out = coefficient_ < 0 ? "-" : "";
  if (exponent_ >= 0) {
    out += digits;
    out.append(static_cast<size_t>(exponent_), '0');
  } else {
    size_t frac = static_cast<size_t>(-exponent_);
    if (digits.size() <= frac) {
      out += "0.";
      out.append(frac - digits.size(), '0');
      out += digits;
    } else {
      out += digits.substr(0, digits.size() - frac);
      out += '.';
      out += digits.substr(digits.size() - frac);
    }
  }
  return out;
}

int Decimal::compare(const Decimal& other) const {
  bool a_neg = coefficient_ < 0, b_neg = other.coefficient_ < 0;
  if (coefficient_ == 0 || other.coefficient_ == 0 || a_neg != b_neg) {
    auto sign = [](__int128 c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); };
    int sa = sign(coefficient_), sb = sign(other.coefficient_);
    return sa < sb ? -1 : (sa > sb ? 1 : 0);
  }
  // Same sign, both non-zero: compare magnitudes by digit strings aligned on the point.
  std::string da =
      u128_to_string(static_cast<unsigned __int128>(a_neg ? -coefficient_ : coefficient_));
  std::string db = u128_to_string(
      static_cast<unsigned __int128>(b_neg ? -other.coefficient_ : other.coefficient_));
  // Magnitude order = position of the leading digit.
  int64_t lead_a = static_cast<int64_t>(da.size()) + exponent_;
  int64_t lead_b = static_cast<int64_t>(db.size()) + other.exponent_;
  int mag_cmp;
  if (lead_a != lead_b) {
    mag_cmp = lead_a < lead_b ? -1 : 1;
  } else {
    size_t len = std::max(da.size(), db.size());
    da.resize(len, '0');
    db.resize(len, '0');
    mag_cmp = da < db ? -1 : (da > db ? 1 : 0);
  }
  return a_neg ? -mag_cmp : mag_cmp;
}

}  // namespace assay
