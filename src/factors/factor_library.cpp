#include "factors/factor_library.hpp"

#include <algorithm>
#include <charconv>

#include "factors/factor_csv.hpp"
#include "units/embedded_data.hpp"
#include "units/unit.hpp"

namespace assay {
namespace {

std::optional<int> parse_year(std::string_view s) {
  int y = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), y);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return y;
}

std::string country_of(std::string_view region) {
  return std::string(region.substr(0, region.find('-')));
}

constexpr std::string_view kBlendPrefix = "blend.";
constexpr int kMaxBlendDepth = 4;

}  // namespace

std::vector<std::string> key_chain(std::string_view key) {
  std::vector<std::string> out;
  std::string k(key);
  while (true) {
    out.push_back(k);
    size_t dot = k.rfind('.');
    if (dot == std::string::npos) break;
    k.resize(dot);
  }
  return out;
}

std::vector<std::string> region_chain(std::string_view region) {
  std::vector<std::string> out;
  if (region != "*") {
    out.emplace_back(region);
    std::string country = country_of(region);
    if (country != region && !country.empty()) out.push_back(country);
  }
  out.emplace_back("*");
  return out;
}

bool is_emission_quantity(std::string_view q) {
  return q != "gwp100" && q != "ncv" && q != "density" && q != "coal_equivalent" && q != "fraction";
}

std::string FactorResolution::citation() const {
  if (!row) return "no factor for " + key + " " + quantity + " " + region + " " + year;
  std::string s = set + " " + row->key + " " + row->quantity + " " + row->region + " " + row->year +
                  " = " + row->value.to_string() + " " + row->unit;
  if (!row->source.empty()) s += " (" + row->source + ")";
  if (!row->confidence.empty()) s += " [" + row->confidence + "]";
  return s;
}

void FactorLibrary::add_row(SetIndex* set, FactorRow row) {
  set->rows.push_back(std::make_unique<FactorRow>(std::move(row)));
  const FactorRow* r = set->rows.back().get();
  auto& list = set->by_key[{r->key, r->quantity}];
  if (list.empty()) set->quantities_of_key[r->key].push_back(r->quantity);
  list.push_back(r);
}

FactorLibrary FactorLibrary::from_rows(std::vector<FactorRow> user_rows,
                                       std::vector<FactorRow> builtin_rows,
                                       const std::vector<std::string>& builtin_order) {
  FactorLibrary lib;
  std::map<std::string, std::shared_ptr<SetIndex>> user_sets;
  for (auto& row : user_rows) {
    auto& set = user_sets[row.factor_set];
    if (!set) {
      set = std::make_shared<SetIndex>();
      set->name = row.factor_set;
      set->user = true;
      lib.sets_.push_back(set);
      lib.set_names_.push_back(row.factor_set);
    }
    add_row(set.get(), std::move(row));
  }
  std::map<std::string, std::shared_ptr<SetIndex>> builtin;
  for (const auto& name : builtin_order) {
    if (builtin.count(name)) continue;
    auto set = std::make_shared<SetIndex>();
    set->name = name;
    builtin[name] = set;
    lib.sets_.push_back(set);
    lib.set_names_.push_back(name);
  }
  for (auto& row : builtin_rows) {
    auto it = builtin.find(row.factor_set);
    if (it == builtin.end()) continue;
    add_row(it->second.get(), std::move(row));
  }
  return lib;
}

std::vector<std::string> FactorLibrary::builtin_set_names() {
  std::vector<std::string> names;
  for (const auto& f : embedded_files()) {
    std::string_view p = f.path;
    if (p.starts_with("factors/") && p.ends_with(".csv")) {
      names.emplace_back(p.substr(8, p.size() - 12));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

FactorLibrary FactorLibrary::build(const std::vector<FactorRow>& user_rows,
                                   const std::vector<std::string>& set_names,
                                   DiagnosticSink* diags) {
  std::vector<FactorRow> builtin_rows;
  for (const auto& name : set_names) {
    std::string path = "factors/" + name + ".csv";
    bool found = false;
    for (const auto& f : embedded_files()) {
      if (f.path != path) continue;
      found = true;
      DiagnosticSink local;
      auto rows = parse_factor_csv(f.content, "data/" + path, &local);
      for (auto& d : local.items()) diags->add(d);
      for (auto& r : rows) {
        // A built-in file holds one set; rows naming another set are a data bug.
        if (r.factor_set != name) {
          diags->error("data/" + path, r.origin.line, 1, "factor_set_mismatch",
                       "row of set \"" + r.factor_set + "\" in the file of set \"" + name + "\"");
          continue;
        }
        builtin_rows.push_back(std::move(r));
      }
    }
    if (!found) {
      std::string known;
      for (const auto& n : builtin_set_names()) known += (known.empty() ? "" : ", ") + n;
      diags->error("package.toml", 0, 0, "factor_set_unknown",
                   "factor set \"" + name + "\" is not built in (known: " + known + ")");
    }
  }
  return from_rows(user_rows, std::move(builtin_rows), set_names);
}

bool FactorLibrary::resolve_in_set(const SetIndex& set, std::string_view key,
                                   std::string_view quantity, std::string_view region,
                                   std::string_view year, FactorResolution* out) const {
  const auto keys = key_chain(key);
  const auto regions = region_chain(region);
  const std::optional<int> want_year = parse_year(year);
  for (size_t ki = 0; ki < keys.size(); ++ki) {
    auto it = set.by_key.find(std::make_pair(keys[ki], std::string(quantity)));
    if (it == set.by_key.end()) continue;
    const auto& rows = it->second;
    for (size_t ri = 0; ri < regions.size(); ++ri) {
      const std::string& r = regions[ri];
      const FactorRow* exact = nullptr;
      const FactorRow* earlier = nullptr;
      int earlier_year = 0;
      const FactorRow* star = nullptr;
      bool any_dated = false;
      for (const FactorRow* row : rows) {
        if (row->region != r) continue;
        if (row->year == "*") {
          if (!star) star = row;
          continue;
        }
        any_dated = true;
        if (row->year == year) {
          if (!exact) exact = row;
          continue;
        }
        auto y = parse_year(row->year);
        if (want_year && y && *y < *want_year && (!earlier || *y > earlier_year)) {
          earlier = row;
          earlier_year = *y;
        }
      }
      const FactorRow* chosen = exact ? exact : earlier ? earlier : star;
      if (!chosen) {
        if (any_dated) {
          out->steps.push_back(set.name + ": " + keys[ki] + " " + r + ": no row for year " +
                               std::string(year) + " or earlier");
        }
        continue;
      }
      out->row = chosen;
      out->set = set.name;
      out->user_set = set.user;
      // Key: a fallback only if the set has rows for a more specific key.
      for (size_t k = 0; k < ki; ++k) {
        if (set.by_key.count(std::make_pair(keys[k], std::string(quantity)))) {
          out->key_fallback = true;
        }
      }
      // Region: a fallback only if the set has rows at a more specific level
      // than the one chosen (sub-national rows of the same country when the
      // country answered; any named region when `*` answered).
      if (ri > 0) {
        for (const FactorRow* row : rows) {
          if (r == "*" ? row->region != "*" : (row->region != r && country_of(row->region) == r)) {
            out->region_fallback = true;
            break;
          }
        }
      }
      // Year: an earlier year is always a fallback; `*` is one when the set
      // holds dated rows for this key and region.
      if (!exact && year != "*") {
        if (earlier)
          out->year_fallback = true;
        else if (any_dated)
          out->year_fallback = true;
      }
      std::string step =
          set.name + ": used " + chosen->key + " " + chosen->region + " " + chosen->year;
      if (out->key_fallback) step += " (key fallback from " + std::string(key) + ")";
      if (out->region_fallback) step += " (region fallback from " + std::string(region) + ")";
      if (out->year_fallback) step += " (year fallback from " + std::string(year) + ")";
      out->steps.push_back(std::move(step));
      return true;
    }
    out->steps.push_back(set.name + ": " + keys[ki] + " " + std::string(quantity) +
                         ": no row for region " + std::string(region) + " or its fallbacks");
  }
  return false;
}

FactorResolution FactorLibrary::resolve(std::string_view key, std::string_view quantity,
                                        std::string_view region, std::string_view year) const {
  FactorResolution res;
  res.key = std::string(key);
  res.quantity = std::string(quantity);
  res.region = std::string(region);
  res.year = std::string(year);
  for (const auto& set : sets_) {
    if (resolve_in_set(*set, key, quantity, region, year, &res)) return res;
  }
  return res;
}

FactorResolution FactorLibrary::resolve(std::string_view key, std::string_view quantity,
                                        std::string_view region, int year) const {
  return resolve(key, quantity, region, std::to_string(year));
}

std::vector<std::string> FactorLibrary::emission_quantities(std::string_view key) const {
  const auto keys = key_chain(key);
  for (const auto& set : sets_) {
    std::vector<std::string> out;
    for (const auto& k : keys) {
      auto it = set->quantities_of_key.find(k);
      if (it == set->quantities_of_key.end()) continue;
      for (const auto& q : it->second) {
        if (is_emission_quantity(q) && std::find(out.begin(), out.end(), q) == out.end()) {
          out.push_back(q);
        }
      }
    }
    if (!out.empty()) return out;
  }
  return {};
}

std::optional<GasGwp> FactorLibrary::gwp(std::string_view gas, int year,
                                         std::string* missing) const {
  // Iterative depth guard against blends of blends that refer to each other.
  struct Walker {
    const FactorLibrary* lib;
    int year;
    std::string* missing;
    std::optional<GasGwp> run(std::string_view name, int depth) {
      if (depth > kMaxBlendDepth) {
        if (missing) *missing = "blend " + std::string(name) + " nests too deeply";
        return std::nullopt;
      }
      const std::string blend_key = std::string(kBlendPrefix) + std::string(name);
      for (const auto& set : lib->sets_) {
        FactorResolution res;
        res.key = std::string(name);
        res.quantity = "gwp100";
        res.region = "*";
        res.year = std::to_string(year);
        if (lib->resolve_in_set(*set, name, "gwp100", "*", res.year, &res)) {
          GasGwp g;
          g.name = std::string(name);
          g.gwp = res.row->value.to_double();
          GasComponent c;
          c.gas = g.name;
          c.gwp = g.gwp;
          c.gwp_resolution = std::make_shared<FactorResolution>(std::move(res));
          g.components.push_back(std::move(c));
          return g;
        }
        auto qit = set->quantities_of_key.find(blend_key);
        if (qit == set->quantities_of_key.end()) continue;
        GasGwp g;
        g.name = std::string(name);
        g.is_blend = true;
        for (const auto& component : qit->second) {
          const FactorRow* row = set->by_key.at({blend_key, component}).front();
          auto unit = parse_ratio_unit(row->unit);
          auto scale = unit ? conversion_factor(unit->numerator, unit->denominator) : std::nullopt;
          if (!scale) {
            if (missing) *missing = "blend " + g.name + " fraction unit " + row->unit;
            return std::nullopt;
          }
          auto sub = run(component, depth + 1);
          if (!sub) return std::nullopt;
          double fraction = row->value.to_double() * *scale;
          for (auto& sc : sub->components) {
            sc.fraction *= fraction;
            if (!sc.fraction_row) sc.fraction_row = row;
            g.gwp += sc.fraction * sc.gwp;
            g.components.push_back(std::move(sc));
          }
        }
        return g;
      }
      if (missing) *missing = "gwp100 of " + std::string(name);
      return std::nullopt;
    }
  };
  Walker w{this, year, missing};
  return w.run(gas, 0);
}

std::vector<std::string> FactorLibrary::known_gases() const {
  std::set<std::string> names;
  for (const auto& set : sets_) {
    for (const auto& [kq, rows] : set->by_key) {
      if (kq.second == "gwp100") names.insert(kq.first);
      if (std::string_view(kq.first).starts_with(kBlendPrefix)) {
        names.insert(kq.first.substr(kBlendPrefix.size()));
      }
    }
  }
  return {names.begin(), names.end()};
}

bool FactorLibrary::is_known_gas(std::string_view name) const {
  const std::string blend_key = std::string(kBlendPrefix) + std::string(name);
  for (const auto& set : sets_) {
    if (set->by_key.count(std::make_pair(std::string(name), std::string("gwp100")))) return true;
    if (set->quantities_of_key.count(blend_key)) return true;
  }
  return false;
}

std::string FactorLibrary::fingerprint_bytes() const {
  std::string out;
  for (const auto& set : sets_) {
    out += set->user ? "user-set\t" : "builtin-set\t";
    out += set->name;
    out += '\n';
    for (const auto& r : set->rows) {
      for (const std::string* f : {&r->factor_set, &r->key, &r->region, &r->year, &r->quantity}) {
        out += *f;
        out += '\t';
      }
      out += r->value.to_string();
      out += '\t';
      out += r->unit;
      out += '\t';
      out += r->source;
      out += '\t';
      out += r->confidence;
      out += '\n';
    }
  }
  return out;
}

size_t FactorLibrary::row_count() const {
  size_t n = 0;
  for (const auto& s : sets_) n += s->rows.size();
  return n;
}

}  // namespace assay
