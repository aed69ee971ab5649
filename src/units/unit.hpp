// Units and dimensions.
//
// Every quantity in Assay carries a unit; a unit belongs to one dimension and
// converts only within it. Converting across dimensions (a litre of diesel to
// kWh) is never done here: it needs a factor (density, calorific value) from a
// cited factor set, which is the job of src/factors. The scales below are
// definitions (SI and the contract's own: 1 kWh = 3.6 MJ), not measured
// coefficients, which is why they may live in code.
//
// Currencies are units of the currency dimension, one per ISO 4217 code, and
// never convert into each other (no exchange rates in v1).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace assay {

enum class Dimension {
  kEnergy,             // base MJ
  kMass,               // base kg
  kVolume,             // base L
  kCurrency,           // base: the currency itself
  kCo2eMass,           // base kgCO2e
  kDistance,           // base km
  kPassengerDistance,  // base passenger-km
  kFreightDistance,    // base tonne-km
  kPower,              // base kW
  kTime,               // base h
  kCount,              // "night", "item": counted things, each its own unit
  kDimensionless,      // "1", "%"
};

std::string_view dimension_name(Dimension d);

struct Unit {
  std::string symbol;  // as written in the contract: "kWh", "m3", "tCO2e", "CNY"
  Dimension dimension = Dimension::kDimensionless;
  double scale = 1.0;  // size in the dimension's base unit
};

// Looks up a unit by its exact (case-sensitive) symbol. Any three upper-case
// letters are taken as an ISO 4217 currency code.
std::optional<Unit> find_unit(std::string_view symbol);

// Factor that turns a value in `from` into `to`, or nullopt when the two are
// not of the same dimension (or are different currencies / counted things).
std::optional<double> conversion_factor(const Unit& from, const Unit& to);

// A unit of the form "numerator/denominator" as used by factors ("kg/TJ",
// "t/MWh", "kg/CNY", "kg/kg"); "1" is dimensionless over dimensionless.
struct RatioUnit {
  Unit numerator;
  Unit denominator;
};
std::optional<RatioUnit> parse_ratio_unit(std::string_view text);

}  // namespace assay
