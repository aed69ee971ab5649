#include "units/unit.hpp"

#include <array>

namespace assay {
namespace {

struct UnitDef {
  std::string_view symbol;
  Dimension dimension;
  double scale;
};

// Scales are exact definitions relative to the base unit of each dimension.
constexpr std::array kUnits = {
    UnitDef{"MJ", Dimension::kEnergy, 1.0},
    UnitDef{"GJ", Dimension::kEnergy, 1e3},
    UnitDef{"TJ", Dimension::kEnergy, 1e6},
    UnitDef{"kWh", Dimension::kEnergy, 3.6},  // 1 kWh = 3.6 MJ (SI)
    UnitDef{"MWh", Dimension::kEnergy, 3600.0},
    UnitDef{"GWh", Dimension::kEnergy, 3.6e6},
    UnitDef{"g", Dimension::kMass, 1e-3},
    UnitDef{"kg", Dimension::kMass, 1.0},
    UnitDef{"t", Dimension::kMass, 1e3},
    UnitDef{"L", Dimension::kVolume, 1.0},
    UnitDef{"m3", Dimension::kVolume, 1e3},
    UnitDef{"gCO2e", Dimension::kCo2eMass, 1e-3},
    UnitDef{"kgCO2e", Dimension::kCo2eMass, 1.0},
    UnitDef{"tCO2e", Dimension::kCo2eMass, 1e3},
    UnitDef{"km", Dimension::kDistance, 1.0},
    UnitDef{"pkm", Dimension::kPassengerDistance, 1.0},
    UnitDef{"tkm", Dimension::kFreightDistance, 1.0},
    UnitDef{"kW", Dimension::kPower, 1.0},
    UnitDef{"MW", Dimension::kPower, 1e3},
    UnitDef{"h", Dimension::kTime, 1.0},
    UnitDef{"night", Dimension::kCount, 1.0},
    UnitDef{"item", Dimension::kCount, 1.0},
    UnitDef{"count", Dimension::kCount, 1.0},
    UnitDef{"1", Dimension::kDimensionless, 1.0},
    UnitDef{"%", Dimension::kDimensionless, 0.01},
};

bool is_currency_code(std::string_view s) {
  if (s.size() != 3) return false;
  for (char c : s) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

}  // namespace

std::string_view dimension_name(Dimension d) {
  switch (d) {
    case Dimension::kEnergy:
      return "energy";
    case Dimension::kMass:
      return "mass";
    case Dimension::kVolume:
      return "volume";
    case Dimension::kCurrency:
      return "currency";
    case Dimension::kCo2eMass:
      return "mass of CO2e";
    case Dimension::kDistance:
      return "distance";
    case Dimension::kPassengerDistance:
      return "passenger distance";
    case Dimension::kFreightDistance:
      return "freight distance";
    case Dimension::kPower:
      return "power";
    case Dimension::kTime:
      return "time";
    case Dimension::kCount:
      return "count";
    case Dimension::kDimensionless:
      return "dimensionless";
  }
  return "unknown";
}

std::optional<Unit> find_unit(std::string_view symbol) {
  for (const auto& u : kUnits) {
    if (u.symbol == symbol) return Unit{std::string(u.symbol), u.dimension, u.scale};
  }
  if (is_currency_code(symbol)) return Unit{std::string(symbol), Dimension::kCurrency, 1.0};
  return std::nullopt;
}

std::optional<double> conversion_factor(const Unit& from, const Unit& to) {
  if (from.dimension != to.dimension) return std::nullopt;
  // Currencies and counted things convert only to themselves.
  if ((from.dimension == Dimension::kCurrency || from.dimension == Dimension::kCount) &&
      from.symbol != to.symbol) {
    return std::nullopt;
  }
  if (from.scale == to.scale) return 1.0;
  return from.scale / to.scale;
}

std::optional<RatioUnit> parse_ratio_unit(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    auto u = find_unit(text);
    if (!u || u->dimension != Dimension::kDimensionless) return std::nullopt;
    return RatioUnit{*u, *find_unit("1")};
  }
  if (text.find('/', slash + 1) != std::string_view::npos) return std::nullopt;
  auto num = find_unit(text.substr(0, slash));
  auto den = find_unit(text.substr(slash + 1));
  if (!num || !den) return std::nullopt;
  return RatioUnit{*num, *den};
}

}  // namespace assay
