#include "factors/conversion.hpp"

#include <charconv>

namespace assay {

std::string format_number(double v) {
  if (v == 0) return "0";  // also maps -0 to 0
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  return std::string(buf, p);
}

std::shared_ptr<const FactorResolution> CachedResolver::resolve(const std::string& key,
                                                                const std::string& quantity,
                                                                const std::string& region,
                                                                int year) {
  auto k = std::make_tuple(key, quantity, region, year);
  auto it = cache_.find(k);
  if (it != cache_.end()) return it->second;
  auto res = std::make_shared<const FactorResolution>(lib_->resolve(key, quantity, region, year));
  cache_.emplace(std::move(k), res);
  order_.push_back(res);
  return res;
}

namespace {

struct Bridger {
  CachedResolver* resolver;
  const std::string& key;
  const std::string& region;
  int year;
  Conversion* out;

  bool fail_missing(const std::shared_ptr<const FactorResolution>& res, const char* what) {
    out->ok = false;
    out->error_code = "factor_missing";
    out->error = std::string("no ") + what + " for " + key + " in region " + region + " year " +
                 std::to_string(year);
    out->missing = res;
    return false;
  }
  bool fail_units(const Unit& from, const Unit& to, const std::string& why) {
    out->ok = false;
    out->error_code = "unit_mismatch";
    out->error = "cannot convert " + from.symbol + " to " + to.symbol + " for " + key + why;
    return false;
  }

  // A density or NCV row as (numerator, denominator, value); false if missing or malformed.
  bool ratio(const char* quantity, Dimension num_dim, std::shared_ptr<const FactorResolution>* res,
             RatioUnit* unit) {
    *res = resolver->resolve(key, quantity, region, year);
    if (!(*res)->found()) return fail_missing(*res, quantity);
    auto u = parse_ratio_unit((*res)->row->unit);
    if (!u || u->numerator.dimension != num_dim ||
        (u->denominator.dimension != Dimension::kMass &&
         u->denominator.dimension != Dimension::kVolume)) {
      out->ok = false;
      out->error_code = "unit_mismatch";
      out->error = std::string(quantity) + " unit " + (*res)->row->unit + " of " + key +
                   " is not usable (" + (*res)->citation() + ")";
      return false;
    }
    *unit = *u;
    return true;
  }

  void step(double from_amount, const Unit& from, double to_amount, const Unit& to,
            const char* what, std::shared_ptr<const FactorResolution> res) {
    std::string text = format_number(from_amount) + " " + from.symbol + " -> " +
                       format_number(to_amount) + " " + to.symbol;
    if (what) text += std::string(" (") + what + ")";
    out->steps.push_back(ConversionStep{std::move(text), std::move(res)});
  }

  // Amount `a` in `from` expressed in `to`, same dimension.
  bool scale(double a, const Unit& from, const Unit& to, double* r) {
    auto f = conversion_factor(from, to);
    if (!f) return fail_units(from, to, "");
    *r = a * *f;
    if (from.symbol != to.symbol) step(a, from, *r, to, nullptr, nullptr);
    return true;
  }

  // Volume <-> mass with the key's density.
  bool density_bridge(double a, const Unit& from, const Unit& to, double* r) {
    std::shared_ptr<const FactorResolution> res;
    RatioUnit u;
    if (!ratio("density", Dimension::kMass, &res, &u)) return false;
    if (u.denominator.dimension != Dimension::kVolume) {
      return fail_units(from, to, ": density unit is not mass per volume");
    }
    double d = res->row->value.to_double();
    if (from.dimension == Dimension::kVolume) {
      double in_den = 0;
      if (!scale(a, from, u.denominator, &in_den)) return false;
      double mass = in_den * d;
      step(in_den, u.denominator, mass, u.numerator, "density", res);
      return scale(mass, u.numerator, to, r);
    }
    double in_num = 0;
    if (!scale(a, from, u.numerator, &in_num)) return false;
    if (d == 0) return fail_units(from, to, ": density is zero");
    double vol = in_num / d;
    step(in_num, u.numerator, vol, u.denominator, "density", res);
    return scale(vol, u.denominator, to, r);
  }

  // Any of mass/volume/energy into any other, through density and NCV.
  bool convert(double a, const Unit& from, const Unit& to, double* r) {
    const Dimension f = from.dimension;
    const Dimension t = to.dimension;
    if (f == t) return scale(a, from, to, r);
    auto is_material = [](Dimension d) { return d == Dimension::kMass || d == Dimension::kVolume; };
    if (is_material(f) && is_material(t)) return density_bridge(a, from, to, r);
    if (is_material(f) && t == Dimension::kEnergy) {
      std::shared_ptr<const FactorResolution> res;
      RatioUnit u;
      if (!ratio("ncv", Dimension::kEnergy, &res, &u)) return false;
      double in_den = 0;
      if (!convert(a, from, u.denominator, &in_den)) return false;
      double energy = in_den * res->row->value.to_double();
      step(in_den, u.denominator, energy, u.numerator, "net calorific value", res);
      return scale(energy, u.numerator, to, r);
    }
    if (f == Dimension::kEnergy && is_material(t)) {
      std::shared_ptr<const FactorResolution> res;
      RatioUnit u;
      if (!ratio("ncv", Dimension::kEnergy, &res, &u)) return false;
      double in_num = 0;
      if (!scale(a, from, u.numerator, &in_num)) return false;
      double v = res->row->value.to_double();
      if (v == 0) return fail_units(from, to, ": net calorific value is zero");
      double material = in_num / v;
      step(in_num, u.numerator, material, u.denominator, "net calorific value", res);
      return convert(material, u.denominator, to, r);
    }
    return fail_units(from, to, "");
  }
};

}  // namespace

Conversion convert_unit(CachedResolver* resolver, const Unit& from, const Unit& to,
                        const std::string& key, const std::string& region, int year) {
  Conversion out;
  Bridger b{resolver, key, region, year, &out};
  double r = 0;
  if (b.convert(1.0, from, to, &r)) {
    out.ok = true;
    out.multiplier = r;
  }
  return out;
}

}  // namespace assay
