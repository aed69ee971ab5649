// A small dimension algebra for checking the catalog's formulas.
//
// A unit string of the catalog ("tCO2e/million {currency}", "per million h",
// "%") maps to a product of base dimensions with integer exponents. Scales
// (t vs kg, million) are not part of a dimension: a formula writes its
// conversion factors (x 1000 for t -> kg) explicitly, as published
// definitions do, and the check catches adding or dividing the wrong kinds of
// quantity (tCO2e + MWh, an intensity that is not per currency).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace assay {

// Base dimension name -> exponent; zero exponents are never stored.
using Dimensions = std::map<std::string, int>;

// Parses a catalog unit: "A B/C D" (at most one '/'), "per X" (= 1/X),
// tokens from the table in units.cpp. nullopt for an unknown token.
std::optional<Dimensions> parse_unit_dimensions(std::string_view unit);

Dimensions multiply(const Dimensions& a, const Dimensions& b);
Dimensions divide(const Dimensions& a, const Dimensions& b);

// "co2e mass/currency", "1" for dimensionless.
std::string dimensions_text(const Dimensions& d);

}  // namespace assay
