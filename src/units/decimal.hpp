// Decimal: an exact decimal number as written in an input file.
//
// Spec (data-package.md, "Numbers"): `.` is the decimal point, an optional
// leading `-`, an exponent is allowed; thousands separators only in quoted
// fields. The engine stores and compares values exactly, so a Decimal keeps
// the written digits as coefficient x 10^exponent (no binary rounding) and
// converts to double (correctly rounded) only for arithmetic.
//
// Accepted form: -?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?   (with thousands
// separators: -?[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?...). Up to 38 significant
// digits; exponents within +-400.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace assay {

class Decimal {
 public:
  Decimal() = default;
  static Decimal from_int(int64_t v) { return Decimal(v, 0); }

  // Parses `text` exactly. `allow_thousands` accepts `,` between groups of
  // three digits in the integer part (quoted CSV fields). Returns nullopt if
  // `text` is not of the accepted form.
  static std::optional<Decimal> parse(std::string_view text, bool allow_thousands = false);

  // Nearest double (round-half-even), the same on every machine.
  double to_double() const;
  // Canonical plain notation: "-1234.5", "0.001", "12000". Same value, same text.
  std::string to_string() const;

  bool is_negative() const { return coefficient_ < 0; }
  bool is_zero() const { return coefficient_ == 0; }
  bool is_integer() const;
  // -1, 0, 1 as *this <, ==, > other (exact).
  int compare(const Decimal& other) const;
  bool operator==(const Decimal& o) const { return compare(o) == 0; }
  bool operator<(const Decimal& o) const { return compare(o) < 0; }

  __int128 coefficient() const { return coefficient_; }
  int32_t exponent() const { return exponent_; }
  // The same value with no trailing zero in the coefficient (0 as 0e0), the
  // form parse() gives; from_int() does not (1200 is 1200e0).
  Decimal normalized() const {
    Decimal d = *this;
    d.normalize();
    return d;
  }

 private:
  Decimal(__int128 c, int32_t e) : coefficient_(c), exponent_(e) {}
  void normalize();  // strips trailing zeros of the coefficient
  // Aligned to 8, not 16: a Decimal is 24 bytes instead of 32, and so is
  // every record that holds one (W2: ten million activity records, 160 MB).
  // The coefficient is only read and written by value, never through a
  // pointer, so the weaker alignment costs nothing on x86-64 or AArch64.
  using Coefficient [[gnu::aligned(8)]] = __int128;
  Coefficient coefficient_ = 0;
  int32_t exponent_ = 0;
};

static_assert(sizeof(Decimal) == 24 && alignof(Decimal) == 8);

}  // namespace assay
