// Text and number helpers of the SVG charts; see svg_format.hpp.
#include "disclose/svg_format.hpp"

#include "metrics/catalog.hpp"  // round_half_away_from_zero: the catalog's rounding rule

#include <algorithm>
#include <charconv>
#include <cmath>

namespace assay::disclose::svg {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes the code point at `pos` and advances past it; an invalid, overlong
// or surrogate sequence yields U+FFFD and advances one byte.
char32_t next_code_point(std::string_view s, size_t& pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(pos);
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  int length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++pos;
    return kReplacement;
  }
  if (pos + length > s.size()) {
    ++pos;
    return kReplacement;
  }
  for (int i = 1; i < length; ++i) {
    const unsigned char b = byte(pos + i);
    if ((b & 0xC0) != 0x80) {
      ++pos;
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++pos;
    return kReplacement;
  }
  pos += length;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// XML 1.0, section 2.2 (Char): what a document may contain at all.
bool allowed_in_xml(char32_t cp) {
  if (cp == 0x9 || cp == 0xA) return true;
  if (cp == 0xD) return false;  // would be normalised away by a parser anyway
  if (cp < 0x20) return false;
  return cp != 0xFFFE && cp != 0xFFFF;
}

// East Asian wide and full-width ranges (Unicode UAX #11, the common blocks).
bool is_wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

double code_point_width(char32_t cp, double font_size) {
  return (is_wide(cp) ? 1.0 : 0.6) * font_size;
}

double nice_step_at_least(double raw) {
  if (!(raw > 0) || !std::isfinite(raw)) return 1;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * magnitude >= raw * (1 - 1e-9)) return m * magnitude;
  }
  return 10 * magnitude;
}

int decimals_for_step(double step) {
  const int d = -static_cast<int>(std::floor(std::log10(step) + 1e-9));
  return std::clamp(d, 0, 12);
}

double finite_or_zero(double v) { return std::isfinite(v) ? v : 0.0; }

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const char32_t cp = next_code_point(text, pos);
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (allowed_in_xml(cp)) append_utf8(out, cp);
    }
  }
  return out;
}

std::string fixed(double value, int decimals) {
  decimals = std::clamp(decimals, 0, 12);
  double rounded = round_half_away_from_zero(finite_or_zero(value), decimals);
  if (!std::isfinite(rounded)) rounded = finite_or_zero(value);  // scale overflowed
  if (rounded == 0) rounded = 0;  // -0.0 compares equal to 0: write "0", not "-0"
  char buffer[400];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, rounded, std::chars_format::fixed, decimals);
  return std::string(buffer, result.ptr);
}

std::string grouped(double value, int decimals) {
  const std::string plain = fixed(value, decimals);
  const size_t sign = plain[0] == '-' ? 1 : 0;
  const size_t int_end = std::min(plain.find('.'), plain.size());
  std::string out = plain.substr(0, sign);
  for (size_t i = sign; i < int_end; ++i) {
    if (i > sign && (int_end - i) % 3 == 0) out += ',';
    out += plain[i];
  }
  out += plain.substr(int_end);
  return out;
}

double text_width(std::string_view text, double font_size) {
  double width = 0;
  size_t pos = 0;
  while (pos < text.size()) width += code_point_width(next_code_point(text, pos), font_size);
  return width;
}

std::string fit_text(std::string_view text, double max_width, double font_size) {
  // The tolerance keeps widths that fit exactly (10 × 6.6 = 66) from failing
  // by a rounding error of the sum.
  constexpr double kTolerance = 1e-6;
  if (text_width(text, font_size) <= max_width + kTolerance) return std::string(text);
  const double room = max_width - code_point_width(U'…', font_size) + kTolerance;
  double width = 0;
  size_t pos = 0;
  size_t keep = 0;
  while (pos < text.size()) {
    width += code_point_width(next_code_point(text, pos), font_size);
    if (width > room) break;
    keep = pos;
  }
  return std::string(text.substr(0, keep)) + "…";
}

Axis nice_axis(double data_lo, double data_hi, int max_intervals) {
  data_lo = finite_or_zero(data_lo);
  data_hi = finite_or_zero(data_hi);
  if (data_lo > data_hi) std::swap(data_lo, data_hi);
  if (data_hi - data_lo <= std::abs(data_hi) * 1e-9) {
    data_hi = data_lo + std::max(1.0, std::abs(data_lo) * 0.1);
  }
  Axis axis;
  axis.step = nice_step_at_least((data_hi - data_lo) / std::max(1, max_intervals));
  // Tolerances keep a bound that is a multiple of step up to rounding
  // (0.30000000000000004 for 0.3) from adding an interval.
  const double first = std::floor(data_lo / axis.step + 1e-9);
  const double last = std::ceil(data_hi / axis.step - 1e-9);
  for (double k = first; k <= last && axis.ticks.size() < 100; ++k) {
    axis.ticks.push_back(k * axis.step);
  }
  axis.lo = axis.ticks.front();
  axis.hi = axis.ticks.back();
  axis.decimals = decimals_for_step(axis.step);
  return axis;
}

Axis nice_axis_with_intervals(double data_hi, int intervals) {
  intervals = std::max(1, intervals);
  data_hi = finite_or_zero(data_hi);
  if (!(data_hi > 0)) data_hi = 1;
  Axis axis;
  axis.step = nice_step_at_least(data_hi / intervals);
  for (int k = 0; k <= intervals; ++k) axis.ticks.push_back(k * axis.step);
  axis.lo = 0;
  axis.hi = axis.ticks.back();
  axis.decimals = decimals_for_step(axis.step);
  return axis;
}

}  // namespace assay::disclose::svg
