#include "metrics/units.hpp"

#include <utility>
#include <vector>

namespace assay {

namespace {

// Token -> its base dimension (exponent 1), or none for a dimensionless token.
// Counted things (people, cases) are dimensionless: a rate per head is a plain number.
std::optional<std::optional<std::string>> token_dimension(std::string_view t) {
  static const std::vector<std::pair<std::string_view, std::string_view>> kTokens = {
      {"tCO2e", "co2e mass"}, {"kgCO2e", "co2e mass"},
      {"t", "mass"},          {"kg", "mass"},
      {"MWh", "energy"},      {"kWh", "energy"},
      {"GJ", "energy"},       {"L", "volume"},
      {"m3", "volume"},       {"MW", "power"},
      {"h", "time"},          {"days", "time"},
      {"yr", "time"},         {"{currency}", "currency"},
  };
  for (const auto& [sym, dim] : kTokens) {
    if (t == sym) return std::optional<std::string>(std::string(dim));
  }
  static const std::string_view kDimensionless[] = {"1", "%", "count", "million", "thousand"};
  for (auto sym : kDimensionless) {
    if (t == sym) return std::optional<std::string>();
  }
  return std::nullopt;
}

std::optional<Dimensions> product(std::string_view text) {
  Dimensions d;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    if (j == i) break;
    auto dim = token_dimension(text.substr(i, j - i));
    if (!dim) return std::nullopt;
    if (*dim) d = multiply(d, Dimensions{{**dim, 1}});
    i = j;
  }
  return d;
}

}  // namespace

std::optional<Dimensions> parse_unit_dimensions(std::string_view unit) {
  if (unit.starts_with("per ")) {
    auto den = product(unit.substr(4));
    if (!den) return std::nullopt;
    return divide({}, *den);
  }
  const size_t slash = unit.find('/');
  if (slash == std::string_view::npos) return product(unit);
  if (unit.find('/', slash + 1) != std::string_view::npos) return std::nullopt;
  auto num = product(unit.substr(0, slash));
  auto den = product(unit.substr(slash + 1));
  if (!num || !den) return std::nullopt;
  return divide(*num, *den);
}

Dimensions multiply(const Dimensions& a, const Dimensions& b) {
  Dimensions out = a;
  for (const auto& [k, e] : b) {
    if ((out[k] += e) == 0) out.erase(k);
  }
  return out;
}

Dimensions divide(const Dimensions& a, const Dimensions& b) {
  Dimensions out = a;
  for (const auto& [k, e] : b) {
    if ((out[k] -= e) == 0) out.erase(k);
  }
  return out;
}

std::string dimensions_text(const Dimensions& d) {
  std::string num;
  std::string den;
  for (const auto& [k, e] : d) {
    std::string& side = e > 0 ? num : den;
    const int n = e > 0 ? e : -e;
    if (!side.empty()) side += " x ";
    side += k;
    if (n != 1) side += "^" + std::to_string(n);
  }
  if (num.empty()) num = "1";
  return den.empty() ? num : num + "/" + den;
}

}  // namespace assay
