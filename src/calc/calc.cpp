#include <algorithm>
#include <array>
#include <charconv>
#include <deque>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <memory_resource>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>
#include <tuple>
#include <unordered_map>

#include <openssl/evp.h>

#include "calc/inventory.hpp"
#include "factors/conversion.hpp"
#include "telemetry/site_energy.hpp"
#include "units/string_map.hpp"
#include "units/unit.hpp"

namespace assay {

std::string_view status_name(FigureStatus s) {
  switch (s) {
    case FigureStatus::kOk:
      return "ok";
    case FigureStatus::kNotAvailable:
      return "not_available";
    case FigureStatus::kIncomplete:
      return "incomplete";
  }
  return "ok";
}

const Figure* Inventory::find(std::string_view id, int year, std::string_view site,
                              std::string_view category) const {
  for (const auto& f : figures) {
    if (f.id == id && f.year == year && f.site == site && f.category == category) return &f;
  }
  return nullptr;
}

namespace {

// Figure ids that always get a total row per year (null, not_available, when
// nothing feeds them: spec "never as 0"). Derived figures are the metric
// catalog's (src/metrics), which writes their rows.
constexpr const char* kTotalIds[] = {
    "energy.direct",       "energy.electricity",  "energy.indirect",     "energy.other_indirect",
    "energy.total",        "fuel.diesel",         "fuel.gasoline",       "fuel.natural_gas",
    "ghg.scope1",          "ghg.scope2.location", "ghg.scope2.market",   "ghg.scope3",
    "pue.average",         "renewable.onsite",    "renewable.purchased", "waste.ewaste_recycled",
    "waste.ewaste_reused", "waste.hazardous",     "waste.nonhazardous",  "water.withdrawal",
};
// Ids with one row per site (spec, Outputs).
const std::set<std::string> kPerSiteIds = {"ghg.scope1",         "ghg.scope2.location",
                                           "ghg.scope2.market",  "energy.total",
                                           "energy.electricity", "pue.site"};
// Ids that are breakdowns only (rows with a category, no total row).
const std::set<std::string> kCategoryIds = {"ghg.scope1.gas", "ghg.scope3.category",
                                            "instruments.unused"};

const std::string kCategory8 = "8";  // scope 3 category 8, upstream leased assets

using AccKey = std::tuple<std::string, int, std::string, std::string>;  // id, year, site, category

struct Acc {
  double value = 0.0;
  bool incomplete = false;
  std::vector<ContributionPtr> children;
  LeafList leaves;
  // Instrument leaves kept as a market split's allocations (Contribution::cover).
  const MarketSplit* cover = nullptr;
  bool cover_renewable_only = false;
};

struct MethodResult {
  std::shared_ptr<const Method> method;  // null on failure
  std::string error_code;
  std::string error;
  std::shared_ptr<const FactorResolution> missing;
};

// A site's grid electricity in one year: its sum in MWh and the record sets
// behind it with their conversion to MWh (the market-based leaves).
struct SiteGrid {
  double mwh = 0.0;
  LeafList runs;  // method: record unit -> MWh; read in package order
};

std::string country_part(const std::string& region) { return region.substr(0, region.find('-')); }

// An instrument bought in `market` may cover consumption in `region` when the
// two are the same, or the instrument's market is the region's country
// (spec: instruments.csv, grid_region).
bool may_cover(const std::string& market, const std::string& region) {
  if (market == region) return true;
  return market.find('-') == std::string::npos && country_part(region) == market;
}

double year_volume(const Instrument& in, int year) {
  const int32_t a = std::max(in.start.days, first_day_of_year(year).days);
  const int32_t b = std::min(in.end.days, last_day_of_year(year).days);
  const int32_t total = in.end.days - in.start.days + 1;
  if (b < a || total <= 0) return 0.0;
  if (b - a + 1 == total) return in.mwh.to_double();
  return in.mwh.to_double() * static_cast<double>(b - a + 1) / static_cast<double>(total);
}

// Lineage nodes of one compute() come from one arena: W2 makes millions of
// small nodes (a site row per accumulator) that are never freed before the Inventory goes, so one
// allocation per node was mostly malloc's bookkeeping. Each node's control
// block holds the arena, so the arena lives as long as any node of it (a
// figure's lineage may outlive its Inventory) and is freed with the last one.
template <typename T>
struct NodeAllocator {
  using value_type = T;
  std::shared_ptr<std::pmr::monotonic_buffer_resource> arena;

  explicit NodeAllocator(std::shared_ptr<std::pmr::monotonic_buffer_resource> a)
      : arena(std::move(a)) {}
  template <typename U>
  NodeAllocator(const NodeAllocator<U>& other) : arena(other.arena) {}
  T* allocate(size_t n) { return static_cast<T*>(arena->allocate(n * sizeof(T), alignof(T))); }
  void deallocate(T*, size_t) noexcept {}  // freed with the arena
  template <typename U>
  bool operator==(const NodeAllocator<U>& other) const {
    return arena == other.arena;
  }
};

class Calculator {
  struct Lane;  // a thread planning groups (records())

 public:
  Calculator(const Package& p, const FactorLibrary& lib, const CalcOptions& options)
      : pkg_(p),
        lib_(lib),
        resolver_(&lib),
        metered_(options.metered),
        parallel_min_records_(options.parallel_min_records) {}

  Inventory run() {
    acc_split_ = static_cast<uint32_t>(pkg_.sites.size() / 2);
    site_order_.resize(pkg_.sites.size());
    for (uint32_t i = 0; i < site_order_.size(); ++i) site_order_[i] = i;
    std::stable_sort(site_order_.begin(), site_order_.end(), [this](uint32_t a, uint32_t b) {
      return pkg_.sites[a].site_id < pkg_.sites[b].site_id;
    });
    for (const auto& s : pkg_.sites) {
      sites_.emplace(s.site_id, &s);
      site_names_.push_back(s.site_id);  // index = position in pkg_.sites (see acc())
      site_index_.emplace(s.site_id, static_cast<uint32_t>(site_names_.size() - 1));
    }
    category_names_.push_back("");
    category_index_.emplace("", 0);
    std::set<int> years(pkg_.manifest.years.begin(), pkg_.manifest.years.end());
    if (pkg_.manifest.base_year) years.insert(*pkg_.manifest.base_year);
    if (metered_ && !metered_->empty()) recorded_months();
    for (int y : years) {
      grid_.reset(pkg_.sites.size());
      oob_grid_.reset(pkg_.sites.size());
      records(y);
      if (metered_ && !metered_->empty()) metered_energy(y);
      market(y);
    }
    finalize(years);
    return std::move(inv_);
  }

 private:
  using NodeArena = std::shared_ptr<std::pmr::monotonic_buffer_resource>;
  template <typename... Args>
  std::shared_ptr<Contribution> new_node(Args&&... args) const {
    return new_node_in(node_arena_, std::forward<Args>(args)...);
  }
  // From `arena`: a thread that makes nodes beside another uses its own.
  template <typename... Args>
  static std::shared_ptr<Contribution> new_node_in(const NodeArena& arena, Args&&... args) {
    return std::allocate_shared<Contribution>(NodeAllocator<Contribution>(arena),
                                              std::forward<Args>(args)...);
  }

  // ---- diagnostics -------------------------------------------------------
  void diag(Severity sev, const std::string& code, const std::string& message,
            const ActivityRecord* r, std::string_view site, std::string_view region,
            std::string_view metric) {
    Diagnostic d;
    d.severity = sev;
    d.code = code;
    d.message = message;
    if (r) {
      d.file = r->source.file;
      d.line = r->source.line;
      d.record = r->record_id;
    }
    d.site = site;
    d.region = region;
    d.metric = metric;
    inv_.diagnostics.add(std::move(d));
  }

  void note_fallbacks(const Method& m, const ActivityRecord* r, std::string_view site,
                      std::string_view metric) {
    for (const auto& t : m.terms) {
      auto check = [&](const std::shared_ptr<const FactorResolution>& res) {
        if (!res || !res->fallback() || warned_.count(res.get())) return;
        warned_.insert(res.get());
        std::string what;
        if (res->key_fallback) what += " key " + res->row->key;
        if (res->region_fallback) what += " region " + res->row->region;
        if (res->year_fallback) what += " year " + res->row->year;
        diag(Severity::kWarning, "factor_fallback",
             "factor for " + res->key + " " + res->quantity + " in " + res->region + " " +
                 res->year + " falls back to" + what + " of set " + res->set,
             r, site, res->region, metric);
      };
      for (const auto& f : t.factors) check(f);
      for (const auto& s : t.steps) check(s.factor);
    }
  }

  // Whether note_fallbacks() could say anything about `m` (most methods use
  // exact factors: no deferred report is queued for them).
  static bool has_fallback(const Method& m) {
    for (const auto& t : m.terms) {
      for (const auto& f : t.factors) {
        if (f && f->fallback()) return true;
      }
      for (const auto& st : t.steps) {
        if (st.factor && st.factor->fallback()) return true;
      }
    }
    return false;
  }

  void fail(const MethodResult& mr, const ActivityRecord& r, const Site& s, std::string_view metric,
            int year) {
    std::string msg = "record " + std::string(r.record_id) + ": ";
    if (mr.missing) {
      msg += "no factor for key " + mr.missing->key + ", quantity " + mr.missing->quantity +
             ", region " + mr.missing->region + ", year " + mr.missing->year;
    } else {
      msg += mr.error;
    }
    msg += " (needed for " + std::string(metric) + " " + std::to_string(year) + ")";
    diag(Severity::kError, mr.error_code, msg, &r, s.site_id, s.grid_region, metric);
  }

  // ---- methods -----------------------------------------------------------
  MethodResult method_error(std::string code, std::string error,
                            std::shared_ptr<const FactorResolution> missing = nullptr) {
    MethodResult m;
    m.error_code = std::move(code);
    m.error = std::move(error);
    m.missing = std::move(missing);
    return m;
  }

  // tCO2e per record unit from the emission factors of `key` (spec: per-gas
  // result x the gas's GWP; a CO2e factor as it is).
  MethodResult emission_method(std::string_view key, std::string_view unit, std::string_view region,
                               int year) {
    auto ck = method_key("emission", key, unit, region, year);
    auto it = methods_.find(ck);
    if (it != methods_.end()) return it->second;
    MethodResult out = build_emission_method(key, unit, region, year);
    remember(ck, out);
    return out;
  }

  MethodResult build_emission_method(std::string_view key, std::string_view unit,
                                     std::string_view region, int year) {
    auto from = find_unit(unit);
    if (!from)
      return method_error("unit_invalid", "unit \"" + std::string(unit) + "\" is not known");
    auto quantities = lib_.emission_quantities(key);
    if (quantities.empty()) {
      return method_error("factor_missing", "",
                          resolver_.resolve(std::string(key), "CO2e", std::string(region), year));
    }
    auto m = std::make_shared<Method>();
    m->from_unit = unit;
    m->to_unit = "tCO2e";
    const Unit t = *find_unit("t");
    const Unit tco2e = *find_unit("tCO2e");
    for (const auto& q : quantities) {
      auto res = resolver_.resolve(std::string(key), q, std::string(region), year);
      if (!res->found()) return method_error("factor_missing", "", res);
      auto ratio = parse_ratio_unit(res->row->unit);
      std::optional<double> to_t;
      if (ratio && ratio->numerator.dimension == Dimension::kMass) {
        to_t = conversion_factor(ratio->numerator, t);
      } else if (ratio && ratio->numerator.dimension == Dimension::kCo2eMass) {
        to_t = conversion_factor(ratio->numerator, tco2e);
      }
      if (!to_t) {
        return method_error("unit_mismatch", "factor unit " + res->row->unit + " of " +
                                                 res->citation() + " is not a mass per unit");
      }
      if (from->dimension == Dimension::kCurrency &&
          ratio->denominator.dimension == Dimension::kCurrency &&
          from->symbol != ratio->denominator.symbol) {
        return method_error("currency_mismatch", "spend in " + from->symbol + " but the factor " +
                                                     res->citation() + " is per " +
                                                     ratio->denominator.symbol +
                                                     " (no exchange rates in v1)");
      }
      Conversion conv = convert_unit(&resolver_, *from, ratio->denominator, std::string(key),
                                     std::string(region), year);
      if (!conv.ok) return method_error(conv.error_code, conv.error, conv.missing);
      const double base = conv.multiplier * res->row->value.to_double() * *to_t;
      if (q == "CO2e") {
        MethodTerm term;
        term.label = "CO2e";
        term.per_unit = base;
        term.factors.push_back(res);
        term.steps = conv.steps;
        m->per_unit += term.per_unit;
        m->terms.push_back(std::move(term));
        continue;
      }
      std::string missing;
      auto g = lib_.gwp(q, year, &missing);
      if (!g) {
        return method_error("factor_missing", "", resolver_.resolve(q, "gwp100", "*", year));
      }
      for (const auto& c : g->components) {
        MethodTerm term;
        term.label = g->is_blend ? c.gas + " (" + g->name + ")" : c.gas;
        term.per_unit = base * c.fraction * c.gwp;
        term.factors.push_back(res);
        if (c.gwp_resolution) term.factors.push_back(c.gwp_resolution);
        term.steps = conv.steps;
        term.note = "x GWP " + format_number(c.gwp);
        if (c.fraction_row) {
          term.note += ", mass fraction " + format_number(c.fraction) + " (" +
                       c.fraction_row->factor_set + " " + c.fraction_row->key + ": " +
                       c.fraction_row->source + ")";
        }
        m->per_unit += term.per_unit;
        m->terms.push_back(std::move(term));
      }
    }
    MethodResult r;
    r.method = m;
    return r;
  }

  // tCO2e per record unit of a released gas or blend (mass x GWP).
  MethodResult gas_method(std::string_view gas, std::string_view unit, int year) {
    auto ck = method_key("gas", gas, unit, "", year);
    auto it = methods_.find(ck);
    if (it != methods_.end()) return it->second;
    MethodResult out;
    auto from = find_unit(unit);
    auto to_t_opt = from ? conversion_factor(*from, *find_unit("t")) : std::nullopt;
    const double to_t = to_t_opt.value_or(0.0);
    std::string missing;
    auto g = lib_.gwp(gas, year, &missing);
    if (!to_t_opt) {
      out = method_error("unit_mismatch", "unit \"" + std::string(unit) + "\" is not a mass");
    } else if (!g) {
      out = method_error("factor_missing", missing,
                         resolver_.resolve(std::string(gas), "gwp100", "*", year));
    } else {
      auto m = std::make_shared<Method>();
      m->from_unit = unit;
      m->to_unit = "tCO2e";
      for (const auto& c : g->components) {
        MethodTerm term;
        term.label = c.gas;
        term.per_unit = to_t * c.fraction * c.gwp;
        if (c.gwp_resolution) term.factors.push_back(c.gwp_resolution);
        if (unit != "t") {
          term.steps.push_back(ConversionStep{
              "1 " + std::string(unit) + " -> " + format_number(to_t) + " t", nullptr});
        }
        term.note = "x GWP " + format_number(c.gwp);
        if (c.fraction_row) {
          term.note += ", mass fraction " + format_number(c.fraction) + " of " + g->name + " (" +
                       c.fraction_row->factor_set + ": " + c.fraction_row->source + ")";
        }
        m->per_unit += term.per_unit;
        m->terms.push_back(std::move(term));
      }
      out.method = m;
    }
    remember(ck, out);
    return out;
  }

  // Target unit per record unit (energy, fuel volume), bridging with density/NCV.
  MethodResult convert_method(std::string_view key, std::string_view unit, std::string_view to,
                              std::string_view region, int year) {
    auto ck = method_key("convert:" + std::string(to), key, unit, region, year);
    auto it = methods_.find(ck);
    if (it != methods_.end()) return it->second;
    MethodResult out;
    auto from = find_unit(unit);
    if (!from) {
      out = method_error("unit_invalid", "unit \"" + std::string(unit) + "\" is not known");
    } else {
      Conversion conv = convert_unit(&resolver_, *from, *find_unit(to), std::string(key),
                                     std::string(region), year);
      if (!conv.ok) {
        out = method_error(conv.error_code, conv.error, conv.missing);
      } else {
        auto m = std::make_shared<Method>();
        m->from_unit = unit;
        m->to_unit = to;
        m->per_unit = conv.multiplier;
        MethodTerm term;
        term.label = to;
        term.per_unit = conv.multiplier;
        term.steps = conv.steps;
        m->terms.push_back(std::move(term));
        out.method = m;
      }
    }
    remember(ck, out);
    return out;
  }

  // Methods are cached by (kind, key, unit, region, year), as one string.
  using MethodKey = std::string;
  static MethodKey method_key(std::string_view kind, std::string_view key, std::string_view unit,
                              std::string_view region, int year) {
    MethodKey k;
    k.reserve(kind.size() + key.size() + unit.size() + region.size() + 16);
    for (std::string_view part : {kind, key, unit, region}) {
      k += part;
      k += '\0';
    }
    k += std::to_string(year);
    return k;
  }
  void remember(const MethodKey& key, const MethodResult& m) {
    methods_.emplace(key, m);
    if (m.method) store_->methods.push_back(m.method);
  }

  // A fixed per-unit method (no factor), cached like the others.
  MethodResult fixed_method(std::string_view kind, std::string_view from, std::string_view to,
                            double per_unit, std::string_view note) {
    auto ck = method_key("fixed:" + std::string(kind), from, to, "", 0);
    auto it = methods_.find(ck);
    if (it != methods_.end()) return it->second;
    auto m = std::make_shared<Method>();
    m->from_unit = from;
    m->to_unit = to;
    m->per_unit = per_unit;
    m->terms.push_back(MethodTerm{std::string(to), per_unit, {}, {}, std::string(note)});
    MethodResult out;
    out.method = m;
    remember(ck, out);
    return out;
  }

  // ---- accumulation ------------------------------------------------------
  // Accumulators are found by interned (id, year, site, category): millions of
  // records each add to several, so the lookup must not compare strings.
  struct FastKey {
    uint32_t id;
    int32_t year;
    uint32_t site;
    uint32_t category;
    bool operator==(const FastKey&) const = default;
  };
  struct FastKeyHash {
    size_t operator()(const FastKey& k) const noexcept {
      uint64_t h = (static_cast<uint64_t>(k.id) << 48) ^
                   (static_cast<uint64_t>(static_cast<uint32_t>(k.year)) << 32) ^ k.site;
      h ^= static_cast<uint64_t>(k.category) * 0x9E3779B97F4A7C15ull;
      h ^= h >> 33;
      h *= 0xff51afd7ed558ccdull;
      h ^= h >> 33;
      return static_cast<size_t>(h);
    }
  };
  uint32_t intern_id(const char* id) {
    auto it = id_aliases_.find(id);
    if (it != id_aliases_.end()) return it->second;
    uint32_t index = 0;
    while (index < id_names_.size() && id_names_[index] != id) ++index;
    if (index == id_names_.size()) id_names_.emplace_back(id);
    id_aliases_.emplace(id, index);
    return index;
  }
  static uint32_t intern(std::unordered_map<std::string, uint32_t>* index,
                         std::vector<std::string>* names, const std::string& s) {
    auto [it, inserted] = index->try_emplace(s, static_cast<uint32_t>(names->size()));
    if (inserted) names->push_back(s);
    return it->second;
  }
  uint32_t category_idx(const std::string& category) {
    return category.empty() ? 0 : intern(&category_index_, &category_names_, category);
  }
  // The same for a thread that plans groups (Lane): its own cache first, the
  // shared names under shared_mutex_ on a miss.
  uint32_t intern_id(const char* id, Lane* lane) {
    if (!lane) return intern_id(id);
    auto& slot = lane->ids[(reinterpret_cast<uintptr_t>(id) >> 3) % lane->ids.size()];
    if (slot.first == id) return slot.second;
    std::lock_guard<std::mutex> lock(shared_mutex_);
    slot = {id, intern_id(id)};
    return slot.second;
  }
  uint32_t category_idx(const std::string& category, Lane* lane) {
    if (!lane || category.empty()) return category_idx(category);
    if (auto it = lane->categories.find(category); it != lane->categories.end()) return it->second;
    std::lock_guard<std::mutex> lock(shared_mutex_);
    return lane->categories.emplace(category, category_idx(category)).first->second;
  }
  // Accumulators of the package's sites are in two shards by site index, so
  // that two threads planning the two halves of the sites each insert into
  // their own (sites not of the package: the second).
  auto& accs_of(uint32_t site) { return fast_accs_[site < acc_split_ ? 0 : 1]; }
  Acc& acc(const char* id, int year, const std::string& site, const std::string& category) {
    FastKey k{intern_id(id), year, intern(&site_index_, &site_names_, site),
              category_idx(category)};
    return accs_of(k.site).at(k);
  }
  // Sites of the package are interned in package order up front: index = position.
  // A site's accumulators of the current year are remembered in a short list
  // (a record feeds a handful), which spares most hash look-ups. `lane`: the
  // thread planning this site's groups, if any.
  Acc& acc(const char* id, int year, const Site& site, const std::string& category,
           Lane* lane = nullptr) {
    const auto site_index = static_cast<uint32_t>(&site - pkg_.sites.data());
    const uint32_t id_index = intern_id(id, lane);
    const uint32_t category_index = category_idx(category, lane);
    if (!lane) site_cache_for(year);  // lanes start after records() set it
    auto& cache = site_cache_[site_index];
    for (const auto& e : cache) {
      if (e.id == id_index && e.category == category_index) return *e.acc;
    }
    Acc& a = accs_of(site_index).at(FastKey{id_index, year, site_index, category_index});
    cache.push_back(SiteCacheEntry{id_index, category_index, &a});
    return a;
  }
  void site_cache_for(int year) {
    if (year == cache_year_) return;
    for (auto& c : site_cache_) c.clear();
    site_cache_.resize(pkg_.sites.size());
    cache_year_ = year;
  }
  void add_child(const char* id, int year, const std::string& site, const std::string& category,
                 ContributionPtr child) {
    Acc& a = acc(id, year, site, category);
    a.value += child->value;
    a.children.push_back(std::move(child));
  }
  void touch(const char* id, int year, const std::string& site, const std::string& category) {
    acc(id, year, site, category);
  }
  void mark_incomplete(const char* id, int year, const std::string& site,
                       const std::string& category) {
    acc(id, year, site, category).incomplete = true;
  }

  // ---- records, by group -------------------------------------------------
  // Records of one site with the same activity, unit and scope 3 category
  // become figures the same way in a year: the methods are resolved and the
  // accumulators found once per group (when its first record comes), then
  // each record only adds quantity x per-unit to them, in package order, and
  // joins the group's RecordSet, which the figures' lineage shares.
  struct Target {
    Acc* acc;
    double per_unit;
  };
  // One application of a method to the group's records (several figures).
  struct Step {
    explicit Step(std::pmr::memory_resource* arena) : targets(arena) {}
    std::pmr::vector<Target> targets;
    // Set when the method failed: the diagnostic each record gets.
    std::function<void(const ActivityRecord&, const Site&)> on_record;
  };
  struct Group {
    explicit Group(std::pmr::memory_resource* arena) : steps(arena) {}
    std::string_view activity;
    std::string_view unit;
    int category = 0;
    RecordSet* set = nullptr;
    std::pmr::vector<Step> steps;
    SiteGrid* grid = nullptr;  // grid electricity: MWh per record unit go here
    double grid_per_unit = 0.0;
  };

  RecordSet* new_record_set(int year) {
    RecordSet& set = store_->record_sets.emplace_back();
    set.year = year;
    set.package = &pkg_.activities.segments();
    return &set;
  }

  // Per site: up to two addresses of site id text known to name it. One
  // table per thread that calls site_of().
  using SiteIdSeen = std::vector<std::array<std::string_view, 2>>;

  // The Site of a record: the reader's index when it names the same site.
  const Site* site_of(const ActivityRecord& r, SiteIdSeen& site_id_seen) const {
    if (r.site_index < pkg_.sites.size()) {
      // The reader keeps a site's id once per thread: an address already
      // checked against the site needs no compare of the text.
      auto& seen = site_id_seen[r.site_index];
      auto same = [&r](std::string_view v) {
        return v.data() == r.site_id.data() && v.size() == r.site_id.size();
      };
      if (!r.site_id.empty() && (same(seen[0]) || same(seen[1]))) {
        return &pkg_.sites[r.site_index];
      }
      if (pkg_.sites[r.site_index].site_id == r.site_id) {
        seen[seen[0].empty() ? 0 : 1] = r.site_id;
        return &pkg_.sites[r.site_index];
      }
    }
    auto sit = sites_.find(r.site_id);
    return sit == sites_.end() ? nullptr : sit->second;
  }

  // Whether the package has enough records for calc's per-site work (planning,
  // the market-based split, finalizing) to be split between two threads.
  bool big_package() const { return pkg_.activities.size() >= parallel_min_records_; }

  // Runs `first` on this thread and, when `parallel`, `second` on another
  // (on this one too when no thread is to be had); rethrows what either
  // threw once both are done.
  template <typename First, typename Second>
  static void run_two(bool parallel, First&& first, Second&& second) {
    if (!parallel) {
      first();
      second();
      return;
    }
    std::exception_ptr second_error;
    std::thread other;
    try {
      other = std::thread([&] {
        try {
          second();
        } catch (...) {
          second_error = std::current_exception();
        }
      });
    } catch (const std::system_error&) {
      second();
    }
    std::exception_ptr first_error;
    try {
      first();
    } catch (...) {
      first_error = std::current_exception();
    }
    if (other.joinable()) other.join();  // always, before anything is rethrown
    if (first_error) std::rethrow_exception(first_error);
    if (second_error) std::rethrow_exception(second_error);
  }

  // What a record is, as far as grouping goes: (activity, unit, scope 3 category).
  struct KindKey {
    std::string_view activity;
    std::string_view unit;
    int category;
    bool operator==(const KindKey&) const = default;
  };
  struct KindKeyHash {
    size_t operator()(const KindKey& k) const noexcept {
      return std::hash<std::string_view>{}(k.activity) * 31 +
             std::hash<std::string_view>{}(k.unit) + static_cast<size_t>(k.category);
    }
  };

  // The records of a year, by group. Visiting them site by site keeps each
  // site's groups and accumulators in cache (records of a site are spread
  // over the file); within a site they stay in package order, so every sum
  // adds in package order. Diagnostics are replayed in package order after.
  void records(int year) {
    const size_t n_sites = pkg_.sites.size();
    const ActivitySegments& acts = pkg_.activities.segments();
    std::unordered_map<KindKey, uint32_t, KindKeyHash> kinds;
    std::mutex kinds_mutex;  // the two threads that place entries share `kinds`
    // Records keep their activity and unit as views of text the reader kept
    // once (per reader thread): a cache by address spares hashing two
    // strings per record. A miss (or text kept per record) takes the map.
    // Kind numbers only tell kinds apart: which thread numbers a kind first
    // does not matter.
    struct KindCacheEntry {
      std::string_view activity;
      std::string_view unit;
      int category = -1;
      uint32_t kind = 0;
    };
    using KindCache = std::array<KindCacheEntry, 64>;
    auto kind_of = [&](const ActivityRecord& r, KindCache& kind_cache) {
      const auto h = (reinterpret_cast<uintptr_t>(r.activity.data()) >> 3) * 31 +
                     (reinterpret_cast<uintptr_t>(r.unit.data()) >> 3) +
                     static_cast<uintptr_t>(r.scope3_category);
      KindCacheEntry& c = kind_cache[(h ^ (h >> 7)) & 63];
      // Same address and length: the same text.
      if (c.activity.data() == r.activity.data() && c.activity.size() == r.activity.size() &&
          c.unit.data() == r.unit.data() && c.unit.size() == r.unit.size() &&
          c.category == r.scope3_category && c.category >= 0) {
        return c.kind;
      }
      uint32_t kind = 0;
      {
        std::lock_guard<std::mutex> lock(kinds_mutex);
        kind = kinds
                   .try_emplace(KindKey{r.activity, r.unit, r.scope3_category},
                                static_cast<uint32_t>(kinds.size()))
                   .first->second;
      }
      c = KindCacheEntry{r.activity, r.unit, r.scope3_category, kind};
      return kind;
    };
    // Calls f(index, record, site, share) for each record of indices
    // [from, to) that counts in `year`, in package order.
    auto visit = [&](size_t from, size_t to, SiteIdSeen& seen, auto&& f) {
      for (size_t p = 0; p < acts.part_count(); ++p) {
        const auto part = acts.part(p);
        const size_t start = acts.part_start(p);
        const size_t lo = std::max(from, start), hi = std::min(to, start + part.size());
        for (size_t i = lo; i < hi; ++i) {
          const ActivityRecord& r = part[i - start];
          const double share = year_share(r, year);
          if (share <= 0.0) continue;
          const Site* s = site_of(r, seen);
          if (!s) continue;  // the package validator rejects such rows
          f(static_cast<uint32_t>(i), r, static_cast<uint32_t>(s - pkg_.sites.data()), share);
        }
      }
    };
    // The year's entries, site by site and in package order within a site: a
    // counting sort that writes each entry once, into the array the lineage
    // keeps (a second read of the records costs less than writing a copy).
    // Big packages are cut in two halves by index, each counted and placed by
    // its own thread: a site's entries from the first half come first.
    const size_t n = acts.size();
    const bool two = n >= parallel_min_records_ && n >= 2;
    const size_t half = two ? n / 2 : n;
    struct Half {
      size_t from = 0, to = 0;
      std::vector<uint32_t> count;  // then: where the next entry of a site goes
      SiteIdSeen seen;
      KindCache kind_cache{};
    };
    std::array<Half, 2> halves;
    halves[0].from = 0;
    halves[0].to = half;
    halves[1].from = half;
    halves[1].to = n;
    for (Half& h : halves) {
      h.count.assign(n_sites, 0);
      h.seen.assign(n_sites, {});
    }
    auto count = [&](Half& h) {
      visit(h.from, h.to, h.seen,
            [&](uint32_t, const ActivityRecord&, uint32_t site, double) { ++h.count[site]; });
    };
    run_two(
        two, [&] { count(halves[0]); }, [&] { count(halves[1]); });
    std::vector<uint32_t> per_site(n_sites + 1, 0);
    for (size_t k = 0; k < n_sites; ++k) {
      const uint32_t a = halves[0].count[k], b = halves[1].count[k];
      per_site[k + 1] = per_site[k] + a + b;
      halves[0].count[k] = per_site[k];
      halves[1].count[k] = per_site[k] + a;
    }
    std::vector<RecordEntry> by_site(per_site[n_sites]);
    auto place = [&](Half& h) {
      visit(h.from, h.to, h.seen,
            [&](uint32_t index, const ActivityRecord& r, uint32_t site, double share) {
              by_site[h.count[site]++] =
                  RecordEntry{index, kind_of(r, h.kind_cache), r.quantity.to_double() * share};
            });
    };
    run_two(
        two, [&] { place(halves[0]); }, [&] { place(halves[1]); });
    // What each kind is: plan() reads it here, not from the group's first
    // record (the record is only kept for diagnostics; reading it would be a
    // cache miss per group, 350,000 at W2).
    std::vector<KindKey> kind_keys(kinds.size());
    for (const auto& [key, kind] : kinds) kind_keys[kind] = key;
    // 1. Each site's groups, in the order their first records come, and how
    //    each group's records become figures (plan()). A group's RecordSet
    //    is the range its entries will take once the site's entries are
    //    regrouped. A site's groups touch only its own accumulators (in its
    //    shard of the table), grid sums and entries, so a big package plans
    //    the two halves of its sites on two threads (lanes); methods, names
    //    and diagnostics are each lane's own or shared under shared_mutex_.
    struct KindGroup {
      uint32_t kind;
      Group* group;
      uint32_t first;  // the entry plan() saw (its diagnostics came from there)
      uint32_t begin;  // where the group's entries go in by_site
      uint32_t count;  // how many
    };
    const bool lanes = big_package() && n_sites >= 2;
    const size_t lane_split = lanes ? acc_split_ : n_sites;
    std::array<std::vector<KindGroup>, 2> lane_groups;
    std::vector<uint32_t> groups_of_site(n_sites + 1, 0);  // where a site's groups begin
    auto find_groups = [&](size_t from, size_t to, std::vector<KindGroup>* out) {
      std::vector<std::pair<uint32_t, uint32_t>> kind_counts;  // of a site: kind, records
      for (size_t site = from; site < to; ++site) {
        kind_counts.clear();
        for (uint32_t e = per_site[site]; e < per_site[site + 1]; ++e) {
          auto it = std::find_if(kind_counts.begin(), kind_counts.end(),
                                 [&](const auto& kc) { return kc.first == by_site[e].kind; });
          if (it == kind_counts.end()) {
            kind_counts.emplace_back(by_site[e].kind, 1);
          } else {
            ++it->second;
          }
        }
        // In first-record order, which is kind_counts' order.
        uint32_t e = per_site[site];
        uint32_t begin = per_site[site];
        for (const auto& [kind, count] : kind_counts) {
          while (by_site[e].kind != kind) ++e;
          out->push_back(KindGroup{kind, nullptr, e, begin, count});
          begin += count;
        }
        groups_of_site[site + 1] = static_cast<uint32_t>(out->size());  // within the lane
      }
    };
    run_two(
        lanes, [&] { find_groups(0, lane_split, &lane_groups[0]); },
        [&] { find_groups(lane_split, n_sites, &lane_groups[1]); });
    std::vector<KindGroup> groups = std::move(lane_groups[0]);  // site by site
    const auto first_lane_groups = static_cast<uint32_t>(groups.size());
    groups.insert(groups.end(), lane_groups[1].begin(), lane_groups[1].end());
    for (size_t site = lane_split; site < n_sites; ++site) {
      groups_of_site[site + 1] += first_lane_groups;
    }
    std::vector<RecordSet*> sets(groups.size());
    for (size_t k = 0; k < groups.size(); ++k) {
      sets[k] = new_record_set(year);
      sets[k]->entries = by_site.data() + groups[k].begin;
      sets[k]->count = groups[k].count;
    }
    auto plan_sites = [&](Lane& lane, size_t from, size_t to) {
      for (size_t site = from; site < to; ++site) {
        const Site& s = pkg_.sites[site];
        for (uint32_t k = groups_of_site[site]; k < groups_of_site[site + 1]; ++k) {
          KindGroup& kg = groups[k];
          kg.group = &lane.groups.emplace_back(&lane.arena);
          kg.group->set = sets[k];
          plan(lane, *kg.group, kind_keys[kg.kind], acts[by_site[kg.first].record], s, year);
        }
      }
    };
    site_cache_for(year);
    run_two(
        lanes, [&] { plan_sites(lanes_[0], 0, lane_split); },
        [&] { plan_sites(lanes_[1], lane_split, n_sites); });
    // The second lane's diagnostics after the first's: replay_later() puts
    // them in record order (a record's all come from one lane, in order).
    auto& later = lanes_[0].later;
    for (auto& l : lanes_[1].later) later.push_back(std::move(l));
    lanes_[1].later.clear();

    // 2. Add the records. A site's records touch only its own groups,
    //    accumulators, grid sum and entries, so the sites are split between
    //    two threads; every sum still adds its records in package order. Then
    //    the site's entries are regrouped, each group's in package order.
    //    Each thread keeps its diagnostics; replay_later() sorts them by record.
    auto add_sites = [&](size_t from, size_t to, std::vector<Later>* diagnostics) {
      std::vector<RecordEntry> site_entries;
      std::vector<uint32_t> next;  // of the site's groups: where its next entry goes
      for (size_t site = from; site < to; ++site) {
        const Site& s = pkg_.sites[site];
        const KindGroup* begin = groups.data() + groups_of_site[site];
        const KindGroup* end = groups.data() + groups_of_site[site + 1];
        site_entries.assign(by_site.begin() + per_site[site], by_site.begin() + per_site[site + 1]);
        next.clear();
        for (const KindGroup* kg = begin; kg != end; ++kg) next.push_back(kg->begin);
        uint32_t e = per_site[site];
        for (const RecordEntry& entry : site_entries) {
          const KindGroup* kg = begin;
          while (kg != end && kg->kind != entry.kind) ++kg;
          Group* g = kg->group;
          const bool first = e++ == kg->first;
          const double q = entry.quantity;
          for (const Step& st : g->steps) {
            if (st.on_record) {
              if (!first) {
                const ActivityRecord& r = acts[entry.record];
                diagnostics->push_back(Later{&r, [&st, &r, &s] { st.on_record(r, s); }});
              }
              continue;
            }
            for (const Target& t : st.targets) t.acc->value += q * t.per_unit;
          }
          if (g->grid) g->grid->mwh += q * g->grid_per_unit;
          by_site[next[static_cast<size_t>(kg - begin)]++] = entry;
        }
      }
    };
    // Split by site where half the entries are done (everything on one
    // thread for a small year).
    const size_t total = by_site.size();
    const bool parallel = total >= parallel_min_records_ && n_sites >= 2;
    const auto half_done =
        std::lower_bound(per_site.begin(), per_site.end(), static_cast<uint32_t>(total / 2));
    const size_t split =
        parallel ? std::min(n_sites, static_cast<size_t>(half_done - per_site.begin())) : n_sites;
    std::vector<Later> second_later;
    run_two(
        parallel, [&] { add_sites(0, split, &later); },
        [&] { add_sites(split, n_sites, &second_later); });
    for (auto& l : second_later) later.push_back(std::move(l));
    store_->entries.push_back(std::move(by_site));  // the buffer the sets view stays put
    replay_later();
  }

  // Diagnostics found while grouping, keyed by the record they are about,
  // reported in package order (as reading the records in order would).
  struct Later {
    const ActivityRecord* record;
    std::function<void()> report;
  };
  void later(Lane& lane, const ActivityRecord& r, std::function<void()> report) {
    lane.later.push_back(Later{&r, std::move(report)});
  }
  void replay_later() {
    // Package order is index order (records of a table read in parts lie in
    // several segments, so addresses do not tell it).
    std::vector<Later>& later = lanes_[0].later;
    std::vector<std::pair<size_t, size_t>> order;  // record index, position in `later`
    order.reserve(later.size());
    for (size_t k = 0; k < later.size(); ++k) {
      order.emplace_back(pkg_.activities.index_of(later[k].record), k);
    }
    std::sort(order.begin(), order.end());
    for (const auto& [index, k] : order) later[k].report();
    for (Lane& lane : lanes_) {
      lane.later.clear();
      lane.groups.clear();
      lane.arena.release();
    }
  }

  // What a thread that plans groups keeps to itself (records(), step 1):
  // the groups with their steps and targets (in its arena), the diagnostics
  // it found, and caches of the methods and names it looked up.
  struct Lane {
    std::pmr::monotonic_buffer_resource arena;
    std::deque<Group> groups;
    std::vector<Later> later;
    StringMap<MethodResult> methods;
    std::string key;  // of the method being looked up (in_lane())
    std::array<std::pair<const char*, uint32_t>, 64> ids{};  // by address
    std::unordered_map<std::string, uint32_t> categories;
  };

  // A method through the lane's cache, by the key in lane.key (no allocation
  // per look-up; a result is not copied either: both threads copying the
  // same shared_ptr made them wait on its count). A miss asks the shared
  // cache (which builds the method the first time) under shared_mutex_.
  template <typename Shared>
  const MethodResult& in_lane(Lane& lane, Shared&& shared) {
    if (auto it = lane.methods.find(std::string_view(lane.key)); it != lane.methods.end()) {
      return it->second;
    }
    MethodResult m;
    {
      std::lock_guard<std::mutex> lock(shared_mutex_);
      m = shared();
    }
    return lane.methods.emplace(lane.key, std::move(m)).first->second;
  }
  const MethodResult& emission_method(Lane& lane, std::string_view key, std::string_view unit,
                                      std::string_view region, int year) {
    key_into(&lane.key, {"emission", key, unit, region}, year);
    return in_lane(lane, [&] { return emission_method(key, unit, region, year); });
  }
  const MethodResult& convert_method(Lane& lane, std::string_view key, std::string_view unit,
                                     std::string_view to, std::string_view region, int year) {
    key_into(&lane.key, {"convert", to, key, unit, region}, year);
    return in_lane(lane, [&] { return convert_method(key, unit, to, region, year); });
  }
  const MethodResult& gas_method(Lane& lane, std::string_view gas, std::string_view unit,
                                 int year) {
    key_into(&lane.key, {"gas", gas, unit}, year);
    return in_lane(lane, [&] { return gas_method(gas, unit, year); });
  }
  const MethodResult& fixed_method(Lane& lane, std::string_view kind, std::string_view from,
                                   std::string_view to, double per_unit, std::string_view note) {
    key_into(&lane.key, {"fixed", kind, from, to}, 0);
    return in_lane(lane, [&] { return fixed_method(kind, from, to, per_unit, note); });
  }
  // `parts` and `year`, each part followed by a NUL byte (which no part holds).
  static void key_into(std::string* out, std::initializer_list<std::string_view> parts, int year) {
    out->clear();
    for (std::string_view part : parts) {
      out->append(part);
      out->push_back('\0');
    }
    char digits[16];
    const auto end = std::to_chars(digits, digits + sizeof digits, year).ptr;
    out->append(digits, end);
  }

  // Applies `mr` to the group: its records feed each of `ids` (site rows), or
  // get an error and make the figures incomplete. Returns the method (null on
  // failure). Reports what the group's first record `r` gets.
  const Method* apply(Lane& lane, Group& g, const MethodResult& mr, const ActivityRecord& r,
                      const Site& s, int year, std::initializer_list<const char*> ids,
                      const std::string& category = {}) {
    Step st(&lane.arena);
    const char* metric = *ids.begin();
    if (!mr.method) {
      later(lane, r, [this, mr, &r, &s, metric, year] { fail(mr, r, s, metric, year); });
      st.on_record = [this, mr, metric, year](const ActivityRecord& rec, const Site& site) {
        fail(mr, rec, site, metric, year);
      };
      for (const char* id : ids) acc(id, year, s, category, &lane).incomplete = true;
      g.steps.push_back(std::move(st));
      return nullptr;
    }
    const Method* m = mr.method.get();
    if (has_fallback(*m)) {
      later(lane, r, [this, m, &r, &s, metric] { note_fallbacks(*m, &r, s.site_id, metric); });
    }
    for (const char* id : ids) {
      Acc& a = acc(id, year, s, category, &lane);
      a.leaves.add(LeafRun{g.set, m, nullptr, m->per_unit});
      st.targets.push_back(Target{&a, m->per_unit});
    }
    g.steps.push_back(std::move(st));
    return m;
  }

  // Scope 1 per record plus its split by gas.
  void scope1(Lane& lane, Group& g, const MethodResult& mr, const ActivityRecord& r, const Site& s,
              int year) {
    const Method* m = apply(lane, g, mr, r, s, year, {"ghg.scope1"});
    if (!m) {
      std::lock_guard<std::mutex> lock(shared_mutex_);
      incomplete_all_.insert({"ghg.scope1.gas", year});
      return;
    }
    // Per gas, in gas name order (a few terms: a map's nodes were mallocs
    // that two planning threads waited on each other for).
    std::vector<std::pair<std::string_view, double>,
                std::pmr::polymorphic_allocator<std::pair<std::string_view, double>>>
        by_gas(&lane.arena);
    for (const auto& t : m->terms) {
      const std::string_view gas = std::string_view(t.label).substr(0, t.label.find(' '));
      auto it = std::lower_bound(by_gas.begin(), by_gas.end(), gas,
                                 [](const auto& e, std::string_view g) { return e.first < g; });
      if (it == by_gas.end() || it->first != gas) it = by_gas.emplace(it, gas, 0.0);
      it->second += t.per_unit;
    }
    Step st(&lane.arena);
    for (const auto& [gas, per_unit] : by_gas) {
      Acc& a = acc("ghg.scope1.gas", year, s, std::string(gas), &lane);
      a.leaves.add(LeafRun{g.set, m, nullptr, per_unit});
      st.targets.push_back(Target{&a, per_unit});
    }
    g.steps.push_back(std::move(st));
  }

  // Grid electricity also feeds the site's market-based split (in or outside the boundary).
  size_t site_index(const Site& s) const { return static_cast<size_t>(&s - pkg_.sites.data()); }

  void join_grid(Group& g, SiteGrid* grid, const Method* to_mwh) {
    g.grid = grid;
    g.grid_per_unit = to_mwh->per_unit;
    grid->runs.add(LeafRun{g.set, to_mwh, nullptr, to_mwh->per_unit});
  }

  // How the records of `g` (of kind `k`; `r` is the first, for diagnostics)
  // become figures: the spec's rules per activity.
  void plan(Lane& lane, Group& g, const KindKey& k, const ActivityRecord& r, const Site& s,
            int year) {
    std::string_view act = k.activity;
    const std::string& region = s.grid_region;
    auto starts = [&](std::string_view p) { return std::string_view(act).starts_with(p); };

    if (starts("scope3.")) {
      scope3(lane, g, k, r, s, year);
      return;
    }
    if (!s.in_boundary) {
      // Spec (sites.csv): outside the boundary only grid electricity and
      // purchased heat count, as scope 3 category 8.
      if (act == "electricity.grid") {
        const MethodResult& mr = convert_method(lane, act, k.unit, "MWh", region, year);
        if (mr.method) join_grid(g, &oob_grid_.at(site_index(s)), mr.method.get());
      } else if (act == "heat.purchased") {
        apply(lane, g, emission_method(lane, act, k.unit, region, year), r, s, year,
              {"ghg.scope3.category"}, "8");
      }
      return;
    }
    if (starts("fuel.")) {
      scope1(lane, g, emission_method(lane, act, k.unit, region, year), r, s, year);
      apply(lane, g, convert_method(lane, act, k.unit, "MWh", region, year), r, s, year,
            {"energy.direct", "energy.total"});
      const char* fuel_id = starts("fuel.gasoline")      ? "fuel.gasoline"
                            : starts("fuel.diesel")      ? "fuel.diesel"
                            : starts("fuel.natural_gas") ? "fuel.natural_gas"
                                                         : nullptr;
      if (fuel_id) {
        const char* unit = starts("fuel.natural_gas") ? "m3" : "L";
        apply(lane, g, convert_method(lane, act, k.unit, unit, region, year), r, s, year,
              {fuel_id});
      }
      return;
    }
    for (std::string_view prefix : {"refrigerant.", "fire_suppression.", "direct."}) {
      if (starts(prefix)) {
        scope1(lane, g, gas_method(lane, act.substr(prefix.size()), k.unit, year), r, s, year);
        return;
      }
    }
    if (act == "electricity.grid") {
      apply(lane, g, emission_method(lane, act, k.unit, region, year), r, s, year,
            {"ghg.scope2.location"});
      const MethodResult& mr = convert_method(lane, act, k.unit, "MWh", region, year);
      if (const Method* m =
              apply(lane, g, mr, r, s, year,
                    {"energy.electricity", "energy.indirect", "energy.total", "_facility"})) {
        join_grid(g, &grid_.at(site_index(s)), m);
      } else {
        acc("ghg.scope2.market", year, s, {}, &lane).incomplete = true;
      }
      return;
    }
    if (act == "electricity.onsite_renewable") {
      apply(lane, g, convert_method(lane, act, k.unit, "MWh", region, year), r, s, year,
            {"energy.electricity", "energy.indirect", "energy.total", "renewable.onsite",
             "_facility"});
      return;
    }
    if (act == "heat.purchased") {
      apply(lane, g, emission_method(lane, act, k.unit, region, year), r, s, year,
            {"ghg.scope2.location", "ghg.scope2.market"});
      apply(lane, g, convert_method(lane, act, k.unit, "MWh", region, year), r, s, year,
            {"energy.other_indirect", "energy.indirect", "energy.total"});
      return;
    }
    if (act == "it_energy") {
      apply(lane, g, convert_method(lane, act, k.unit, "MWh", region, year), r, s, year, {"_it"});
      return;
    }
    if (act == "water.withdrawal") {
      // Spec (vocabulary): for water, 1 m3 = 1 t by the contract's definition.
      MethodResult mr;
      if (k.unit == "m3") {
        mr = fixed_method(lane, "water", "m3", "t", 1.0, "1 m3 = 1 t (contract)");
      } else {
        mr = convert_method(lane, act, k.unit, "t", region, year);
      }
      apply(lane, g, mr, r, s, year, {"water.withdrawal"});
      return;
    }
    static const std::map<std::string, const char*, std::less<>> kWaste = {
        {"waste.nonhazardous", "waste.nonhazardous"},
        {"waste.hazardous", "waste.hazardous"},
        {"ewaste.reused", "waste.ewaste_reused"},
        {"ewaste.recycled", "waste.ewaste_recycled"}};
    if (auto w = kWaste.find(act); w != kWaste.end()) {
      apply(lane, g, convert_method(lane, act, k.unit, "t", region, year), r, s, year, {w->second});
      return;
    }
  }

  void scope3(Lane& lane, Group& g, const KindKey& k, const ActivityRecord& r, const Site& s,
              int year) {
    const std::string cat = std::to_string(k.category);
    if (k.category < 1 || k.category > 15) {
      auto report = [this, cat, year](const ActivityRecord& rec, const Site& site) {
        diag(Severity::kError, "scope3_category_missing",
             "record " + std::string(rec.record_id) + ": scope3_category must be 1..15", &rec,
             site.site_id, "", "ghg.scope3.category");
        mark_incomplete("ghg.scope3.category", year, site.site_id, cat);
      };
      later(lane, r, [report, &r, &s] { report(r, s); });
      Step st(&lane.arena);
      st.on_record = report;
      g.steps.push_back(std::move(st));
      return;
    }
    MethodResult mr;
    if (k.activity == "scope3.spend") {
      mr = emission_method(lane, "scope3.spend.c" + cat, k.unit, s.grid_region, year);
    } else if (k.activity == "scope3.supplier_specific") {
      auto from = find_unit(k.unit);
      auto f = from ? conversion_factor(*from, *find_unit("tCO2e")) : std::nullopt;
      if (!f) {
        mr = method_error("unit_mismatch",
                          "unit \"" + std::string(k.unit) + "\" is not tCO2e or kgCO2e");
      } else {
        mr = fixed_method(lane, "supplier", k.unit, "tCO2e", *f, "reported by the supplier");
      }
    } else {
      mr = emission_method(lane, k.activity, k.unit, s.grid_region, year);
    }
    apply(lane, g, mr, r, s, year, {"ghg.scope3.category"}, cat);
  }

  // ---- PUE from meters (spec/metrics.md, PUE) ---------------------------
  static bool pue_site(const Site& s) {
    return s.in_boundary &&
           (s.kind == SiteKind::kDataCenter || s.kind == SiteKind::kLeasedDataCenter);
  }
  static int32_t month_of(Date d) { return d.year() * 12 + d.month() - 1; }

  // The months (year*12 + month-1) of each data centre with billed electricity
  // (electricity.grid, electricity.onsite_renewable) or it_energy records: a
  // record counts in every month its period (inclusive) has days in, as
  // apportioning it by days would give that month a share.
  void recorded_months() {
    for (const auto& r : pkg_.activities) {
      const bool facility =
          r.activity == "electricity.grid" || r.activity == "electricity.onsite_renewable";
      if (!facility && r.activity != "it_energy") continue;
      auto sit = sites_.find(r.site_id);
      if (sit == sites_.end() || !pue_site(*sit->second) || r.end < r.start) continue;
      auto& months = (facility ? billed_facility_ : recorded_it_)[std::string(r.site_id)];
      for (int32_t m = month_of(r.start), last = month_of(r.end); m <= last; ++m) {
        months.insert(m);
      }
    }
  }

  static bool has_month(const std::map<std::string, std::set<int32_t>, std::less<>>& by_site,
                        const std::string& site, int32_t month) {
    auto it = by_site.find(site);
    return it != by_site.end() && it->second.count(month) > 0;
  }

  // A month's metered energy as a lineage node: the roll-up row and its meters.
  ContributionPtr meter_node(const MeteredEnergy& e, std::string note) const {
    auto c = new_node();
    c->kind = Contribution::Kind::kGroup;
    c->label = e.rollup;
    c->value = e.kwh / 1000.0;  // MWh
    c->meters = e.meters;
    c->note = std::move(note);
    return c;
  }

  // Facility and IT energy of the year's months without records, from meters
  // (records first: a month with any billed electricity / it_energy record
  // takes no metered energy of that role).
  void metered_energy(int year) {
    for (const MeteredSiteMonth& m : *metered_) {
      if (m.month / 12 != year) continue;
      auto sit = sites_.find(m.site);
      if (sit == sites_.end() || !pue_site(*sit->second)) continue;
      const std::string month = format_month(m.month);
      if (m.facility && !has_month(billed_facility_, m.site, m.month)) {
        add_child("_facility", year, m.site, "",
                  meter_node(*m.facility, "no billed electricity in " + month));
      }
      if (m.it && !has_month(recorded_it_, m.site, m.month)) {
        add_child("_it", year, m.site, "", meter_node(*m.it, "no it_energy records in " + month));
      }
    }
  }

  // ---- market-based scope 2 (spec: instruments.csv, steps 1-5) -----------
  // A site's grid records as leaves of its market-based figure: each its
  // share by MWh of the split, added in package order.
  void add_market_leaves(Acc& a, const SiteGrid& grid, const MarketSplit* split) {
    LeafList market;
    for (LeafRun run : grid.runs.runs()) {
      run.market = split;
      market.add(run);
    }
    market.for_each([&](const RecordLeaf& l) { a.value += l.value; });
    a.leaves.append(market);
  }

  void market(int year) {
    struct Slot {
      const Instrument* in;
      double left;
    };
    std::vector<Slot> slots;
    for (const auto& in : pkg_.instruments) {
      double v = year_volume(in, year);
      if (v > 0 || (in.start.days <= last_day_of_year(year).days &&
                    in.end.days >= first_day_of_year(year).days)) {
        slots.push_back(Slot{&in, v});
      }
    }
    if (!slots.empty()) touch("renewable.purchased", year, "", "");
    std::sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) {
      int c = a.in->emission_factor.compare(b.in->emission_factor);
      if (c != 0) return c < 0;
      return a.in->instrument_id < b.in->instrument_id;
    });

    // By site index: uncovered MWh and the split of each site with grid electricity.
    const size_t n_sites = pkg_.sites.size();
    std::vector<double> remaining(n_sites, 0.0), oob_remaining(n_sites, 0.0);
    std::vector<std::shared_ptr<MarketSplit>> splits(n_sites), oob_splits(n_sites);
    auto new_split = [&](uint32_t site, double mwh) {
      auto sp = std::make_shared<MarketSplit>();
      sp->site_id = pkg_.sites[site].site_id;
      sp->year = year;
      sp->grid_mwh = mwh;
      return sp;
    };
    std::vector<double>& grid_of_year = grid_by_year_[year];
    for (uint32_t site : site_order_) {
      if (grid_.used[site]) {
        const double mwh = grid_.by_site[site].mwh;
        remaining[site] = mwh;
        splits[site] = new_split(site, mwh);
        grid_of_year.push_back(mwh);
      }
      if (oob_grid_.used[site]) {
        oob_remaining[site] = oob_grid_.by_site[site].mwh;
        oob_splits[site] = new_split(site, oob_grid_.by_site[site].mwh);
      }
    }
    auto allocate = [](Slot& sl, const std::string& site, double mwh, const std::string& step) {
      InstrumentAllocation al{sl.in, site, step, mwh, sl.in->emission_factor.to_double()};
      sl.left -= mwh;
      return al;
    };

    // Step 2: instruments bound to a site cover it first (lowest EF first).
    std::vector<bool> oob_bound(slots.size(), false);
    for (size_t i = 0; i < slots.size(); ++i) {
      Slot& sl = slots[i];
      if (sl.in->site_id.empty()) continue;
      auto sit = sites_.find(sl.in->site_id);
      if (sit == sites_.end()) continue;
      const Site& s = *sit->second;
      if (!may_cover(sl.in->grid_region, s.grid_region)) continue;
      const size_t site = site_index(s);
      if (!s.in_boundary) {
        oob_bound[i] = true;  // its leftover is unused, never pooled
        double& r = oob_remaining[site];
        if (!oob_grid_.used[site] || r <= 0 || sl.left <= 0) continue;
        double use = std::min(sl.left, r);
        auto al = allocate(sl, s.site_id, use, "site instrument (outside boundary)");
        r = (use == r) ? 0.0 : r - use;
        oob_splits[site]->bound.push_back(al);
        continue;
      }
      double& r = remaining[site];
      if (!grid_.used[site] || r <= 0 || sl.left <= 0) continue;
      double use = std::min(sl.left, r);
      auto al = allocate(sl, s.site_id, use, "site instrument");
      r = (use == r) ? 0.0 : r - use;
      splits[site]->bound.push_back(al);
    }

    // Step 3: pools, sub-national first, then per country; pro rata.
    std::set<std::string> markets;
    for (size_t i = 0; i < slots.size(); ++i) {
      if (!oob_bound[i]) markets.insert(slots[i].in->grid_region);
    }
    std::vector<std::string> pool_order;
    for (const auto& m : markets) {
      if (m.find('-') != std::string::npos) pool_order.push_back(m);
    }
    for (const auto& m : markets) {
      if (m.find('-') == std::string::npos) pool_order.push_back(m);
    }
    // The sites pools may cover, in site order (as `remaining`), with their
    // country: looked up once, not once per pool (dozens of pools, 50,000 sites).
    struct Candidate {
      const Site* site;
      double* rem;
      MarketSplit* split;
      std::string_view country;
    };
    std::vector<Candidate> pool_sites;
    for (uint32_t site : site_order_) {
      if (!grid_.used[site]) continue;
      const Site* s = &pkg_.sites[site];
      const std::string_view region = s->grid_region;
      pool_sites.push_back(
          Candidate{s, &remaining[site], splits[site].get(), region.substr(0, region.find('-'))});
    }
    for (const auto& pool : pool_order) {
      const bool national = pool.find('-') == std::string::npos;
      // The sites the pool may cover, in site order, found once per pool
      // rather than once per instrument (thousands of each).
      std::vector<Candidate> candidates;
      for (const Candidate& c : pool_sites) {
        if (national ? c.country == pool : c.site->grid_region == pool) candidates.push_back(c);
      }
      // The sites' parts are not stored allocation by allocation: each
      // eligible site keeps its uncovered MWh at the pool's start and the
      // pool its shares; MarketSplit::for_each_allocation replays them with
      // this arithmetic, in this order.
      std::vector<const Candidate*> eligible;
      auto cover = std::make_unique<PoolCover>();
      cover->step = "pool " + pool;
      for (size_t i = 0; i < slots.size(); ++i) {
        Slot& sl = slots[i];
        if (oob_bound[i] || sl.in->grid_region != pool || sl.left <= 0) continue;
        eligible.clear();
        double total = 0.0;
        for (const auto& c : candidates) {
          if (*c.rem <= 0) continue;
          eligible.push_back(&c);
          total += *c.rem;
        }
        if (eligible.empty()) continue;
        if (cover->shares.empty()) {
          for (const Candidate* c : eligible)
            c->split->pools.push_back(PoolPart{cover.get(), *c->rem});
        }
        const bool covers_all = sl.left >= total;
        const double use = covers_all ? total : sl.left;
        const double ef = sl.in->emission_factor.to_double();
        for (const Candidate* c : eligible) {
          double& rem = *c->rem;
          double part = covers_all ? rem : use * (rem / total);
          rem = covers_all ? 0.0 : rem - part;
        }
        cover->shares.push_back(PoolShare{sl.in, use, total, covers_all, ef});
        sl.left = covers_all ? sl.left - total : 0.0;
      }
      if (!cover->shares.empty()) store_->pools.push_back(std::move(cover));
    }

    // Step 4: what is left at the residual mix, else the grid factor. A
    // site's allocated emissions (its pools' shares replayed: 2.5 million at
    // W2) and its market-based leaves depend on its own split only, so a big
    // package works them out on two threads (by the accumulators' shards),
    // before and after the residual mix, which reports in site order.
    const bool parallel = big_package() && n_sites >= 2;
    const size_t split_at = parallel ? acc_split_ : n_sites;
    std::vector<double> allocated(n_sites, 0.0);
    auto allocated_of = [&](size_t from, size_t to) {
      for (size_t site = from; site < to; ++site) {
        if (grid_.used[site]) allocated[site] = splits[site]->allocated_emissions();
      }
    };
    run_two(
        parallel, [&] { allocated_of(0, split_at); }, [&] { allocated_of(split_at, n_sites); });
    std::vector<char> market_leaves(n_sites, 0);
    for (uint32_t index : site_order_) {
      if (!grid_.used[index]) continue;
      const std::shared_ptr<MarketSplit>& sp = splits[index];
      const Site& s = pkg_.sites[index];
      const std::string& site = s.site_id;
      sp->residual_mwh = remaining[index];
      double e = allocated[index];
      bool ok = true;
      if (sp->residual_mwh > 0) {
        MethodResult mr = emission_method("electricity.residual_mix", "MWh", s.grid_region, year);
        if (!mr.method) {
          mr = emission_method("electricity.grid", "MWh", s.grid_region, year);
          sp->residual_is_grid = true;
          if (mr.method && warned_residual_.insert({s.grid_region, year}).second) {
            diag(Severity::kWarning, "residual_mix_missing",
                 "no residual mix factor for region " + s.grid_region + " in " +
                     std::to_string(year) +
                     "; uncovered grid electricity uses the grid factor (electricity.grid)",
                 nullptr, "", s.grid_region, "ghg.scope2.market");
          }
        }
        if (!mr.method) {
          ok = false;
          diag(Severity::kError, "factor_missing",
               "no factor for key electricity.residual_mix or electricity.grid, quantity CO2e, "
               "region " +
                   s.grid_region + ", year " + std::to_string(year) + " (site " + site +
                   ", market-based scope 2)",
               nullptr, site, s.grid_region, "ghg.scope2.market");
          mark_incomplete("ghg.scope2.market", year, site, "");
        } else {
          note_fallbacks(*mr.method, nullptr, site, "ghg.scope2.market");
          sp->residual_method = mr.method;
          e += sp->residual_mwh * mr.method->per_unit;
        }
      }
      sp->emissions = e;
      // Kept even when incomplete: the instrument leaves of its cover are its allocations.
      store_->splits.push_back(sp);
      if (ok) market_leaves[index] = 1;
    }
    auto add_leaves = [&](Lane& lane, size_t from, size_t to) {
      for (size_t site = from; site < to; ++site) {
        if (!market_leaves[site]) continue;
        add_market_leaves(acc("ghg.scope2.market", year, pkg_.sites[site], {}, &lane),
                          grid_.by_site[site], splits[site].get());
      }
    };
    run_two(
        parallel, [&] { add_leaves(lanes_[0], 0, split_at); },
        [&] { add_leaves(lanes_[1], split_at, n_sites); });

    // Outside the boundary: instruments' cover at their factors, the rest at
    // the location-based grid factor, all to scope 3 category 8.
    for (uint32_t index : site_order_) {
      if (!oob_grid_.used[index]) continue;
      const std::shared_ptr<MarketSplit>& sp = oob_splits[index];
      const Site& s = pkg_.sites[index];
      const std::string& site = s.site_id;
      sp->residual_mwh = oob_remaining[index];
      double e = sp->allocated_emissions();
      bool ok = true;
      if (sp->residual_mwh > 0) {
        MethodResult mr = emission_method("electricity.grid", "MWh", s.grid_region, year);
        sp->residual_is_grid = true;
        if (!mr.method) {
          ok = false;
          oob_grid_.by_site[index].runs.for_each(
              [&](const RecordLeaf& l) { fail(mr, *l.record, s, "ghg.scope3.category", year); });
          mark_incomplete("ghg.scope3.category", year, site, "8");
        } else {
          note_fallbacks(*mr.method, nullptr, site, "ghg.scope3.category");
          sp->residual_method = mr.method;
          e += sp->residual_mwh * mr.method->per_unit;
        }
      }
      sp->emissions = e;
      if (!ok) continue;
      store_->splits.push_back(sp);
      add_market_leaves(acc("ghg.scope3.category", year, s, kCategory8), oob_grid_.by_site[index],
                        sp.get());
    }

    // Renewable purchased and coverage count in-boundary allocations only:
    // a site's accumulators add its allocations in the order they were made
    // and point at its split, whose allocations are their instrument leaves
    // (made on demand: cover_nodes()).
    for (uint32_t index : site_order_) {
      const std::shared_ptr<MarketSplit>& sp = splits[index];
      if (!sp || (sp->bound.empty() && sp->pools.empty())) continue;
      const Site& s = pkg_.sites[index];
      Acc& covered = acc("_scope2.covered", year, s, {});
      covered.cover = sp.get();
      Acc* renewable = nullptr;
      sp->for_each_allocation([&](const Instrument* in, double mwh, double, std::string_view) {
        if (in->renewable) {
          if (!renewable) {
            renewable = &acc("renewable.purchased", year, s, {});
            renewable->cover = sp.get();
            renewable->cover_renewable_only = true;
          }
          renewable->value += mwh;
        }
        covered.value += mwh;
      });
    }

    // Step 5: unused volume, by the instrument's market.
    for (const auto& sl : slots) {
      if (sl.left <= 0) continue;
      auto c = new_node();
      c->kind = Contribution::Kind::kInstrument;
      c->label = sl.in->instrument_id;
      c->instrument = sl.in;
      c->value = sl.left;
      c->note = "unused in " + std::to_string(year);
      add_child("instruments.unused", year, "", sl.in->grid_region, c);
      Diagnostic d;
      d.severity = Severity::kWarning;
      d.code = "instrument_unused";
      d.message = "instrument " + sl.in->instrument_id + " (" + sl.in->grid_region +
                  "): " + format_number(sl.left) + " MWh of " + std::to_string(year) +
                  " found no consumption it may cover";
      d.file = sl.in->source.file;
      d.line = sl.in->source.line;
      d.site = sl.in->site_id;
      d.region = sl.in->grid_region;
      d.metric = "instruments.unused";
      inv_.diagnostics.add(std::move(d));
    }
  }

  // ---- figures -----------------------------------------------------------
  // Units of the base aggregates (the catalog, data/metrics/catalog.toml, states the same).
  static std::string unit_of(const std::string& id) {
    if (id.starts_with("ghg.")) return "tCO2e";
    if (id.starts_with("energy.") || id.starts_with("renewable.") || id == "instruments.unused" ||
        id.starts_with("_")) {
      return "MWh";  // intermediates: grid electricity, instrument cover, facility and IT energy
    }
    if (id == "fuel.natural_gas") return "m3";
    if (id.starts_with("fuel.")) return "L";
    if (id.starts_with("pue.")) return "1";
    return "t";
  }

  // `at_end`: where the figure probably goes (finalize adds site rows in key
  // order, so the end of the map spares a search over string keys).
  Figure& figure(const std::string& id, int year, const std::string& site,
                 const std::string& category, bool at_end = false) {
    AccKey key{id, year, site, category};
    auto it = at_end ? figures_.try_emplace(figures_.end(), std::move(key))
                     : figures_.try_emplace(std::move(key)).first;
    Figure& f = it->second;
    if (f.id.empty()) {
      f.id = id;
      f.year = year;
      f.site = site;
      f.category = category;
      f.unit = unit_of(id);
      f.status = FigureStatus::kNotAvailable;
    }
    return f;
  }

  ContributionPtr group(std::string label, double value, double scale,
                        std::vector<ContributionPtr> children, std::string scale_note = {},
                        LeafList leaves = {}, const Acc* cover_of = nullptr) const {
    return group_in(node_arena_, std::move(label), value, scale, std::move(children),
                    std::move(scale_note), std::move(leaves), cover_of);
  }
  ContributionPtr group_in(const NodeArena& arena, std::string label, double value, double scale,
                           std::vector<ContributionPtr> children, std::string scale_note,
                           LeafList leaves, const Acc* cover_of) const {
    auto c = new_node_in(arena);
    c->kind = Contribution::Kind::kGroup;
    c->label = std::move(label);
    c->value = value;
    c->scale = scale;
    c->scale_note = std::move(scale_note);
    c->children = std::move(children);
    // Whether there are runs, not whether a run has records: that would read
    // each run's RecordSet, a cache miss per node (calc makes no empty sets).
    if (!leaves.runs().empty()) {
      c->leaves = std::move(leaves);
      c->store = store_;
    }
    if (cover_of && cover_of->cover) {
      c->cover = cover_of->cover;
      c->cover_renewable_only = cover_of->cover_renewable_only;
      c->store = store_;
    }
    return c;
  }

  void set_value(Figure& f, double v, ContributionPtr lineage, bool incomplete) {
    if (incomplete) {
      f.status = FigureStatus::kIncomplete;
      f.value.reset();
    } else {
      f.status = FigureStatus::kOk;
      f.value = v;
    }
    f.lineage = std::move(lineage);
  }

  const Figure* get(const std::string& id, int year, const std::string& category = {}) {
    auto it = figures_.find(AccKey{id, year, "", category});
    return it == figures_.end() ? nullptr : &it->second;
  }

  void derive_sum(const std::string& id, int year, const std::string& category,
                  std::vector<const Figure*> parts) {
    Figure& f = figure(id, year, "", category);
    bool any = false;
    bool incomplete = false;
    double v = 0.0;
    std::vector<ContributionPtr> children;
    for (const Figure* p : parts) {
      if (!p || p->status == FigureStatus::kNotAvailable) continue;
      any = true;
      if (p->status == FigureStatus::kIncomplete) incomplete = true;
      if (p->value) v += *p->value;
      if (p->lineage) children.push_back(p->lineage);
    }
    if (!any) return;
    std::string label = id + " " + std::to_string(year);
    if (!category.empty()) label += " [" + category + "]";
    set_value(f, v, group(label, v, 1.0, std::move(children)), incomplete);
  }

  void finalize(const std::set<int>& years) {
    // Leaf accumulators -> site rows, category rows and totals.
    struct Total {
      double value = 0.0;
      bool incomplete = false;
      std::vector<ContributionPtr> children;
      LeafList leaves;
    };
    // Accumulators in the order of (id, year, site, category) by name,
    // compared as ranks of the interned names (hundreds of thousands of them).
    auto ranks = [](const std::vector<std::string>& names) {
      std::vector<uint32_t> order(names.size());
      for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(),
                [&](uint32_t a, uint32_t b) { return names[a] < names[b]; });
      std::vector<uint32_t> rank(names.size());
      for (uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
      return rank;
    };
    const auto id_rank = ranks(id_names_), site_rank = ranks(site_names_),
               category_rank = ranks(category_names_);
    auto ranked = [&](const FastKey& k) {
      return std::make_tuple(id_rank[k.id], k.year, site_rank[k.site], category_rank[k.category]);
    };
    std::vector<std::pair<FastKey, Acc*>> sorted;
    sorted.reserve(fast_accs_[0].size() + fast_accs_[1].size());
    for (AccTable& shard : fast_accs_) {
      shard.for_each([&](const FastKey& k, Acc& a) { sorted.emplace_back(k, &a); });
    }
    // One 64-bit key per accumulator when the ranks and years fit its fields
    // (short of millions of names, always): comparing tuples of ranks read
    // through four tables was most of sorting W2's 750,000.
    int min_year = std::numeric_limits<int>::max(), max_year = std::numeric_limits<int>::min();
    for (const auto& [k, a] : sorted) {
      min_year = std::min(min_year, k.year);
      max_year = std::max(max_year, k.year);
    }
    const bool packed = !sorted.empty() && id_names_.size() <= (1u << 10) &&
                        site_names_.size() <= (1u << 24) && category_names_.size() <= (1u << 16) &&
                        static_cast<int64_t>(max_year) - min_year < (1 << 14);
    if (packed) {
      struct Keyed {
        uint64_t key;
        std::pair<FastKey, Acc*> acc;
      };
      std::vector<Keyed> keyed;
      keyed.reserve(sorted.size());
      for (const auto& e : sorted) {
        const FastKey& k = e.first;
        const uint64_t key = (uint64_t{id_rank[k.id]} << 54) |
                             (static_cast<uint64_t>(k.year - min_year) << 40) |
                             (uint64_t{site_rank[k.site]} << 16) | category_rank[k.category];
        keyed.push_back(Keyed{key, e});
      }
      std::sort(keyed.begin(), keyed.end(),
                [](const Keyed& a, const Keyed& b) { return a.key < b.key; });
      for (size_t i = 0; i < keyed.size(); ++i) sorted[i] = keyed[i].acc;
    } else {
      std::sort(sorted.begin(), sorted.end(),
                [&](const auto& a, const auto& b) { return ranked(a.first) < ranked(b.first); });
    }
    // Accumulators lie in creation order, visited here in key order: ask for
    // one a few steps ahead (750,000 at W2, each a cache miss otherwise).
    auto prefetch = [&sorted](size_t i) {
      if (i + 8 < sorted.size()) {
        const char* ahead = reinterpret_cast<const char*>(sorted[i + 8].second);
        __builtin_prefetch(ahead);
        __builtin_prefetch(ahead + 64);
      }
    };
    // The site rows' nodes, most of the lineage (W2: 750,000, mostly the
    // kernel's cost of memory touched for the first time), and the figures
    // of the ids with a row per site (250,000) are made on two threads of a
    // big package, each from its own arena and into its own list; a node is
    // the same whichever thread made it, and the lists, one after the other,
    // are in key order. The sums below add on this thread, in key order.
    std::vector<char> per_site_id(id_names_.size());
    for (size_t id = 0; id < id_names_.size(); ++id) {
      per_site_id[id] = kPerSiteIds.count(id_names_[id]) > 0;
    }
    std::vector<ContributionPtr> site_nodes(sorted.size());
    std::array<std::vector<Figure>, 2> site_rows;
    auto make_site_nodes = [&](size_t from, size_t to, const NodeArena& arena,
                               std::vector<Figure>* rows) {
      for (size_t i = from; i < to; ++i) {
        prefetch(i);
        const FastKey& k = sorted[i].first;
        const std::string& site = site_names_[k.site];
        if (site.empty()) continue;
        Acc& acc = *sorted[i].second;
        site_nodes[i] = group_in(arena, "site " + site, acc.value, 1.0, std::move(acc.children), {},
                                 std::move(acc.leaves), &acc);
        if (k.category == 0 && per_site_id[k.id]) {
          Figure& f = rows->emplace_back();
          f.id = id_names_[k.id];
          f.year = k.year;
          f.site = site;
          f.unit = unit_of(f.id);
          set_value(f, acc.value, site_nodes[i], acc.incomplete);
        }
      }
    };
    const bool parallel = big_package() && sorted.size() >= 2;
    const size_t half = parallel ? sorted.size() / 2 : sorted.size();
    NodeArena second_arena =
        parallel ? std::make_shared<std::pmr::monotonic_buffer_resource>() : node_arena_;
    run_two(
        parallel, [&] { make_site_nodes(0, half, node_arena_, &site_rows[0]); },
        [&] { make_site_nodes(half, sorted.size(), second_arena, &site_rows[1]); });
    // Totals by (id, year, category), in the same order.
    std::map<std::tuple<uint32_t, int, uint32_t>, std::pair<FastKey, Total>> groups;
    for (size_t i = 0; i < sorted.size(); ++i) {
      prefetch(i);
      const FastKey& k = sorted[i].first;
      Acc& acc = *sorted[i].second;
      const std::string& id = id_names_[k.id];
      const int year = k.year;
      const std::string& site = site_names_[k.site];
      // Rarely non-empty: skip building a (string, year) key per accumulator.
      const bool all_incomplete = !incomplete_all_.empty() && incomplete_all_.count({id, year}) > 0;
      auto& slot = groups[std::make_tuple(id_rank[k.id], year, category_rank[k.category])];
      slot.first = k;
      Total& g = slot.second;
      ContributionPtr node;
      if (site.empty()) {
        g.value += acc.value;
        g.incomplete = g.incomplete || acc.incomplete || all_incomplete;
        for (auto& c : acc.children) g.children.push_back(c);
        g.leaves.append(acc.leaves);
        continue;
      }
      node = std::move(site_nodes[i]);
      g.value += acc.value;
      g.incomplete = g.incomplete || acc.incomplete || all_incomplete;
      g.children.push_back(node);
      if (id == "_facility" || id == "_it") site_values_[{id, year, site}] = {acc.value, node};
    }
    for (AccTable& shard : fast_accs_) shard.clear();
    for (auto& [rank, slot] : groups) {
      auto& [k, g] = slot;
      const std::string& id = id_names_[k.id];
      const int year = k.year;
      const std::string& category = category_names_[k.category];
      std::string label = id + " " + std::to_string(year);
      if (!category.empty()) label += " [" + category + "]";
      Figure& f = figure(id, year, "", category);
      set_value(f, g.value,
                group(label, g.value, 1.0, std::move(g.children), {}, std::move(g.leaves)),
                g.incomplete);
    }
    // Categories of an incomplete-all breakdown are all incomplete.
    if (!incomplete_all_.empty()) {
      for (auto& [key, f] : figures_) {
        if (incomplete_all_.count({std::get<0>(key), std::get<1>(key)}) && !f.category.empty()) {
          f.status = FigureStatus::kIncomplete;
          f.value.reset();
        }
      }
    }

    for (int y : years) {
      // Scope 3 total from its categories.
      std::vector<const Figure*> cats;
      for (int c = 1; c <= 15; ++c)
        cats.push_back(get("ghg.scope3.category", y, std::to_string(c)));
      derive_sum("ghg.scope3", y, "", cats);
      // In-boundary grid electricity, the denominator of scope2.coverage (a
      // catalog formula over this and _scope2.covered).
      double grid_total = 0.0;
      bool grid_any = false;
      for (double g : grid_by_year_[y]) {
        grid_total += g;
        grid_any = true;
      }
      if (grid_any) {
        Figure& g = figure("_electricity.grid", y, "", "");
        set_value(g, grid_total,
                  group("grid electricity of in-boundary sites " + std::to_string(y), grid_total,
                        1.0, {}),
                  false);
      }
      pue(y);
      for (const char* id : kTotalIds) figure(id, y, "", "");
    }

    // The map's figures and the site rows, merged in key order. W2 has
    // 250,000 figures: each vector is sized once (growing it touched twice
    // the memory and moved every figure again).
    auto shown = [](const Figure& f) { return !(f.category.empty() && kCategoryIds.count(f.id)); };
    size_t intermediates = 0, figures = 0;
    auto count = [&](const Figure& f) {
      if (shown(f)) ++(f.id.starts_with("_") ? intermediates : figures);
    };
    for (const auto& [key, f] : figures_) count(f);
    for (const auto& rows : site_rows) {
      for (const Figure& f : rows) count(f);
    }
    inv_.figures.reserve(figures);
    inv_.intermediates.reserve(intermediates);
    auto put = [&](Figure& f) {
      if (shown(f))
        (f.id.starts_with("_") ? inv_.intermediates : inv_.figures).push_back(std::move(f));
    };
    auto key_of = [](const Figure& f) { return std::tie(f.id, f.year, f.site, f.category); };
    size_t lane = 0, row = 0;
    auto next_row = [&]() -> Figure* {
      while (lane < site_rows.size() && row == site_rows[lane].size()) {
        ++lane;
        row = 0;
      }
      return lane < site_rows.size() ? &site_rows[lane][row] : nullptr;
    };
    for (auto& [key, f] : figures_) {
      for (Figure* r = next_row(); r && key_of(*r) < key_of(f); r = next_row()) {
        put(*r);
        ++row;
      }
      put(f);
    }
    for (Figure* r = next_row(); r; r = next_row()) {
      put(*r);
      ++row;
    }
  }

  void pue(int year) {
    double fac_sum = 0.0;
    double it_sum = 0.0;
    std::vector<ContributionPtr> fac_nodes;
    std::vector<ContributionPtr> it_nodes;
    for (const auto& s : pkg_.sites) {
      if (!s.in_boundary) continue;
      if (s.kind != SiteKind::kDataCenter && s.kind != SiteKind::kLeasedDataCenter) continue;
      auto it = site_values_.find({"_it", year, s.site_id});
      if (it == site_values_.end()) continue;
      auto fac = site_values_.find({"_facility", year, s.site_id});
      Figure& f = figure("pue.site", year, s.site_id, "");
      const double it_mwh = it->second.first;
      if (fac == site_values_.end() || it_mwh <= 0) continue;
      const double v = fac->second.first / it_mwh;
      set_value(f, v,
                with_denominator(
                    group("pue.site " + s.site_id + " " + std::to_string(year), v, 1.0 / it_mwh,
                          {fac->second.second}, "/ IT energy " + format_number(it_mwh) + " MWh"),
                    it->second.second),
                false);
      // metrics.md: pue.average counts own data centres that ran the whole year.
      const int32_t dec_prev = (year - 1) * 12 + 11;
      const int32_t dec_this = year * 12 + 11;
      const bool whole_year = s.kind == SiteKind::kDataCenter &&
                              (!s.opened || *s.opened <= dec_prev) &&
                              (!s.closed || *s.closed >= dec_this);
      if (!whole_year) continue;
      fac_sum += fac->second.first;
      it_sum += it_mwh;
      fac_nodes.push_back(fac->second.second);
      it_nodes.push_back(it->second.second);
    }
    if (it_sum > 0) {
      Figure& f = figure("pue.average", year, "", "");
      const double v = fac_sum / it_sum;
      ContributionPtr root =
          group("pue.average " + std::to_string(year), v, 1.0 / it_sum, std::move(fac_nodes),
                "/ IT energy " + format_number(it_sum) + " MWh of whole-year data centres");
      set_value(f, v,
                with_denominator(std::move(root), group("IT energy of whole-year data centres " +
                                                            std::to_string(year),
                                                        it_sum, 1.0, std::move(it_nodes))),
                false);
    }
  }

  // With metered energy in play, a PUE node also carries the lineage of its IT
  // energy (the it meters and roll-ups behind it). Without, the tree is as it
  // always was.
  ContributionPtr with_denominator(ContributionPtr root, ContributionPtr denominator) const {
    if (!metered_) return root;
    auto c = new_node(*root);
    c->denominator = std::move(denominator);
    c->denominator_unit = "MWh";
    return c;
  }

 public:
  // Grid electricity per in-boundary site per year (for coverage), filled by market().
  std::map<int, std::vector<double>> grid_by_year_;  // in-boundary sites' grid MWh, by site id

 private:
  const Package& pkg_;
  const FactorLibrary& lib_;
  CachedResolver resolver_;
  Inventory inv_;
  StringMap<const Site*> sites_;
  // Accumulators by key: an open-addressing index over a deque (references
  // stay valid as it grows). A million of them at W2: a node-based hash map
  // cost a cache miss per bucket and per node on each look-up.
  class AccTable {
   public:
    Acc& at(const FastKey& k) {
      if ((accs_.size() + 1) * 2 > slots_.size()) grow();
      size_t i = FastKeyHash{}(k) & (slots_.size() - 1);
      for (;; i = (i + 1) & (slots_.size() - 1)) {
        Slot& slot = slots_[i];
        if (slot.index == 0) {
          accs_.emplace_back(k, Acc{});
          slot = Slot{k, static_cast<uint32_t>(accs_.size())};
          return accs_.back().second;
        }
        if (slot.key == k) return accs_[slot.index - 1].second;
      }
    }
    size_t size() const { return accs_.size(); }
    template <typename F>
    void for_each(F&& f) {
      for (auto& [k, a] : accs_) f(k, a);
    }
    void clear() {
      accs_.clear();
      slots_.clear();
    }

   private:
    struct Slot {
      FastKey key;
      uint32_t index;  // into accs_, plus one; 0: empty
    };
    void grow() {
      std::vector<Slot> slots(std::max<size_t>(64, slots_.size() * 2), Slot{{}, 0});
      for (const Slot& old : slots_) {
        if (old.index == 0) continue;
        size_t i = FastKeyHash{}(old.key) & (slots.size() - 1);
        while (slots[i].index != 0) i = (i + 1) & (slots.size() - 1);
        slots[i] = old;
      }
      slots_ = std::move(slots);
    }
    std::vector<Slot> slots_;
    std::deque<std::pair<FastKey, Acc>> accs_;
  };
  std::array<AccTable, 2> fast_accs_;  // by site: accs_of()
  uint32_t acc_split_ = 0;             // the first site of the second shard
  struct SiteCacheEntry {
    uint32_t id;
    uint32_t category;
    Acc* acc;
  };
  std::vector<std::vector<SiteCacheEntry>> site_cache_;
  // The groups of the year being read (a deque: groups stay put), their steps
  // and targets in an arena, per lane. W2 has 350,000 groups and a million
  // small vectors: freed one by one they cost 0.1 s, and left glibc a million
  // fastbin chunks to merge (malloc_consolidate, 0.15 s) at the next large free.
  // The first lane also collects every diagnostic for replay_later().
  std::array<Lane, 2> lanes_;
  // While two lanes plan: the shared method cache (methods_, store_->methods,
  // resolver_), id and category names, incomplete_all_.
  std::mutex shared_mutex_;
  int cache_year_ = std::numeric_limits<int>::min();
  std::unordered_map<const char*, uint32_t> id_aliases_;
  std::vector<std::string> id_names_;
  std::unordered_map<std::string, uint32_t> site_index_;
  std::vector<std::string> site_names_;
  std::unordered_map<std::string, uint32_t> category_index_;
  std::vector<std::string> category_names_;
  std::map<AccKey, Figure> figures_;
  std::set<std::pair<std::string, int>> incomplete_all_;
  std::set<const FactorResolution*> warned_;
  std::set<std::pair<std::string, int>> warned_residual_;
  std::unordered_map<MethodKey, MethodResult> methods_;
  std::shared_ptr<LineageStore> store_ = std::make_shared<LineageStore>();
  std::shared_ptr<std::pmr::monotonic_buffer_resource> node_arena_ =
      std::make_shared<std::pmr::monotonic_buffer_resource>();
  // Grid electricity of the current year by site index, in and outside the
  // boundary. market() visits sites in site-id order (site_order_), as the
  // std::map keyed by id it replaced did, so every sum adds in the same order.
  struct SiteGrids {
    std::vector<SiteGrid> by_site;
    std::vector<char> used;
    void reset(size_t n) {
      by_site.assign(n, SiteGrid{});
      used.assign(n, 0);
    }
    SiteGrid& at(size_t site) {
      used[site] = 1;
      return by_site[site];
    }
  };
  SiteGrids grid_;                    // in-boundary
  SiteGrids oob_grid_;                // outside the boundary
  std::vector<uint32_t> site_order_;  // indices of pkg_.sites by site_id
  std::map<std::tuple<std::string, int, std::string>, std::pair<double, ContributionPtr>>
      site_values_;
  const std::vector<MeteredSiteMonth>* metered_ = nullptr;  // CalcOptions::metered
  size_t parallel_min_records_ = 0;                         // CalcOptions::parallel_min_records
  std::map<std::string, std::set<int32_t>, std::less<>> billed_facility_;  // data centre -> months
  std::map<std::string, std::set<int32_t>, std::less<>> recorded_it_;      // data centre -> months
};

}  // namespace

Inventory compute(const Package& package, const FactorLibrary& library,
                  const CalcOptions& options) {
  Calculator c(package, library, options);
  return c.run();
}

std::string compute_run_hash(const std::string& content_hash, const FactorLibrary& library,
                             const std::string& engine_version) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  auto feed = [&](std::string_view part) {
    // Length-prefixed so that no two different inputs hash the same bytes.
    std::string len = std::to_string(part.size()) + ":";
    EVP_DigestUpdate(ctx, len.data(), len.size());
    EVP_DigestUpdate(ctx, part.data(), part.size());
  };
  feed("assay-run-v1");
  feed(content_hash);
  feed(library.fingerprint_bytes());
  feed(engine_version);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx, digest, &n);
  EVP_MD_CTX_free(ctx);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned int i = 0; i < n; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

}  // namespace assay
